"""A small in-row vector to rank by, and a narrow heap.

``rank_vector``: the title's lexemes (class A of ``search_vector``) and the tags
(``tag_vector``). ``search.backend`` orders the matches by it first and ranks only
the first ``ckanext.shanghai.search.rank_window`` of them on the whole
``search_vector``, which is TOASTed: reading it for every match of a common word
cost seconds at 200,000 datasets. Filled here in SQL (``ts_filter`` keeps the very
lexemes Python made), so no rebuild is needed.

Storage: the columns that filters, facets and ranking read stay in the row
(``MAIN``); ``toast_tuple_target`` pushes the wide ones (``fields``, the vectors,
the two JSON dicts) out of line, so a scan over the matches reads fewer pages.
Rows take the new layout when written: the ``UPDATE`` below rewrites them all.

Revision ID: a7c3e2f9b1d4
Revises: e5a8b3c1d9f0
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a7c3e2f9b1d4"
down_revision = "e5a8b3c1d9f0"
branch_labels = None
depends_on = None

_IN_ROW = ("id", "name", "title", "state", "dataset_type", "organization",
           "permission_labels", "facet_values", "rank_vector")


def upgrade():
    op.add_column("shanghai_search_index", sa.Column("rank_vector", postgresql.TSVECTOR))
    for column in _IN_ROW:
        op.execute(f"ALTER TABLE shanghai_search_index ALTER COLUMN {column} SET STORAGE MAIN")
    op.execute("ALTER TABLE shanghai_search_index SET (toast_tuple_target = 128)")
    op.execute("""
        UPDATE shanghai_search_index SET rank_vector =
            ts_filter(search_vector, '{a}') || coalesce(tag_vector, ''::tsvector)""")


def downgrade():
    op.execute("ALTER TABLE shanghai_search_index RESET (toast_tuple_target)")
    for column in _IN_ROW[:-1]:
        op.execute(f"ALTER TABLE shanghai_search_index ALTER COLUMN {column} SET STORAGE EXTENDED")
    op.drop_column("shanghai_search_index", "rank_vector")
