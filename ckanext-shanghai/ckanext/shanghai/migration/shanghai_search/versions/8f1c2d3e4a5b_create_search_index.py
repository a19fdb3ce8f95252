"""Create the search index table.

Revision ID: 8f1c2d3e4a5b
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "8f1c2d3e4a5b"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shanghai_search_index",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText),
        sa.Column("private", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("dataset_type", sa.UnicodeText),
        sa.Column("organization", sa.UnicodeText),
        sa.Column("metadata_created", sa.DateTime),
        sa.Column("metadata_modified", sa.DateTime),
        sa.Column("permission_labels", postgresql.ARRAY(sa.UnicodeText), nullable=False,
                  server_default="{}"),
        sa.Column("fields", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("search_vector", postgresql.TSVECTOR),
        sa.Column("data_dict", sa.UnicodeText),
        sa.Column("validated_data_dict", sa.UnicodeText),
        sa.Column("indexed_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("shanghai_search_index_name", "shanghai_search_index", ["name"])
    op.create_index("shanghai_search_index_vector", "shanghai_search_index",
                    ["search_vector"], postgresql_using="gin")
    op.create_index("shanghai_search_index_fields", "shanghai_search_index", ["fields"],
                    postgresql_using="gin", postgresql_ops={"fields": "jsonb_path_ops"})
    op.create_index("shanghai_search_index_labels", "shanghai_search_index",
                    ["permission_labels"], postgresql_using="gin")
    op.create_index("shanghai_search_index_modified", "shanghai_search_index",
                    ["metadata_modified"])


def downgrade():
    op.drop_table("shanghai_search_index")
