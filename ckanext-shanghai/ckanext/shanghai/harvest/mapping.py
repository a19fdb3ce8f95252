"""Catalogue entry → CKAN dataset dict of our schema (``schemas/dataset.yaml``).

A pure function: no CKAN; the vocabularies come from ``common/vocabulary.py``, the
domains as a parameter (the caller's configured ones). Everything an entry says
wrong is collected and raised together as one :class:`MappingError`, each problem
with a stable code, the field, the place and what was expected, in Chinese and English.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.shanghai.common import vocabulary
from ckanext.shanghai.common.vocabulary import DomainTable

from .readers.entry import CatalogueEntry, DataItem, Location
from .readers.headers import ENTRY_HEADERS

NAME_PREFIX = "cat-"

#: 数据类型 → Frictionless field type. 二进制 has no Table Schema type: it travels as
#: base64 text, which the field's description says.
DATA_TYPES = {
    "字符型": "string", "字符串": "string", "文本": "string", "文本型": "string",
    "数值型": "number", "数字": "number", "浮点型": "number", "小数": "number",
    "日期型": "date", "日期": "date",
    "日期时间型": "datetime", "日期时间": "datetime", "时间戳": "datetime",
    "整型": "integer", "整数": "integer", "整数型": "integer",
    "布尔型": "boolean", "逻辑型": "boolean", "布尔": "boolean",
    "二进制": "string", "二进制型": "string",
    **{t: t for t in ("string", "number", "date", "datetime", "integer", "boolean")},
}
BINARY_TYPES = {"二进制", "二进制型"}
FORMATS = {
    "电子表格": "XLSX", "xlsx": "XLSX", "xls": "XLS", "excel": "XLSX", "csv": "CSV", "文本": "CSV",
    "接口": "API", "api": "API", "服务接口": "API", "json": "JSON", "xml": "XML", "数据库": "CSV",
}

_DATE_FORMS = (
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_LIST_SEPARATOR = re.compile(r"[;；,，、\n]+")
_TAG_JUNK = re.compile(r"[^\w \-.]")
_PATH_SEPARATOR = re.compile(r"[/>|\\·—-]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an entry. ``code`` is stable (for filters and tests)."""

    code: str
    field: str | None
    expected_zh: str
    expected_en: str
    value: str = ""

    def describe(self, location: Location) -> str:
        """One line naming the place, the field, the value and what was expected."""
        header = f"{_header_of(self.field)} ({self.field})" if self.field else "—"
        value = f" “{self.value}”" if self.value else ""
        return (f"{location}, 字段 {header}{value}: {self.expected_zh} / "
                f"field {self.field or '-'}{value}: {self.expected_en} [{self.code}]")


class MappingError(ValueError):
    """An entry that cannot become a dataset; ``problems`` lists every reason."""

    def __init__(self, location: Location, problems: list[Problem]) -> None:
        self.location = location
        self.problems = problems
        super().__init__("\n".join(p.describe(location) for p in problems))


def _header_of(field: str) -> str:
    return ENTRY_HEADERS.get(field, (field,))[0]


def _norm(text: str) -> str:
    """For codes, dates and vocabulary values: full-width forms folded."""
    return unicodedata.normalize("NFKC", text).strip()


def _text(text: str) -> str:
    """For names and prose: kept as written (（万元） stays full-width), only trimmed."""
    return text.strip().strip("\u3000").strip()


def domain_of(classification: str, catalogue_code: str = "", *, domains: DomainTable) -> str | None:
    """The data domain of a classification (a class name, a name path, or a class
    code), falling back to the class code that begins the catalogue code."""
    codes, names = domains.by_class_code, domains.by_class_name
    text = re.sub(r"\s+", "", _norm(classification))
    if text in names:
        return names[text]
    first = _PATH_SEPARATOR.split(text)[0] if text else ""
    if first in names:
        return names[first]
    for candidate in (text, _norm(catalogue_code)):
        match = re.match(r"[A-Za-z]\d{2,}", candidate)
        if match:
            prefix = match.group(0).upper()
            for length in range(len(prefix), 2, -1):
                if prefix[:length] in codes:
                    return codes[prefix[:length]]
        if text:
            break  # a classification was given: do not guess from the code
    return None


