"""Identifiers with check characters."""
from __future__ import annotations

import random

from catalog_seed.identifiers import is_valid_credit_code, make_credit_code, patent_check


def test_credit_codes_carry_a_valid_check_character() -> None:
    code = make_credit_code(random.Random(1), "91", "310115")
    assert len(code) == 18 and code.startswith("91310115")
    assert is_valid_credit_code(code)
    assert not is_valid_credit_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert not is_valid_credit_code(code[:17])



def test_patent_check_characters_follow_the_mod_11_rule() -> None:
    # weights 2…9 cycling over the 12 digits; a remainder of 10 is written X
    assert patent_check("201510000001") == "0"  # 2·2 + 1·4 + 5·5 + 1·6 + 1·5 = 44 ≡ 0 (mod 11)
    assert {patent_check(f"2015{n:08d}") for n in range(200)} == set("0123456789X")
