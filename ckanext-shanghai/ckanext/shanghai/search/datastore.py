"""Chinese full-text search in the DataStore (``datastore_search`` ``q``).

CKAN's DataStore fills each row's ``_full_text`` with ``to_tsvector`` of its text
(the trigger function ``populate_full_text_trigger``, which ``ckan datastore
set-permissions`` creates, owned by the write user), and PostgreSQL keeps a run of
Chinese characters such as 黄浦区 as one lexeme: 黄浦 would not find it.

* Rows: :func:`install`, run by the ``migrate`` role right after CKAN's
  permissions script (which writes CKAN's version of the function), replaces it with one that adds every CJK
  character and character bigram of the row's text, the rule of ``tokens.py``'s
  index tokens (jieba's words are left out: they cannot run inside PostgreSQL).
* Queries: the chained ``datastore_search`` (``logic/action.py``) hands CKAN, for a
  string ``q``, :func:`query_text`: ``tokens.query_lexemes`` (the bigrams of its CJK
  runs and its Latin words), all required; CKAN keeps the rank (``ts_rank`` over
  ``_full_text``), ``filters``, ``sort`` and paging.

Not at start-up: a web node or worker has no business changing the database's
functions. Rows written before :func:`install` keep their old ``_full_text`` until
they are written again (validation reloads a table whenever it validates it again),
and running ``ckan datastore set-permissions`` by hand puts CKAN's function back
until the next ``migrate``.
"""
from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from psycopg2.sql import SQL, Composable, Composed

from ckanext.datastore.backend.postgres import get_write_engine

from . import tokens

log = logging.getLogger(__name__)

_CJK_RUN_RE = re.compile(f"[{tokens.CJK_CLASS}]+")

# What separates CJK runs, as tokens.py finds them.
_NOT_CJK = f"[^{tokens.CJK_CLASS}]+"

#: A row's text as CKAN's trigger joins it: its non-``_`` values, space-separated.
_ROW_CONTENT = ("(SELECT string_agg(value, ' ') FROM json_each_text({row}) "
                "WHERE key NOT LIKE '\\_%')")

#: A row's full text: CKAN's (``to_tsvector`` of its content) and every CJK character
#: and character bigram of it. The bigrams: the content's CJK runs, space-separated,
#: are cut into pairs from each run's first character, then from its second
#: (PostgreSQL 13+: normalize()). :func:`cjk_grams` is the same rule in Python, for
#: loaders that write many rows at once (:func:`full_text_sql`).
ROW_FULL_TEXT = "shanghai_row_full_text"
_ROW_FULL_TEXT = f"""
CREATE OR REPLACE FUNCTION {ROW_FULL_TEXT}(row_values json) RETURNS tsvector AS $body$
    DECLARE content text; runs text;
    BEGIN
        content := {_ROW_CONTENT.format(row="row_values")};
        runs := regexp_replace(lower(normalize(content, NFKC)), '{_NOT_CJK}', ' ', 'g');
        RETURN to_tsvector(content) || array_to_tsvector(array_remove(string_to_array(
            regexp_replace(runs, '([^ ])', '\\1 ', 'g') || ' '
            || regexp_replace(runs, '([^ ])([^ ])', '\\1\\2 ', 'g') || ' '
            || regexp_replace(regexp_replace(runs, '(^| )[^ ]', ' ', 'g'), '([^ ])([^ ])',
                              '\\1\\2 ', 'g'), ' '), ''));
    END;
$body$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
"""

#: CKAN's trigger function, indexing what :data:`ROW_FULL_TEXT` does.
_TRIGGER = f"""
CREATE OR REPLACE FUNCTION populate_full_text_trigger() RETURNS trigger AS $body$
    BEGIN
        IF NEW._full_text IS NULL THEN
            NEW._full_text := {ROW_FULL_TEXT}(row_to_json(NEW.*));
        END IF;
        RETURN NEW;
    END;
$body$ LANGUAGE plpgsql
"""


