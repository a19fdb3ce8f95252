"""Bad input is refused with a message that says what is wrong and where."""
from __future__ import annotations

import logging

import frictionless
import pytest

from ckanext.shanghai.validation import engine
from ckanext.shanghai.validation.engine import validator, vectorised
from tests.validation.samples import GOOD, HEADER, PARKS, signatures


@pytest.mark.parametrize("name,content,expected", [
    ("empty.csv", b"", "empty"),
    ("garbage.csv", bytes(range(256)) * 40, "binary"),
    ("utf16.csv", (HEADER + "\n").encode("utf-16"), "UTF-16"),
    ("truncated.csv", (HEADER + "\n" + GOOD + "\n" + GOOD[:30]).encode(), "truncated"),
    ("cut.csv", (HEADER + "\n" + GOOD).encode()[:-1] + "区".encode()[:2], "UTF-8 nor GBK"),
    ("line.csv", b"a" * (10 * 2**20), "without a line break"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "damaged or truncated"),
    ("broken.json", b'[{"park_id": "P1"', "not valid JSON"),
])
def test_bad_input_is_refused_with_a_clear_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(engine.BadInput) as caught:
        engine.validate(path, PARKS)
    assert expected in caught.value.message
    assert caught.value.message_zh


def test_mixed_encoding_after_the_sample(tmp_path):
    path = tmp_path / "mixed.csv"
    good = (GOOD + "\n").encode()
    path.write_bytes(HEADER.encode() + b"\n" + good * 20000 + GOOD.encode("gbk") + b"\n")
    with pytest.raises(engine.BadInput, match="mixes encodings"):
        engine.validate(path, PARKS)


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + (GOOD + "\n") * 1000)
    with pytest.raises(engine.BadInput, match="over the validation limit"):
        engine.validate(path, PARKS, max_bytes=10_000)


def _frictionless_errors(path, descriptor):
    return engine.resource(path, schema=frictionless.Schema.from_descriptor(
        descriptor)).validate().tasks[0].to_dict()["errors"]


def test_composite_key_over_a_type_the_vectorised_engine_does_not_read(tmp_path):
    # The nine statistics files of the seed: (yearmonth, string) keys once raised TypeError.
    path = tmp_path / "stats.csv"
    path.write_text("month,district\n2020-01,a\n2020-01,b\n2020-01,a\n,c\n2020-13,d\n")
    descriptor = {"fields": [{"name": "month", "type": "yearmonth"},
                             {"name": "district", "type": "string"}],
                  "primaryKey": ["month", "district"]}
    ours = engine.validate(path, descriptor)
    assert ours.engine == "vectorised"
    assert signatures(ours.errors) == signatures(_frictionless_errors(path, descriptor))
    assert [(e["rowNumber"], e["type"]) for e in ours.errors] == [(4, "primary-key"),
                                                                  (6, "type-error")]


def test_a_fault_of_the_vectorised_engine_falls_back_to_frictionless(tmp_path, monkeypatch,
                                                                      caplog):
    path = tmp_path / "car_parks.csv"
    bad = GOOD.replace("500", "many")
    path.write_text("\n".join((HEADER, GOOD, bad, "")), encoding="utf-8")

    def fault(*args, **kwargs):
        raise RuntimeError("planted fault")

    # A planted fault of ours, for this test only: the engine's chunk check raises.
    monkeypatch.setattr(vectorised.Vectorised, "_chunk", fault)
    # CKAN's logging config does not propagate to the root logger caplog listens on, and
    # a logging config loaded by an earlier test disables the loggers that existed then.
    logger = logging.getLogger(validator.__name__)
    monkeypatch.setattr(logger, "disabled", False)
    logger.addHandler(caplog.handler)
    try:
        ours = engine.validate(path, PARKS)
    finally:
        logger.removeHandler(caplog.handler)
    assert ours.engine == "frictionless"
    assert not ours.valid
    assert signatures(ours.errors) == signatures(_frictionless_errors(path, PARKS))
    assert any(r.exc_info and "planted fault" in str(r.exc_info[1]) for r in caplog.records)
