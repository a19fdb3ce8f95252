"""Validators of the dataset schema (``schemas/dataset.yaml``)."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey
from flask import has_request_context

from ckanext.scheming.helpers import scheming_field_choices, scheming_language_text
from ckanext.scheming.validation import scheming_validator
from ckanext.shanghai.common import table_schemas

__all__ = [
    "shanghai_choice", "shanghai_open_type_privacy", "shanghai_catalogue_code_unique",
    "shanghai_non_negative_integer", "shanghai_not_before", "shanghai_table_schema",
    "shanghai_table_schema_output",
]


def _language() -> str:
    # Actions also run outside requests (CLI, jobs): then the portal's default language.
    lang = tk.h.lang() if has_request_context() else None
    return lang or tk.config.get("ckan.locale_default")


def _empty(value: Any) -> bool:
    return value is tk.missing or value is None or value == ""


@scheming_validator
def shanghai_choice(field: dict[str, Any], schema: dict[str, Any]) -> Callable[[Any], Any]:
    """One of the field's choices; the error lists every allowed value."""

    def validator(value: Any) -> Any:
        if _empty(value):
            return value
        choices = scheming_field_choices(field) or []
        if value in [c["value"] for c in choices]:
            return value
        lang = _language()
        allowed = ", ".join(
            f"{c['value']} ({scheming_language_text(c.get('label', c['value']), lang)})"
            for c in choices)
        raise tk.Invalid(tk._("Unknown value \"{value}\". Allowed values: {allowed}").format(
            value=value, allowed=allowed))

    return validator


def shanghai_open_type_privacy(key: FlattenKey, data: FlattenDataDict,
                               errors: FlattenErrorDict, context: Context) -> None:
    """A non-open dataset is always private to its department."""
    if data.get(key) == "non_open":
        data[("private",)] = True


def shanghai_catalogue_code_unique(key: FlattenKey, data: FlattenDataDict,
                                   errors: FlattenErrorDict, context: Context) -> None:
    """No other live dataset may carry the same 信息资源代码."""
    code = data.get(key)
    if _empty(code):
        return
    package = context.get("package")
    own_id = data.get(("id",)) or (package.id if package else None)
    pkg = model.package_table
    query = sa.select(pkg.c.name).where(
        pkg.c.extras["catalogue_code"].astext == code, pkg.c.state != "deleted")
    if own_id:
        query = query.where(pkg.c.id != own_id, pkg.c.name != own_id)
    other = model.Session.execute(query.limit(1)).scalar()
    if other:
        errors[key].append(tk._("Catalogue code {code} is already used by dataset {name}").format(
            code=code, name=other))


def shanghai_non_negative_integer(value: Any, context: Context) -> Any:
    """A whole number ≥ 0 (stored as text, as all CKAN extras are)."""
    if _empty(value):
        return value
    try:
        number = int(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Must be a whole number, got \"{value}\"").format(value=value)) from None
    if number < 0:
        raise tk.Invalid(tk._("Must be zero or more, got {value}").format(value=number))
    return str(number)


def shanghai_not_before(other: str) -> Callable[..., None]:
    """The date is not earlier than the date in field ``other``."""

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        value, start = data.get(key), data.get((other,))
        if _empty(value) or _empty(start):
            return
        if str(value)[:10] < str(start)[:10]:
            errors[key].append(tk._("Must not be earlier than {field} ({date})").format(
                field=other, date=str(start)[:10]))

    return validator


def shanghai_table_schema(value: Any, context: Context) -> Any:
    """A registered Table Schema name, or a Table Schema (dict or JSON text)."""
    if _empty(value):
        return value
    if isinstance(value, str) and not value.strip().startswith("{"):
        name = value.strip()
        if name not in table_schemas.names():
            raise tk.Invalid(tk._("Unknown Table Schema \"{name}\". Registered: {names}").format(
                name=name, names=", ".join(table_schemas.names()) or "-"))
        return name
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as e:
            raise tk.Invalid(tk._("Table Schema is not valid JSON: {error}").format(error=e)) from e
    problems = table_schemas.check_descriptor(value)
    if problems:
        raise tk.Invalid(tk._("Not a valid Table Schema: {problems}").format(
            problems="; ".join(problems)))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def shanghai_table_schema_output(value: Any, context: Context) -> Any:
    """Inline schemas come back to API users as objects, names as text."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
