"""Narrow facet column, an organisation index and the index generation.

``facet_values`` holds ``field:value`` for the facet fields, so that facets are
counted from a short inline array instead of the wide, TOASTed ``fields`` JSONB.
``shanghai_search_generation`` is bumped by a statement trigger on every write to
the index; cached search answers are keyed by it (see ``search.backend``).

Revision ID: c4d7e9a1b2f3
Revises: 8f1c2d3e4a5b
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c4d7e9a1b2f3"
down_revision = "8f1c2d3e4a5b"
branch_labels = None
depends_on = None

# The facet fields at the time of this migration (ckanext.shanghai.search.model.FACET_FIELDS).
_FACET_FIELDS = ["organization", "groups", "tags", "res_format", "license_id",
                 "data_domain", "open_type"]


def upgrade():
    op.add_column("shanghai_search_index", sa.Column(
        "facet_values", postgresql.ARRAY(sa.UnicodeText), nullable=False, server_default="{}"))
    op.execute(sa.text("""
        UPDATE shanghai_search_index SET facet_values = ARRAY(
            SELECT f.name || ':' || v.value
            FROM unnest(CAST(:names AS text[])) AS f(name)
            CROSS JOIN jsonb_array_elements_text(
                COALESCE(fields -> f.name, '[]'::jsonb)) AS v(value))
    """).bindparams(names=_FACET_FIELDS))
    op.create_index("shanghai_search_index_organization", "shanghai_search_index",
                    ["organization"])
    op.execute("CREATE TABLE shanghai_search_generation (value bigint NOT NULL)")
    # Owned by the table, so that dropping the table (CKAN's test reset) drops it too.
    op.execute("CREATE SEQUENCE shanghai_search_generation_seq "
               "OWNED BY shanghai_search_generation.value")
    op.execute("INSERT INTO shanghai_search_generation "
               "VALUES (nextval('shanghai_search_generation_seq'))")
    # nextval, not value + 1: a sequence never hands out a number twice, so a
    # generation seen inside a transaction that is rolled back is never reused.
    op.execute("""
        CREATE OR REPLACE FUNCTION shanghai_search_bump_generation() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE shanghai_search_generation
               SET value = nextval('shanghai_search_generation_seq');
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER shanghai_search_index_generation
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shanghai_search_index
        FOR EACH STATEMENT EXECUTE FUNCTION shanghai_search_bump_generation()""")


def downgrade():
    op.execute("DROP TRIGGER shanghai_search_index_generation ON shanghai_search_index")
    op.execute("DROP FUNCTION shanghai_search_bump_generation()")
    op.execute("DROP TABLE shanghai_search_generation")
    op.drop_index("shanghai_search_index_organization", "shanghai_search_index")
    op.drop_column("shanghai_search_index", "facet_values")
