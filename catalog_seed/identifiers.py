"""Identifiers with check characters: unified social credit codes (GB 32100-2015) and
patent numbers. The credit code's check character is the validator's
(``validation/checks/credit_code.py``), so the seed's codes pass the check the portal runs.
"""
from __future__ import annotations

import itertools
import random

from ckanext.shanghai.validation.checks.credit_code import CHARS, check_digit

__all__ = ["is_valid_credit_code", "make_credit_code", "ORG_CODE_WEIGHTS", "patent_check"]

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """Check character of a GB 11714 organisation code (8 digits → 9th character)."""
    remainder = 11 - sum(int(ch) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` is an 18-character unified social credit code with a valid check character."""
    return (len(code) == 18 and all(ch in CHARS for ch in code)
            and code[-1] == check_digit(code[:17]))


def make_credit_code(rng: random.Random, registrar: str, division: str) -> str:
    """A well-formed credit code: registrar + type (2), division (6), organisation code (9), check (1)."""
    body = f"{rng.randrange(10**8):08d}"
    first17 = registrar + division + body + _org_code_check(body)
    return first17 + check_digit(first17)


def patent_check(digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits, itertools.cycle(range(2, 10))))
    return "X" if total % 11 == 10 else str(total % 11)
