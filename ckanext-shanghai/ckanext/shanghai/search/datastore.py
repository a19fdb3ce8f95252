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

import logging
from typing import Any

import sqlalchemy as sa

from ckanext.datastore.backend.postgres import get_write_engine

from . import tokens

log = logging.getLogger(__name__)

# A CJK run, as tokens.py finds them.
_CJK_RUN = f"[{tokens.CJK_CLASS}]+"

#: The row's CJK characters and bigrams as a tsvector (PostgreSQL 13+: normalize()).
_CJK_TOKENS = f"""
CREATE OR REPLACE FUNCTION shanghai_cjk_tokens(content text) RETURNS tsvector AS $body$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT substr(run, i, n))), ''::tsvector)
    FROM regexp_matches(lower(normalize(content, NFKC)), '{_CJK_RUN}', 'g') AS m(parts),
         LATERAL (SELECT parts[1] AS run) AS r,
         LATERAL generate_series(1, char_length(run)) AS i,
         (VALUES (1), (2)) AS k(n)
    WHERE i + n - 1 <= char_length(run)
$body$ LANGUAGE sql IMMUTABLE PARALLEL SAFE
"""

#: CKAN's trigger function, with the CJK tokens added to what it indexes.
_TRIGGER = r"""
CREATE OR REPLACE FUNCTION populate_full_text_trigger() RETURNS trigger AS $body$
    DECLARE content text;
    BEGIN
        IF NEW._full_text IS NOT NULL THEN
            RETURN NEW;
        END IF;
        content := (SELECT string_agg(value, ' ')
                    FROM json_each_text(row_to_json(NEW.*))
                    WHERE key NOT LIKE '\_%');
        NEW._full_text := to_tsvector(content) || shanghai_cjk_tokens(content);
        RETURN NEW;
    END;
$body$ LANGUAGE plpgsql
"""

def install() -> None:
    """Make the DataStore index rows with CJK tokens (idempotent; an advisory lock
    keeps two ``migrate`` runs from racing on the function definitions)."""
    with get_write_engine().begin() as connection:
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(
            sa.func.hashtext("shanghai_search.datastore"))))
        connection.execute(sa.text(_CJK_TOKENS))
        connection.execute(sa.text(_TRIGGER))
    log.info("DataStore full-text search indexes Chinese characters and bigrams")


def query_text(q: Any) -> str | None:
    """The text to hand CKAN for a string ``q``: its lexemes, space-separated (each is
    one token to PostgreSQL's parser, so ``plainto_tsquery`` requires them all), or
    None to leave ``q`` as it is (not a string, a JSON object of columns, no words)."""
    if not isinstance(q, str) or q.lstrip().startswith("{"):
        return None
    lexemes = [lexeme for term in q.split() for lexeme in tokens.query_lexemes(term)]
    return " ".join(lexemes) or None
