"""Turns a dataset dict into the flat document the index stores (pure, no database).

The field names follow CKAN's Solr schema (``tags``, ``groups``, ``organization``,
``res_format``, ``capacity``, ``extras_*`` …) so that the ``fq`` strings CKAN and
other extensions send mean the same thing here.
"""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dateutil.parser import ParserError
from dateutil.parser import parse as parse_date

from ckanext.shanghai.common import table_schemas

if TYPE_CHECKING:
    from .compiler import Weight

#: Fields whose values stay lists in results (Solr's multi-valued fields).
MULTI_VALUED = frozenset({
    "tags", "groups", "res_name", "res_description", "res_format", "res_url",
    "res_type", "permission_labels", "app_scenarios",
})

_RESOURCE_FIELDS = (("name", "res_name"), ("description", "res_description"),
                    ("format", "res_format"), ("url", "res_url"),
                    ("resource_type", "res_type"))

#: Text weights: A title, B tags, groups and data items (the Table Schema fields a
#: search for 泊位数 should find, ranked above descriptions), C description and
#: other text, D resources.  PostgreSQL has four weights, so tags and data items
#: share one; ``tag_texts`` go into a second vector that ranks tags above them.
_WEIGHT_A = ("title", "name", "title_en")
_WEIGHT_B = ("tags", "groups", "organization_title", "group_titles", "res_fields")
_WEIGHT_D = ("res_name", "res_description", "res_format")
_NOT_TEXT = frozenset({
    "id", "owner_org", "state", "type", "dataset_type", "capacity", "private",
    "site_id", "entity_type", "index_id", "metadata_created", "metadata_modified",
    "res_url", "res_type", "license_id", "creator_user_id", "data_dict",
    "validated_data_dict", "url", "version", "permission_labels", "num_tags",
    "num_resources", "num_data_items", "isopen",
})


def iso_utc(value: Any) -> str | None:
    """Dates as the index stores them (``YYYY-MM-DDTHH:MM:SSZ``), or None."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = parse_date(str(value))
        except (ParserError, OverflowError, ValueError):
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _strings(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [str(value)]


def flatten(pkg_dict: dict[str, Any], validated: dict[str, Any],
            vocabulary_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Solr-style document of a dataset: what ``before_dataset_index`` sees.
    Vocabulary tags go under ``vocab_<vocabulary name>`` (``vocabulary_names`` by id)."""
    doc: dict[str, Any] = {}
    for source in (pkg_dict, validated):
        for key, value in source.items():
            if isinstance(value, (str, int, float, bool)) or (
                    isinstance(value, list) and all(isinstance(v, str) for v in value)):
                doc.setdefault(key, value)
    for extra in pkg_dict.get("extras") or []:
        key, value = extra["key"], extra["value"]
        doc["extras_" + key] = value
        doc.setdefault(key, value)

    tags: list[str] = []
    for tag in pkg_dict.get("tags") or []:
        if tag.get("vocabulary_id"):
            vocabulary = (vocabulary_names or {}).get(tag["vocabulary_id"], tag["vocabulary_id"])
            doc.setdefault("vocab_" + vocabulary, []).append(tag["name"])
        else:
            tags.append(tag["name"])
    doc["tags"] = tags
    groups = pkg_dict.get("groups") or []
    doc["groups"] = [g["name"] for g in groups]
    doc["group_titles"] = [g.get("title") or "" for g in groups]
    org = pkg_dict.get("organization") or {}
    doc["organization"] = org.get("name")
    doc["organization_title"] = org.get("title")
    doc["capacity"] = "private" if pkg_dict.get("private") else "public"
    doc["dataset_type"] = pkg_dict.get("type")
    doc["entity_type"] = "package"

    resources = validated.get("resources") or pkg_dict.get("resources") or []
    for resource_key, doc_key in _RESOURCE_FIELDS:
        doc[doc_key] = [r.get(resource_key) or "" for r in resources]
    schema_fields = [f for r in resources for f in _schema_fields(r.get("schema"))]
    # Column names are searchable, and counted as the catalogue's data items (数据项).
    doc["res_fields"] = [" ".join(filter(None, (f.get("name"), f.get("title"))))
                         for f in schema_fields]
    doc["num_data_items"] = len(schema_fields)
    return doc


def _schema_fields(schema: Any) -> list[dict[str, Any]]:
    if isinstance(schema, str) and schema in table_schemas.names():
        schema = table_schemas.load(schema)
    if isinstance(schema, dict):
        return [f for f in schema.get("fields") or [] if isinstance(f, dict)]
    return []


def index_fields(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Every document field as a list of strings; dates normalised to ISO UTC."""
    fields: dict[str, list[str]] = {}
    for key, value in doc.items():
        values = _strings(value)
        if key.endswith(("_date", "metadata_created", "metadata_modified")):
            values = [d for d in (iso_utc(v) for v in values) if d]
        if values:
            fields[key] = values
    return fields


def weighted_texts(doc: dict[str, Any]) -> dict[Weight, list[str]]:
    """The document's text by search weight ("A" … "D")."""
    texts: dict[Weight, list[str]] = {"A": [], "B": [], "C": [], "D": []}
    weight: Weight
    for key, value in doc.items():
        if key in _WEIGHT_A:
            weight = "A"
        elif key in _WEIGHT_B:
            weight = "B"
        elif key in _WEIGHT_D:
            weight = "D"
        elif key in _NOT_TEXT or key.startswith("extras_") or not isinstance(value, (str, list)):
            continue
        else:
            weight = "C"
        texts[weight].extend(_strings(value))
    return texts


def tag_texts(doc: dict[str, Any]) -> list[str]:
    """The free tags (class B of ``weighted_texts``), for the ranking-only ``tag_vector``."""
    return _strings(doc.get("tags"))
