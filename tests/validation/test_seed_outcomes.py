"""The whole built seed validates as planted: every file ``success`` or exactly the
``failure`` its manifest expects (catalog_seed.build.PLANTED), none ``error``."""
from __future__ import annotations

import json

import pytest

from catalog_seed import build
from ckanext.shanghai.validation import runner

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_every_seed_file_ends_as_planted(tmp_path):
    manifest = build.build(tmp_path)
    assert manifest == json.loads((tmp_path / build.MANIFEST).read_text(encoding="utf-8"))
    outcomes: dict[str, tuple[str, list[str]]] = {}
    expected: dict[str, tuple[str, list[str]]] = {}
    for dataset in manifest["datasets"]:
        for entry in dataset["resources"]:
            resource = entry["resource"]
            fmt = runner.tabular_format(resource)
            assert fmt, entry["file"]
            # the same check the validation job runs on a resource's local copy
            outcome = runner.check_file(tmp_path / "files" / entry["file"], fmt,
                                        resource["schema"])
            types = sorted({e["type"] for e in outcome.report.get("errors", [])})
            outcomes[entry["file"]] = (outcome.status, types)
            expected[entry["file"]] = (entry["expected"]["status"],
                                       sorted(entry["expected"]["errors"]))
    assert outcomes == expected
    assert len(outcomes) >= 160
    assert {f for f, (status, _) in outcomes.items() if status == "failure"} == set(build.PLANTED)
