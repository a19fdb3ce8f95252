"""A CSV not of the schema's shape is left to frictionless, which reports it exactly."""
from __future__ import annotations

from ckanext.shanghai.validation import engine
from tests.validation.samples import GOOD, HEADER, PARKS


def test_ragged_rows_fall_back_to_frictionless(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + "\n" + GOOD + ",extra\n" + GOOD.rsplit(",", 2)[0] + "\n",
                    encoding="utf-8")
    ours = engine.validate(path, PARKS)
    assert ours.engine == "frictionless"
    assert [e["type"] for e in ours.errors][:1] == ["extra-cell"]
    assert "missing-cell" in {e["type"] for e in ours.errors}


def test_a_header_other_than_the_schemas_goes_to_frictionless(tmp_path):
    names = HEADER.split(",")
    path = tmp_path / "swapped.csv"
    path.write_text(",".join([names[1], names[0], *names[2:]]) + "\n" + GOOD + "\n",
                    encoding="utf-8")
    ours = engine.validate(path, PARKS)
    assert ours.engine == "frictionless"
    assert "incorrect-label" in {e["type"] for e in ours.errors}