def cjk_grams(values: Iterable[str]) -> str:
    """The CJK characters and bigrams :data:`ROW_FULL_TEXT` indexes for a row whose
    text values are ``values``, as a tsvector literal. The trigger joins the values
    with spaces, so no run of CJK crosses from one value to the next: the row's grams
    are its values' (which repeat from row to row, and are remembered)."""
    grams: set[str] = set()
    for value in values:
        if not value.isascii():
            grams |= _value_grams(value)
    return " ".join(f"'{gram}'" for gram in grams)  # CJK needs no quoting


@functools.lru_cache(maxsize=1 << 16)
def _value_grams(value: str) -> frozenset[str]:
    grams: set[str] = set()
    for run in _CJK_RUN_RE.findall(unicodedata.normalize("NFKC", value).lower()):
        grams.update(run)
        grams.update(map(str.__add__, run, run[1:]))
    return frozenset(grams)


#: Column types whose text as ``json_each_text`` gives it is not their own output
#: (``true``, not ``t``; ``2001-05-01T08:00:00``; a date whatever the DateStyle).
_JSON_TEXT_TYPES = {"bool", "date", "timestamp", "timestamptz", "time", "json", "jsonb"}


#: Columns per call of a variadic function (PostgreSQL takes at most 100 arguments).
_ARGUMENTS = 90


def content_sql(columns: Sequence[tuple[Composable, str]]) -> Composed:
    """A row's text as the trigger joins it (:data:`_ROW_CONTENT`: its values as
    ``row_to_json`` writes them, space-separated, NULLs left out, NULL when all are),
    from its ``columns`` (the column, its PostgreSQL type) without going through JSON,
    which costs most of the set-based full text. A wide row is joined in groups (an
    empty group adds only spaces, which ``to_tsvector`` skips)."""
    values = [SQL("(to_json({}) #>> '{{}}')").format(column) if kind in _JSON_TEXT_TYPES
              else column for column, kind in columns]
    groups = [slice(n, n + _ARGUMENTS) for n in range(0, len(columns), _ARGUMENTS)]
    present = SQL(" + ").join(
        SQL("num_nonnulls({})").format(SQL(", ").join(c for c, _ in columns[group]))
        for group in groups)
    joined = [SQL("concat_ws(' ', {})").format(SQL(", ").join(values[group]))
              for group in groups]
    text = joined[0] if len(joined) == 1 else SQL("concat_ws(' ', {})").format(
        SQL(", ").join(joined))
    return SQL("CASE WHEN {} = 0 THEN NULL ELSE {} END").format(present, text)


def full_text_sql(content: Composable, grams: Composable) -> Composed:
    """The SQL of a row's full text, set-based: ``content`` the row's text
    (:func:`content_sql`) and ``grams`` its :func:`cjk_grams`. What the trigger
    computes row by row, at a fraction of the cost for many rows."""
    return SQL("to_tsvector({}) || CAST({} AS tsvector)").format(content, grams)


def install() -> None:
    """Make the DataStore index rows with CJK tokens (idempotent; an advisory lock
    keeps two ``migrate`` runs from racing on the function definitions)."""
    with get_write_engine().begin() as connection:
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(
            sa.func.hashtext("shanghai_search.datastore"))))
        connection.execute(sa.text(_ROW_FULL_TEXT))
        connection.execute(sa.text(_TRIGGER))
        # the bigrams' first form, before there was one function for a row
        connection.execute(sa.text("DROP FUNCTION IF EXISTS shanghai_cjk_tokens(text)"))
    log.info("DataStore full-text search indexes Chinese characters and bigrams")


def _json_object(text: str) -> bool:
    """``text`` is a JSON object, as CKAN's ``unicode_or_json_validator`` reads it."""
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def query_text(q: Any) -> str | None:
    """The text to hand CKAN for a string ``q``: its lexemes, space-separated (each is
    one token to PostgreSQL's parser, so ``plainto_tsquery`` requires them all), or
    None to leave ``q`` as it is (not a string, a JSON object of columns, no words).
    A string that only looks like JSON (``{:0``) is words too: CKAN would put it into
    its SQL text, where ``:0`` reads as a bind parameter."""
    if not isinstance(q, str) or _json_object(q):
        return None
    lexemes = [lexeme for term in q.split() for lexeme in tokens.query_lexemes(term)]
    return " ".join(lexemes) or None