def parse_date(text: str) -> dt.date:
    """2016年12月02日, 2016/12/2, 2016.12.2, 20161202, 2016-12-02 (with or without a
    time) → a date; ``ValueError`` otherwise (also for 2016-02-30)."""
    value = _norm(text)
    for form in _DATE_FORMS:
        match = form.fullmatch(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    raise ValueError(text)


def dataset_name(catalogue_code: str) -> str:
    """The dataset's URL name, derived from the catalogue code alone, so the same
    entry always lands on the same dataset. Codes with characters a URL name cannot
    keep get a short digest of the code so that two of them never collide."""
    code = _norm(catalogue_code)
    slug = re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")
    # Only codes of upper-case letters and digits joined by "-" map one-to-one onto a slug.
    if not re.fullmatch(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", code) or len(NAME_PREFIX + slug) > 100:
        digest = hashlib.sha1(code.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug[:100 - len(NAME_PREFIX) - 11]}-{digest}".strip("-")
    return NAME_PREFIX + slug


def table_schema(items: list[DataItem]) -> tuple[dict[str, Any], list[Problem]]:
    """The data items as a Frictionless Table Schema, and the items' problems."""
    fields: list[dict[str, Any]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        name = _text(item.name)
        if not name:
            problems.append(Problem("missing_item_name", "data_items", f"第 {number} 个信息项缺少信息项名称",
                                    f"data item {number} has no name"))
            continue
        if name in seen:
            problems.append(Problem("duplicate_item", "data_items", f"信息项名称重复（第 {number} 个）",
                                    f"data item names must be unique (item {number})", name))
            continue
        seen.add(name)
        raw_type = _norm(item.data_type)
        kind = DATA_TYPES.get(raw_type) or DATA_TYPES.get(raw_type.lower())
        if kind is None:
            problems.append(Problem(
                "unknown_data_type", "data_items",
                f"信息项“{name}”的数据类型应为 字符型/数值型/日期型/日期时间型/整型/布尔型/二进制 之一",
                f"data item {name!r}: 数据类型 must be one of 字符型, 数值型, 日期型, 日期时间型, 整型, "
                "布尔型, 二进制", item.data_type))
            continue
        field: dict[str, Any] = {"name": name, "title": name, "type": kind}
        description = _text(item.description)
        if raw_type in BINARY_TYPES:
            description = (description + "；" if description else "") + "二进制内容，以 base64 文本表示"
        if description:
            field["description"] = description
        length = _norm(item.length)
        if kind == "string" and length.isdigit() and int(length) > 0 and raw_type not in BINARY_TYPES:
            field["constraints"] = {"maxLength": int(length)}
        fields.append(field)
    return {"fields": fields}, problems


def _choice(fields: Mapping[str, str], key: str, table: Mapping[str, str], required: bool,
            expected: str, problems: list[Problem]) -> str | None:
    raw = fields.get(key, "")
    value = re.sub(r"\s+", "", _norm(raw))
    if not value:
        if required:
            problems.append(Problem("missing_field", key, "缺少必填字段", "required field is missing"))
        return None
    code = table.get(value) or table.get(value.lower())
    if code is None:
        problems.append(Problem(f"unknown_{key}", key, f"应为 {expected} 之一", f"expected one of {expected}", raw))
    return code


def _date(fields: Mapping[str, str], key: str, problems: list[Problem]) -> str | None:
    raw = fields.get(key, "")
    if not raw.strip():
        return None
    try:
        return parse_date(raw).isoformat()
    except ValueError:
        problems.append(Problem("bad_date", key, "日期应写作 2016-12-02、2016/12/2、2016年12月02日 或 20161202",
                                "a date such as 2016-12-02, 2016/12/2, 2016年12月02日 or 20161202", raw))
        return None


def _list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATOR.split(_text(text)) if part.strip()]


def _labels(field_name: str) -> str:
    return "/".join(t.title for t in vocabulary.choices(field_name))


def map_entry(entry: CatalogueEntry, *, owner_org: str, domains: DomainTable) -> dict[str, Any]:
    """The dataset dict for ``entry`` in department ``owner_org`` (id or name), with
    the data domains of ``domains`` (``vocabulary.domain_table`` of the configured file).

    Raises :class:`MappingError` listing every problem (including those the reader
    found, such as undecodable bytes).
    """
    fields = entry.fields
    problems = [Problem(p.code, p.field, p.message_zh, p.message_en) for p in entry.problems]
    for key in ("code", "name"):
        if not fields.get(key, "").strip():
            problems.append(Problem("missing_field", key, "缺少必填字段", "required field is missing"))
    code = _norm(fields.get("code", ""))
    domain = _domain(fields, code, domains, problems)
    open_type = _choice(fields, "open_type", vocabulary.spellings("open_type"), True,
                        _labels("open_type"), problems)
    share_type = _choice(fields, "share_type", vocabulary.spellings("share_type"), False,
                         _labels("share_type"), problems)
    frequency = _choice(fields, "update_cycle", vocabulary.spellings("update_frequency"), True,
                        _labels("update_frequency"), problems)
    dates = {key: _date(fields, key, problems)
             for key in ("release_date", "last_updated", "temporal_start", "temporal_end")}
    record_count = _record_count(fields, problems)
    schema, item_problems = table_schema(entry.data_items)
    problems += item_problems
    if problems:
        raise MappingError(entry.location, problems)

    title = _text(fields["name"])
    data: dict[str, Any] = {
        "name": dataset_name(code),
        "title": title,
        "notes": _text(fields.get("abstract", "")),
        "owner_org": owner_org,
        "data_domain": domain,
        "open_type": open_type,
        "private": open_type == "non_open",
        "catalogue_code": code,
        "update_frequency": frequency,
        "license_id": vocabulary.licence_for(open_type or "non_open"),
        **{key: value for key, value in dates.items() if value},
    }
    optional = {"title_en": "title_en", "open_conditions": "open_conditions",
                "contact_name": "contact_name", "contact_email": "contact_email"}
    for target, key in optional.items():
        if _text(fields.get(key, "")):
            data[target] = _text(fields[key])
    if share_type:
        data["share_type"] = share_type
    if record_count is not None:
        data["record_count"] = record_count
    scenarios = _list(fields.get("app_scenarios", ""))
    if scenarios:
        data["app_scenarios"] = scenarios
    tags = [_TAG_JUNK.sub("", t)[:100] for t in _list(fields.get("tags", ""))]
    data["tags"] = [{"name": t} for t in dict.fromkeys(t for t in tags if len(t) >= 2)]
    url = _norm(fields.get("url", ""))
    if schema["fields"] or url:
        data["resources"] = [_resource(title, url, fields, schema)]
    return data


def _domain(fields: Mapping[str, str], code: str, domains: DomainTable, problems: list[Problem]) -> str | None:
    """The data domain of the entry's classification (or code); ``None`` without either,
    or with a problem when neither maps to a domain."""
    if not (fields.get("classification", "").strip() or code):
        return None
    domain = domain_of(fields.get("classification", ""), code, domains=domains)
    if domain is None:
        problems.append(Problem(
            "unknown_domain", "classification",
            "无法对应到数据领域（见 schemas/classification_domains.yaml）",
            "no data domain for this classification (see schemas/classification_domains.yaml)",
            fields.get("classification", "")))
    return domain


def _record_count(fields: Mapping[str, str], problems: list[Problem]) -> int | None:
    """The record count (thousands separators allowed); ``None`` when empty or bad."""
    raw_count = _norm(fields.get("record_count", "")).replace(",", "")
    if not raw_count:
        return None
    if raw_count.isdigit():
        return int(raw_count)
    problems.append(Problem("bad_integer", "record_count", "应为非负整数", "a whole number ≥ 0",
                            fields["record_count"]))
    return None


def _resource(title: str, url: str, fields: Mapping[str, str], schema: dict[str, Any]) -> dict[str, Any]:
    """The one resource of a dataset: its link, format and the data items' table schema."""
    raw_format = _norm(fields.get("format", ""))
    resource = {
        "name": title,
        "url": url,
        "format": FORMATS.get(raw_format.lower(), raw_format.upper() if raw_format.isascii() else raw_format),
    }
    if schema["fields"]:
        resource["description"] = f"信息项 {len(schema['fields'])} 个"
        resource["schema"] = json.dumps(schema, ensure_ascii=False, sort_keys=True)
    return resource
