"""Loading validated tables into CKAN's DataStore (only data that passed validation).

Loaded by the validation job itself through CKAN's ``datastore_create`` /
``datastore_upsert`` actions, with column types from the Table Schema and the rows
typed by frictionless, instead of running ckanext-xloader: xloader would guess types
again, load invalid files too, and need a second queue, worker and API token.
"""
from __future__ import annotations

import datetime
import decimal
from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import engine

#: Table Schema type → DataStore (PostgreSQL) column type.
TYPES = {"string": "text", "integer": "int8", "number": "numeric", "boolean": "bool",
         "date": "date", "datetime": "timestamp", "time": "time", "year": "int4"}
BATCH = 5000


def enabled() -> bool:
    """The DataStore plugin is on and loading is not switched off."""
    return p.plugin_loaded("datastore") and tk.config.get(
        "ckanext.shanghai.validation.datastore_load")


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            # timestamp columns hold UTC without a zone (PostgreSQL would drop the offset).
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def fields(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """DataStore field definitions, with the schema's titles as labels."""
    return [{"id": f["name"], "type": TYPES.get(f.get("type", "string"), "text"),
             "info": {"label": f.get("title", ""), "notes": f.get("description", "")}}
            for f in descriptor["fields"]]


def load(resource_id: str, path: Path, fmt: str, descriptor: dict[str, Any],
         encoding: str | None) -> int:
    """Replace the resource's DataStore table with the file's rows; return the count."""
    context = _context()
    wanted = fields(descriptor)
    try:
        info = tk.get_action("datastore_info")(dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        info = None
    if info is not None:
        same = [(f["id"], f["type"]) for f in info["fields"]] == \
            [(f["id"], f["type"]) for f in wanted]
        # Emptying the table (filters={}) keeps it, and the resource's datastore_active
        # flag, so reloading makes no new dataset revision; other columns need a new one.
        tk.get_action("datastore_delete")(dict(context), dict(
            {"resource_id": resource_id, "force": True}, **({"filters": {}} if same else {})))
    create: dict[str, Any] = {"resource_id": resource_id, "force": True, "fields": wanted}
    if descriptor.get("primaryKey"):
        create["primary_key"] = descriptor["primaryKey"]
    tk.get_action("datastore_create")(dict(context), create)
    import frictionless  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    options: dict[str, Any] = {"schema": frictionless.Schema.from_descriptor(descriptor),
                               "format": fmt}
    if encoding:
        options["encoding"] = encoding
    names = [f["name"] for f in descriptor["fields"]]
    count = 0
    batch: list[dict[str, Any]] = []
    with engine.resource(path, **options) as table:
        for row in table.row_stream:
            batch.append({name: _json_value(row[name]) for name in names})
            if len(batch) == BATCH:
                count += _insert(context, resource_id, batch)
    count += _insert(context, resource_id, batch)
    _ensure_preview(context, resource_id)
    return count


def _insert(context: dict[str, Any], resource_id: str, batch: list[dict[str, Any]]) -> int:
    if not batch:
        return 0
    tk.get_action("datastore_upsert")(dict(context), {
        "resource_id": resource_id, "records": batch, "method": "insert", "force": True})
    loaded = len(batch)
    batch.clear()
    return loaded


def _ensure_preview(context: dict[str, Any], resource_id: str) -> None:
    """A DataTables view on the resource page, once."""
    if not p.plugin_loaded("datatables_view"):
        return
    views = tk.get_action("resource_view_list")(dict(context), {"id": resource_id})
    if any(v["view_type"] == "datatables_view" for v in views):
        return
    tk.get_action("resource_view_create")(dict(context), {
        "resource_id": resource_id, "view_type": "datatables_view", "title": "数据预览"})
