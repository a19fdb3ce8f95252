"""The vectorised reading of a column (pure, no CKAN): which present cells are surely
valid, and the comparable key of each for unique and primary keys.

Each check only ever *accepts* a cell when frictionless would accept it too (strict
ASCII forms of numbers, ISO dates, exact enum/pattern matches, bounds with ties treated
as suspicious); a cell not accepted makes its row suspect, and frictionless' own ``Row``
decides it.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import frictionless
import numpy as np
import pandas as pd

from ..checks import credit_code

_INTEGER = r"[+-]?[0-9]{1,18}"
_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:?[0-9]{2})"
#: A datetime without a zone, as isoformat() writes one (no fraction)
_NAIVE_DATETIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
#: When a value is suspicious for a bound (see Column._constraints).
_BOUNDS = {"minimum": np.less, "exclusiveMinimum": np.less,
           "maximum": np.greater, "exclusiveMaximum": np.greater}


class Column:
    """The vectorised reading of one field: which present cells are surely valid, and
    the comparable key of each (for unique and primary keys)."""

    def __init__(self, field: frictionless.Field, missing: list[str],
                 checksum: bool = False) -> None:
        self.field = field
        self.checksum = checksum
        self.name = field.name
        self.missing = list(field.missing_values) if field.has_defined("missing_values") \
            else missing
        self.constraints = dict(field.constraints)
        self.read_value = field.create_value_reader()
        self.supported = self._supported()

    def _supported(self) -> bool:
        field, kind = self.field, self.field.type
        if field.format not in ("default", None):
            return False
        if kind in ("integer", "number") and (
                not getattr(field, "bare_number", True) or
                any(field.has_defined(p) for p in ("decimal_char", "group_char"))):
            return False
        if kind == "number" and getattr(field, "float_number", False):
            return False
        return kind in ("string", "integer", "number", "boolean", "date", "datetime", "year")

    def check(self, raw: pd.Series) -> tuple[np.ndarray, np.ndarray, Any]:
        """``(missing, accepted, keys)`` for the chunk's raw strings."""
        missing = raw.isin(self.missing).to_numpy()
        present = ~missing
        if not self.supported:
            return missing, np.zeros(len(raw), bool), None
        kind = self.field.type
        values: Any
        if kind == "string":
            ok = present.copy()
            if self.checksum:
                ok &= ~credit_code.checksum_fails(raw)
            values = raw
        elif isinstance(self.field, frictionless.fields.BooleanField):  # every "boolean" field
            true, false = self.field.true_values, self.field.false_values
            ok = present & raw.isin(list(true) + list(false)).to_numpy()
            values = raw.isin(list(true))
        elif kind in ("integer", "year"):
            # str.isdigit is several times faster than a regex; int() reads every digit it
            # accepts (also non-ASCII ones) exactly as frictionless does. Signed numbers
            # go to the regex, or to frictionless when many cells need it.
            ok = present & raw.str.isdigit().to_numpy(dtype=bool)
            if kind == "year":
                ok &= (raw.str.len() == 4).to_numpy()
            elif (present & ~ok).sum() > len(raw) // 100:
                ok = present & raw.str.fullmatch(_INTEGER).to_numpy(dtype=bool)
            values = pd.Series(np.zeros(len(raw), np.int64), index=raw.index)
            try:
                values[ok] = raw[ok].astype(np.int64)
            except (ValueError, OverflowError):
                ok &= raw.str.fullmatch(_INTEGER).to_numpy(dtype=bool)
                values[ok] = raw[ok].astype(np.int64)
        elif kind == "number":
            # Whatever pandas reads as a finite number, Decimal() reads too (after the
            # strip frictionless does); near a bound frictionless decides (see _constraints).
            parsed = pd.to_numeric(raw.where(present, "x"), errors="coerce")
            values = parsed.fillna(0.0).astype(np.float64)
            ok = present & np.isfinite(parsed.to_numpy(dtype=np.float64))
        elif kind == "date":
            # pandas' strptime accepts a subset of what datetime.strptime does, same dates.
            parsed = pd.to_datetime(raw.where(present), format="%Y-%m-%d", errors="coerce")
            ok = present & parsed.notna().to_numpy()
            values = pd.Series(parsed.to_numpy().view(np.int64), index=raw.index)
        else:
            ok, keys = self._datetimes(raw, present)
            return missing, ok & self._constraints(raw, raw, ok), keys
        ok &= self._constraints(raw, values, ok)
        return missing, ok, self._keys(values)

    @staticmethod
    def _datetimes(raw: pd.Series, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A datetime column: the cells surely valid, and their keys as :meth:`key_of`
        makes them (always in an object array, so that a key hashes alike in every
        chunk): UTC nanoseconds for a moment with a zone, ``naive …`` for one without
        (frictionless finds a naive datetime equal to no aware one)."""
        aware = present & raw.str.fullmatch(_DATETIME).to_numpy(dtype=bool)
        naive = present & raw.str.fullmatch(_NAIVE_DATETIME).to_numpy(dtype=bool)
        moments = pd.to_datetime(raw.where(aware), format="%Y-%m-%dT%H:%M:%S%z",
                                 errors="coerce", utc=True)
        aware &= moments.notna().to_numpy()
        # pandas' strptime reads a subset of what dateutil's isoparse does, same moments.
        naive &= pd.to_datetime(raw.where(naive), format="%Y-%m-%dT%H:%M:%S",
                                errors="coerce").notna().to_numpy()
        keys = np.full(len(raw), None, dtype=object)
        if aware.any():
            nanoseconds = moments.dt.tz_localize(None).to_numpy().view(np.int64)
            keys[aware] = nanoseconds[aware].tolist()
        if naive.any():
            keys[naive] = ("naive " + raw[naive]).to_numpy(dtype=object)
        return aware | naive, keys

    def _constraints(self, raw: pd.Series, values: Any, ok: np.ndarray) -> np.ndarray:
        passed = np.ones(len(raw), bool)
        c = self.constraints
        kind = self.field.type
        comparable = kind in ("integer", "year", "number", "date")
        if "enum" in c:
            if not comparable and kind not in ("string", "boolean"):
                return np.zeros(len(raw), bool)
            enum = [self._comparable(self.read_value(v)) for v in c["enum"]]
            passed &= (raw if kind in ("string", "boolean") else values).isin(
                enum if kind != "boolean" else [str(v) for v in c["enum"]]).to_numpy()
        if "pattern" in c:
            passed &= raw.str.fullmatch(c["pattern"]).to_numpy(dtype=bool)
        if "minLength" in c:
            passed &= (raw.str.len() >= c["minLength"]).to_numpy()
        if "maxLength" in c:
            passed &= (raw.str.len() <= c["maxLength"]).to_numpy()
        for name, fails in _BOUNDS.items():
            if name not in c:
                continue
            if not comparable:
                return np.zeros(len(raw), bool)
            try:
                bound = float(self._comparable(self.read_value(c[name])))
            except (TypeError, ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
                return np.zeros(len(raw), bool)
            # Values at or within a hair of the bound are left to frictionless: exclusive
            # bounds, and decimals that round to the bound as binary floats.
            tolerance = max(abs(bound), 1.0) * 1e-12
            shifted = bound + tolerance if name.endswith("inimum") else bound - tolerance
            passed &= ~fails(values.to_numpy(dtype=np.float64), shifted)
        return passed

    def _comparable(self, value: Any) -> Any:
        """A constraint value as the vectorised column holds it (dates as ns)."""
        if self.field.type == "date" and value is not None:
            return pd.Timestamp(value).value
        return value

    def _keys(self, values: Any) -> Any:
        if self.field.type == "number":
            # + 0.0 makes -0.0 the 0.0 it equals (as Decimals do), not another bit pattern
            return values.to_numpy(dtype=np.float64) + 0.0
        if self.field.type in ("integer", "year", "date"):
            return values.to_numpy(dtype=np.int64)
        if self.field.type == "boolean":
            return values.to_numpy(dtype=np.int64)
        return values.to_numpy(dtype=object)

    def key_of(self, value: Any) -> Any:
        """The key of a value frictionless read (for rows checked one by one)."""
        kind = self.field.type
        if value is None:
            return None
        if kind == "number":
            if value != value:  # a NaN equals nothing, not even another NaN
                return f"nan {next(_NAN)}"
            return float(value) + 0.0
        if kind in ("integer", "year"):
            return int(value) if -2**63 <= int(value) < 2**63 else str(value)
        if kind == "boolean":
            return int(bool(value))
        if kind == "date":
            return _nanoseconds(dt.datetime(value.year, value.month, value.day,
                                            tzinfo=dt.timezone.utc), value.isoformat())
        if kind == "datetime":
            if value.tzinfo is None:
                # frictionless never finds a naive datetime equal to an aware one
                return f"naive {value.isoformat()}"
            return _nanoseconds(value, value.isoformat())
        if kind in ("object", "array"):
            # equal JSON values compare equal whatever their key order
            return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        return value



#: numbers each NaN key apart (frictionless finds no NaN equal to another)
_NAN = itertools.count()
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _nanoseconds(moment: dt.datetime, text: str) -> int | str:
    """Nanoseconds since 1970 in UTC, as the vectorised column holds dates and times; a
    moment out of the int64 range keeps ``text``, as no vectorised key can equal it."""
    ns = (moment - _EPOCH) // dt.timedelta(microseconds=1) * 1000
    return ns if -2**63 <= ns < 2**63 else text
