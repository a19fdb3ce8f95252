"""Bad input is refused with a message that says what is wrong and where."""
from __future__ import annotations

import pytest

from ckanext.shanghai.validation import engine
from tests.validation.samples import GOOD, HEADER, PARKS


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
