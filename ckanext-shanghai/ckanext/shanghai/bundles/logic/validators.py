"""Validators of the SODA contest bundles' action schemas."""
from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["shanghai_bundles_access_tier", "shanghai_bundles_date",
           "shanghai_bundles_edition", "shanghai_bundles_id_list",
           "shanghai_bundles_slug", "shanghai_bundles_stage"]

ACCESS_TIERS = ("public", "registered", "verified")
STAGES = ("preliminary", "semifinal", "final")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{1,99}")


def shanghai_bundles_slug(value: Any) -> str:
    """A URL name: 2–100 lowercase ASCII letters, digits, ``-`` or ``_``."""
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise tk.Invalid(tk._("Must be 2–100 lowercase letters, digits, '-' or '_', "
                              "starting with a letter or digit"))
    return value


def shanghai_bundles_access_tier(value: Any) -> str:
    """One of ``public``, ``registered``, ``verified``."""
    if value not in ACCESS_TIERS:
        raise tk.Invalid(tk._("Must be one of: {choices}").format(
            choices=", ".join(ACCESS_TIERS)))
    return value


def shanghai_bundles_stage(value: Any) -> str:
    """One of the contest stages ``preliminary``, ``semifinal``, ``final``."""
    if value not in STAGES:
        raise tk.Invalid(tk._("Must be one of: {choices}").format(choices=", ".join(STAGES)))
    return value


def shanghai_bundles_date(value: Any) -> datetime.date:
    """An ISO date ``YYYY-MM-DD`` (a ``date`` passes through)."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Expected a date as YYYY-MM-DD, got {value!r}").format(
            value=value)) from None


def shanghai_bundles_edition(value: Any) -> int:
    """The contest's year, 2000–2100."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise tk.Invalid(tk._("Expected a year such as 2015")) from None
    if not 2000 <= year <= 2100:
        raise tk.Invalid(tk._("Expected a year such as 2015"))
    return year


def shanghai_bundles_id_list(value: Any) -> list[str]:
    """A list of names or ids (a JSON list, or a comma/space separated string from a
    form), without empty entries or repeats."""
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(tk._("Expected a list of names or ids"))
    return list(dict.fromkeys(v.strip() for v in value if v.strip()))
