"""An index on the lowercased title, for the exact-title match of the ranking.

A dataset whose title is the query (ignoring case) ranks first
(``search.compiler.rank_expression``); its ids are looked up once through this
index instead of lowering the title of every match.

Revision ID: e8b2c4d6f1a3
Revises: d3a7f1c9e2b5
Create Date: 2026-12-01
"""
from alembic import op

revision = "e8b2c4d6f1a3"
down_revision = "d3a7f1c9e2b5"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX shanghai_search_index_title_lower "
               "ON shanghai_search_index (lower(title))")


def downgrade():
    op.execute("DROP INDEX shanghai_search_index_title_lower")
