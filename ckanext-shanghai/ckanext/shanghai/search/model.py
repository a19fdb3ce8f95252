"""The search index table: one row per dataset (created by this plugin's migrations)."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

#: Fields counted from ``facet_values``: the portal's facets and CKAN's defaults.
#: Facets on other fields are counted from ``fields`` (slower, same result).
FACET_FIELDS = frozenset({"organization", "groups", "tags", "res_format", "license_id",
                          "data_domain", "open_type"})


def facet_values(fields: dict[str, list[str]]) -> list[str]:
    """``field:value`` for each value of the facet fields (field names have no colon),
    each once: a facet counts datasets, so two CSV resources count one for CSV."""
    return [f"{name}:{value}" for name in sorted(FACET_FIELDS)
            for value in dict.fromkeys(fields.get(name, ()))]


class SearchIndexEntry(tk.BaseModel):
    """A dataset as the search sees it.

    ``fields`` maps every indexed field name to a list of strings (the same
    names CKAN's Solr schema uses: ``tags``, ``groups``, ``res_format``, our
    scheming fields …); ``facet_values`` repeats the values of ``FACET_FIELDS``
    as ``field:value``, and ``facet_codes`` the codes of those pairs
    (``facet_code``) in a short ``bytea`` that stays inline in the row, set by a
    trigger on every write, so facets are counted without reading ``fields``;
    ``tag_vector`` repeats the tags' words
    (they share weight B with data items in ``search_vector``) for ranking only,
    ``rank_vector`` the title's lexemes and the tags, kept in the row (the
    wide columns are out of line) so that every match can be ranked by it
    cheaply before the first ones are ranked on ``search_vector``;
    and ``quality`` the quality score the score sort breaks ties by;
    ``data_dict`` / ``validated_data_dict`` are the JSON
    that ``package_search`` returns, so results never need a ``package_show``.
    """

    __tablename__ = "shanghai_search_index"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title: Mapped[str | None] = mapped_column(sa.UnicodeText)
    state: Mapped[str | None] = mapped_column(sa.UnicodeText)
    private: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    dataset_type: Mapped[str | None] = mapped_column(sa.UnicodeText)
    organization: Mapped[str | None] = mapped_column(sa.UnicodeText)
    metadata_created: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    metadata_modified: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    permission_labels: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.UnicodeText), nullable=False, default=list)
    facet_values: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.UnicodeText), nullable=False, default=list)
    facet_codes: Mapped[bytes] = mapped_column(
        sa.LargeBinary, nullable=False, server_default=sa.text("''::bytea"))
    fields: Mapped[dict[str, Any]] = mapped_column(postgresql.JSONB, nullable=False,
                                                   default=dict)
    search_vector: Mapped[Any] = mapped_column(postgresql.TSVECTOR)
    tag_vector: Mapped[Any] = mapped_column(postgresql.TSVECTOR)
    rank_vector: Mapped[Any] = mapped_column(postgresql.TSVECTOR)
    quality: Mapped[Decimal | None] = mapped_column(sa.Numeric)
    data_dict: Mapped[str | None] = mapped_column(sa.UnicodeText)
    validated_data_dict: Mapped[str | None] = mapped_column(sa.UnicodeText)
    indexed_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, server_default=sa.func.now())


table: sa.Table = SearchIndexEntry.__table__

#: The index generation, bumped by a trigger on every write to the index table.
#: Not in CKAN's metadata: CKAN's test reset must not empty it.
generation = sa.table("shanghai_search_generation", sa.column("value", sa.BigInteger))

#: Facet counts per combination of the visibility columns, appended to by triggers
#: on every write to the index table (migration ``b9e4f1a7c2d6``); the rows of one
#: combination and pair are summed when read. The pair ``''`` counts the datasets.
#: Not in CKAN's metadata, as ``generation``: CKAN's test reset deletes the index's
#: rows, and the triggers count them out.
FACET_COUNT_DIMENSIONS = ("state", "private", "dataset_type", "organization",
                          "permission_labels")
facet_counts = sa.table(
    "shanghai_search_facet_count",
    sa.column("state", sa.UnicodeText), sa.column("private", sa.Boolean),
    sa.column("dataset_type", sa.UnicodeText), sa.column("organization", sa.UnicodeText),
    sa.column("permission_labels", postgresql.ARRAY(sa.UnicodeText)),
    sa.column("pair", sa.UnicodeText), sa.column("n", sa.BigInteger))

#: The code of each ``field:value`` in ``facet_codes`` (migration ``d3a7f1c9e2b5``):
#: given once and never reused. Not in CKAN's metadata either.
facet_code = sa.table("shanghai_search_facet_code", sa.column("code", sa.Integer),
                      sa.column("pair", sa.UnicodeText))
