"""``python -m catalog_seed build DIR``: writes the seed, keeps an up-to-date one."""
from __future__ import annotations

import json
from pathlib import Path

from catalog_seed import build
from catalog_seed.__main__ import main


def test_build_writes_the_seed_then_keeps_it_until_forced(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "seed"
    assert main(["build", str(folder)]) == 0
    assert "datasets" in capsys.readouterr().out and build.is_current(folder)
    manifest = json.loads((folder / build.MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["datasets"]) >= 130

    marker = folder / "files" / "marker"
    marker.write_text("kept", encoding="utf-8")
    assert main(["build", str(folder)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert marker.exists()

    assert main(["build", "--force", str(folder)]) == 0
    assert "datasets" in capsys.readouterr().out
    assert not marker.exists()
