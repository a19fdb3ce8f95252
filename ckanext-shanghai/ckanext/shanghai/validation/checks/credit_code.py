"""The check digit of the 18-character unified social credit code (统一社会信用代码,
GB 32100-2015), as a frictionless check and as a vectorised test (pure); the one place
the check digit is computed.

A schema field opts in with the custom property ``"checksum": "uscc"``. Codes whose
shape is wrong are left to the field's ``pattern`` constraint; this check reports a
well-formed code whose last character is not the check digit of the first 17 (a typo).
"""
from __future__ import annotations

from collections.abc import Iterable

import attrs
import frictionless
import numpy as np
import pandas as pd
from frictionless import errors

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
#: code point → value of the character (−1 for characters a code never has)
_VALUES = np.full(128, -1, dtype=np.int64)
_VALUES[[ord(c) for c in CHARS]] = np.arange(len(CHARS))


def check_digit(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(CHARS.index(c) * w for c, w in zip(first17, WEIGHTS.tolist(), strict=True))
    return CHARS[(31 - total % 31) % 31]


def _well_formed(code: str) -> bool:
    return len(code) == 18 and all(c in CHARS for c in code)


def checksum_fails(cells: pd.Series) -> np.ndarray:
    """True where a cell is a well-formed code with a wrong check digit."""
    fails = np.zeros(len(cells), bool)
    lengths = cells.str.len().to_numpy()
    candidates = np.flatnonzero(lengths == 18)
    if not len(candidates):
        return fails
    points = np.array(cells.iloc[candidates].tolist(), dtype="U18").view(np.uint32)
    points = points.reshape(-1, 18).astype(np.int64)
    values = np.where(points < 128, _VALUES[np.minimum(points, 127)], -1)
    formed = (values >= 0).all(axis=1)
    expected = (31 - (values[:, :17] * WEIGHTS).sum(axis=1) % 31) % 31
    fails[candidates] = formed & (values[:, 17] != expected)
    return fails


class CreditCodeChecksumError(errors.CellError):
    """A unified social credit code whose check digit is wrong."""

    type = "credit-code-checksum"
    title = "Credit Code Checksum"
    description = ("The last character of a unified social credit code is the check digit "
                   "of the first 17 (GB 32100-2015); here it is not, so the code is mistyped.")
    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}" ' \
               'at position "{fieldNumber}" has a wrong check digit: {note}'


@attrs.define(kw_only=True, repr=False)
class credit_code_checksum(frictionless.Check):
    """Check the check digit of unified social credit codes in one field."""

    type = "credit-code-checksum"
    Errors = [CreditCodeChecksumError]

    field_name: str
    """The field holding the codes."""

    def validate_start(self) -> Iterable[frictionless.Error]:
        if self.field_name not in self.resource.schema.field_names:
            yield errors.CheckError(
                note=f'credit code checksum check requires field "{self.field_name}"')

    def validate_row(self, row: frictionless.Row) -> Iterable[frictionless.Error]:
        code = row[self.field_name]
        if isinstance(code, str) and _well_formed(code) and \
                code[17] != check_digit(code[:17]):
            yield CreditCodeChecksumError.from_row(
                row, note=f'expected "{check_digit(code[:17])}" as the 18th character',
                field_name=self.field_name)

    metadata_profile_patch = {
        "required": ["fieldName"],
        "properties": {"fieldName": {"type": "string"}},
    }

