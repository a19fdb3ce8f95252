"""The vectorised engine lists the same errors as frictionless, in its order."""
from __future__ import annotations

import frictionless

from bench import validation as bench
from ckanext.shanghai.validation import engine
from tests.validation.samples import PARKS, signatures


def test_same_error_list_as_frictionless(tmp_path):
    path = tmp_path / "car_parks.csv"
    planted = bench.write_csv(path, 40000)
    ours = engine.validate(path, PARKS, max_errors=10000)
    theirs = engine.resource(path, schema=frictionless.Schema.from_descriptor(
        PARKS)).validate(limit_errors=10000)
    assert ours.engine == "vectorised"
    assert planted > 5
    assert len(ours.errors) >= planted
    assert signatures(ours.errors) == signatures(theirs.tasks[0].to_dict()["errors"])
    assert {e["type"] for e in ours.errors} >= {
        "type-error", "constraint-error", "unique-error", "primary-key"}
    assert ours.rows == 40000
