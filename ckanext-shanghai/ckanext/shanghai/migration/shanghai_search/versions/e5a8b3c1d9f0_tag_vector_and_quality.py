"""Two narrow ranking columns (the tags' own vector and the quality score), and
facet values counted once per dataset.

``tag_vector``: ``search_vector`` has PostgreSQL's four weights, and tags share
weight B with the Table Schema's data items; the tags alone add a ranking term
(``search.compiler.rank_expression``) so that a tag match outranks a data item.
Rows indexed before this migration keep a NULL ``tag_vector``: they are found and
ranked as before until ``ckan search-index rebuild`` (the tokens are made in
Python, so SQL cannot fill it).

``quality``: the score sort breaks ties by quality; read from the wide, TOASTed
``fields`` it cost a detoast per matching row (seconds for a match-everything
search at 200,000 datasets). Filled here from ``fields``, with an index in the
order of the default sort, so the landing page reads its first page from it.

Revision ID: e5a8b3c1d9f0
Revises: c4d7e9a1b2f3
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "e5a8b3c1d9f0"
down_revision = "c4d7e9a1b2f3"
branch_labels = None
depends_on = None

# search.compiler's rule for a stored string that may be cast to numeric.
_NUMBER = r"^[+-]?([0-9]{1,100}(\.[0-9]{0,100})?|\.[0-9]{1,100})$"


def upgrade():
    op.add_column("shanghai_search_index", sa.Column("tag_vector", postgresql.TSVECTOR))
    op.add_column("shanghai_search_index", sa.Column("quality", sa.Numeric))
    op.execute(sa.text("""
        UPDATE shanghai_search_index SET quality = CAST(fields -> 'quality' ->> 0 AS numeric)
        WHERE fields -> 'quality' ->> 0 ~ :number""").bindparams(number=_NUMBER))
    # A facet counts datasets: each value once per row (two CSV resources, one CSV).
    op.execute("""
        UPDATE shanghai_search_index SET facet_values = ARRAY(
            SELECT DISTINCT v FROM unnest(facet_values) AS v ORDER BY v)
        WHERE cardinality(facet_values) > (SELECT count(DISTINCT v) FROM unnest(facet_values) AS v)""")
    op.execute("""
        CREATE INDEX shanghai_search_index_default_order ON shanghai_search_index
        (quality DESC NULLS LAST, metadata_modified DESC NULLS LAST, id)""")


def downgrade():
    op.drop_index("shanghai_search_index_default_order", "shanghai_search_index")
    op.drop_column("shanghai_search_index", "quality")
    op.drop_column("shanghai_search_index", "tag_vector")
