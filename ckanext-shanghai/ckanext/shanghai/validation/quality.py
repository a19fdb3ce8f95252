"""The dataset quality score (0–100) from four parts of 25 points each.

* valid: the share of its tabular resources whose latest validation succeeded;
* complete: the share of the recommended metadata fields that are filled in;
* up to date: ``last_updated`` (else the metadata's) is within the ``update_frequency``
  period (``schemas/vocabulary.yaml``) plus a grace of a quarter of it (irregular
  updates always count as current);
* open format: the share of resources in an open, machine-readable format.
"""
from __future__ import annotations

import datetime
from typing import Any

from dateutil.parser import ParserError
from dateutil.parser import parse as parse_date

from ckanext.shanghai.common import vocabulary

RECOMMENDED = ("notes", "title_en", "license_id", "release_date", "last_updated",
               "record_count", "temporal_start", "temporal_end", "contact_name",
               "contact_email", "app_scenarios", "tags")
OPEN_FORMATS = frozenset({"csv", "json", "geojson", "xml", "xlsx", "ods", "rdf", "ttl",
                          "jsonld", "json-ld", "txt", "tsv"})
TABULAR = frozenset({"csv", "xlsx", "json"})


def level(score: int) -> str:
    """high (≥ 80), medium (≥ 60) or low."""
    return "high" if score >= 80 else "medium" if score >= 60 else "low"


def _age_ok(pkg: dict[str, Any], today: datetime.date) -> bool:
    limit = vocabulary.update_period_days(pkg.get("update_frequency") or "")
    if limit is None:
        return bool(pkg.get("update_frequency"))  # irregular: no promise to break
    try:
        updated = parse_date(str(pkg.get("last_updated") or pkg.get("metadata_modified"))).date()
    except (ParserError, OverflowError, ValueError):
        return False
    return (today - updated).days <= limit * 1.25


def score(pkg: dict[str, Any], formats: list[str], valid_tables: int,
          today: datetime.date | None = None) -> dict[str, Any]:
    """The score and its parts, from the dataset's fields, its resources' formats and
    how many of its tables passed validation."""
    today = today or datetime.date.today()
    formats = [(f or "").strip().lower() for f in formats]
    tables = sum(f in TABULAR for f in formats)
    valid = min(1.0, valid_tables / tables) if tables else 0.0
    complete = sum(bool(pkg.get(k)) for k in RECOMMENDED) / len(RECOMMENDED)
    current = 1.0 if _age_ok(pkg, today) else 0.0
    open_format = sum(f in OPEN_FORMATS for f in formats) / len(formats) if formats else 0.0
    parts = {"valid": round(25 * valid), "complete": round(25 * complete),
             "up_to_date": round(25 * current), "open_format": round(25 * open_format)}
    total = sum(parts.values())
    return {"score": total, "level": level(total), "parts": parts}


def of_dataset(pkg: dict[str, Any], statuses: dict[str, str]) -> dict[str, Any]:
    """The score of a ``package_show`` dict; ``statuses``: resource id → status."""
    resources = pkg.get("resources") or []
    return score(pkg, [r.get("format") or "" for r in resources],
                 sum(statuses.get(r["id"]) == "success" for r in resources))
