"""Identifiers with check characters: unified social credit codes (GB 32100-2015) and
patent numbers. The seed's only copy of these rules.
"""
from __future__ import annotations

import itertools
import random

__all__ = [
    "is_valid_credit_code", "make_credit_code", "ORG_CODE_WEIGHTS", "patent_check", "USCC_ALPHABET", "USCC_WEIGHTS",
]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """Check character of a GB 11714 organisation code (8 digits → 9th character)."""
    remainder = 11 - sum(int(ch) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _uscc_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` is an 18-character unified social credit code with a valid check character."""
    return (len(code) == 18 and all(ch in USCC_ALPHABET for ch in code)
            and code[-1] == _uscc_check(code[:17]))


def make_credit_code(rng: random.Random, registrar: str, division: str) -> str:
    """A well-formed credit code: registrar + type (2), division (6), organisation code (9), check (1)."""
    body = f"{rng.randrange(10**8):08d}"
    first17 = registrar + division + body + _org_code_check(body)
    return first17 + _uscc_check(first17)


def patent_check(digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits, itertools.cycle(range(2, 10))))
    return "X" if total % 11 == 10 else str(total % 11)
