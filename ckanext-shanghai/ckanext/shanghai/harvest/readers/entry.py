"""What every reader yields: one catalogue entry with the place it came from."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where an entry (or a problem) was found, so that messages can name it.

    ``row`` is the row number a person sees in the file (1-based, header rows
    included); for the JSON API ``sheet`` is ``page N`` and ``row`` the entry's
    position on that page.
    """

    source: str
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        parts = [self.source]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        return ", ".join(parts)


@dataclass(frozen=True)
class ReadProblem:
    """Something a reader could not read in one entry (the entry still comes out,
    so the problem is reported against it and the other entries go on).

    ``code`` is stable (``undecodable_bytes``, ``bad_row`` …); ``field`` is the
    canonical field name, or ``None`` for the whole row.
    """

    code: str
    field: str | None
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class DataItem:
    """One 信息项 (a column of the resource's data)."""

    name: str
    data_type: str
    length: str = ""
    description: str = ""


@dataclass
class CatalogueEntry:
    """One 政务信息资源目录 entry as delivered, before any interpretation.

    ``fields`` maps canonical field names (see ``headers.ENTRY_HEADERS``) to the
    raw text (stripped, full-width forms left alone: that is the mapping's job).
    """

    fields: dict[str, str]
    location: Location
    data_items: list[DataItem] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The 信息资源代码 as written (may be empty: the mapping reports that)."""
        return self.fields.get("code", "").strip()

    def to_json(self) -> dict[str, object]:
        """A JSON-able form (harvest objects carry entries between stages)."""
        return {
            "fields": self.fields,
            "location": {"source": self.location.source, "sheet": self.location.sheet,
                         "row": self.location.row},
            "data_items": [[i.name, i.data_type, i.length, i.description] for i in self.data_items],
            "problems": [[p.code, p.field, p.message_zh, p.message_en] for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CatalogueEntry:
        """The inverse of :meth:`to_json`."""
        location = data["location"]
        assert isinstance(location, dict)
        items = data.get("data_items") or []
        problems = data.get("problems") or []
        assert isinstance(items, list) and isinstance(problems, list)
        fields = data["fields"]
        assert isinstance(fields, dict)
        return cls(
            fields={str(k): str(v) for k, v in fields.items()},
            location=Location(str(location["source"]), location.get("sheet"), location.get("row")),
            data_items=[DataItem(*item) for item in items],
            problems=[ReadProblem(*p) for p in problems],
        )

    def content_hash(self) -> str:
        """A digest of what the entry says (not where it is), to skip unchanged entries."""
        payload = json.dumps([sorted(self.fields.items()),
                              [[i.name, i.data_type, i.length, i.description] for i in self.data_items]],
                             ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CatalogueReadError(Exception):
    """A whole source could not be read (missing file, no recognisable header,
    authentication refused …): the harvest job fails and nothing is changed."""

    def __init__(self, source: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{source}: {message_zh} / {message_en}")
        self.source = source
        self.message_zh = message_zh
        self.message_en = message_en
