"""Facet counts kept by the database, for searches that match everything.

``shanghai_search_facet_count`` holds, for each combination of the index columns
that filters on visibility read (``state``, ``private``, ``dataset_type``,
``organization``, ``permission_labels``), how many datasets have each
``field:value`` of ``facet_values``, and under the pair ``''`` how many datasets
there are. Triggers on the index append a row per changed combination and pair
(``+n`` for rows written, ``-n`` for rows replaced or deleted) instead of updating
a total, so concurrent writers never wait on one another or deadlock; the rows of
one combination and pair are summed when read, and folded into one row every
``_COMPACT_EVERY`` write statements (``shanghai_search_compact_facet_counts``).

A search with no free text whose filters read only those columns (the landing
page, an organisation's page, with or without the private datasets a user may
read) sums these rows under the same filters: a condition on those columns is
true or false for every dataset of a combination alike, so the sums are exact.
(See ``search.backend._totals``.)

Revision ID: b9e4f1a7c2d6
Revises: a7c3e2f9b1d4
Create Date: 2026-12-01
"""
from alembic import op

revision = "b9e4f1a7c2d6"
down_revision = "a7c3e2f9b1d4"
branch_labels = None
depends_on = None

_DIMENSIONS = "state, private, dataset_type, organization, permission_labels"
#: Write statements between two foldings of the rows (one in this many triggers folds).
_COMPACT_EVERY = 256


def _counted(rows: str, sign: str) -> str:
    """``rows``' datasets counted per combination and pair (``''``: the dataset itself)."""
    return (f"SELECT {_DIMENSIONS}, pair, {sign}count(*) AS n "
            f"FROM {rows}, unnest(array_append(facet_values, '')) AS pair "
            f"GROUP BY {_DIMENSIONS}, pair")


def upgrade():
    op.execute("""
        CREATE TABLE shanghai_search_facet_count (
            state text, private boolean NOT NULL, dataset_type text, organization text,
            permission_labels text[] NOT NULL, pair text NOT NULL, n bigint NOT NULL)""")
    # Owned by the table, so that dropping the table (CKAN's test reset) drops it too.
    op.execute("CREATE SEQUENCE shanghai_search_facet_writes "
               "OWNED BY shanghai_search_facet_count.n")
    op.execute(f"INSERT INTO shanghai_search_facet_count "
               f"{_counted('shanghai_search_index', '')}")
    # Folds the rows of each combination and pair into one; the advisory lock keeps
    # a second folding from waiting on the first's row locks.
    op.execute(f"""
        CREATE OR REPLACE FUNCTION shanghai_search_compact_facet_counts() RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            IF pg_try_advisory_xact_lock(hashtext('shanghai_search_facet_count')) THEN
                WITH gone AS (DELETE FROM shanghai_search_facet_count RETURNING *)
                INSERT INTO shanghai_search_facet_count
                SELECT {_DIMENSIONS}, pair, sum(n) FROM gone
                GROUP BY {_DIMENSIONS}, pair HAVING sum(n) <> 0;
            END IF;
        END $$""")
    # An update counts its rows' old values out and their new ones in, netted, so
    # reindexing a dataset without a change adds no row.
    op.execute(f"""
        CREATE OR REPLACE FUNCTION shanghai_search_count_facets() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO shanghai_search_facet_count {_counted('written', '')};
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO shanghai_search_facet_count {_counted('replaced', '-')};
            ELSE
                INSERT INTO shanghai_search_facet_count
                SELECT {_DIMENSIONS}, pair, sum(n) FROM (
                    {_counted('written', '')} UNION ALL {_counted('replaced', '-')}) AS net
                GROUP BY {_DIMENSIONS}, pair HAVING sum(n) <> 0;
            END IF;
            IF nextval('shanghai_search_facet_writes') % {_COMPACT_EVERY} = 0 THEN
                PERFORM shanghai_search_compact_facet_counts();
            END IF;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE OR REPLACE FUNCTION shanghai_search_clear_facet_counts() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM shanghai_search_facet_count;
            RETURN NULL;
        END $$""")
    # A trigger with transition tables has one event each.
    for event, tables in (("INSERT", "NEW TABLE AS written"),
                          ("UPDATE", "OLD TABLE AS replaced NEW TABLE AS written"),
                          ("DELETE", "OLD TABLE AS replaced")):
        op.execute(f"""
            CREATE TRIGGER shanghai_search_index_facets_{event.lower()}
            AFTER {event} ON shanghai_search_index REFERENCING {tables}
            FOR EACH STATEMENT EXECUTE FUNCTION shanghai_search_count_facets()""")
    op.execute("""
        CREATE TRIGGER shanghai_search_index_facets_truncate
        AFTER TRUNCATE ON shanghai_search_index
        FOR EACH STATEMENT EXECUTE FUNCTION shanghai_search_clear_facet_counts()""")


def downgrade():
    for event in ("insert", "update", "delete", "truncate"):
        op.execute(f"DROP TRIGGER shanghai_search_index_facets_{event} ON shanghai_search_index")
    op.execute("DROP FUNCTION shanghai_search_count_facets()")
    op.execute("DROP FUNCTION shanghai_search_clear_facet_counts()")
    op.execute("DROP FUNCTION shanghai_search_compact_facet_counts()")
    op.execute("DROP TABLE shanghai_search_facet_count")
