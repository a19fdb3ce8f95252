"""The import-cycle check of ``make lint`` finds cycles, hidden ones included."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ckanext.shanghai.stack import import_cycles


def _package(root: Path, name: str, modules: dict[str, str]) -> None:
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for module, text in modules.items():
        (folder / f"{module}.py").write_text(text)


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [n for n in sys.modules if n.startswith(("cyc_", "acyc_"))]:
        del sys.modules[name]


def test_a_cycle_through_a_function_level_import_across_packages_is_found(packages: Path) -> None:
    _package(packages, "cyc_one", {"a": "from cyc_two import b\n", "c": "X = 1\n"})
    _package(packages, "cyc_two", {"b": "def f():\n    from cyc_one import a\n    return a\n",
                                   "d": "from cyc_one import c\n"})
    found = import_cycles.cycles(["cyc_one", "cyc_two"])
    assert len(found) == 1
    assert "2 modules: cyc_one.a, cyc_two.b" in found[0]
    assert "cyc_two.b line 2: from cyc_one import a" in found[0]


def test_every_separate_cycle_is_reported_and_a_tree_is_clean(packages: Path) -> None:
    _package(packages, "cyc_three", {"a": "from . import b\n", "b": "from . import a\n",
                                     "c": "from . import d\n", "d": "from . import e\n",
                                     "e": "import cyc_three.c\n"})
    _package(packages, "acyc_tree", {"a": "from . import b, c\n", "b": "from . import c\n",
                                     "c": ""})
    found = import_cycles.cycles(["cyc_three"])
    assert [report.splitlines()[0] for report in found] == [
        "Import cycle among 2 modules: cyc_three.a, cyc_three.b",
        "Import cycle among 3 modules: cyc_three.c, cyc_three.d, cyc_three.e"]
    assert import_cycles.cycles(["acyc_tree"]) == []
