"""Create the validation report table.

Revision ID: 5d2e8c41a7b9
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "5d2e8c41a7b9"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shanghai_validation_report",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("schema_name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("source", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("started", sa.DateTime),
        sa.Column("finished", sa.DateTime),
        sa.Column("rows", sa.BigInteger),
        sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("message_zh", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("report", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("datastore_rows", sa.BigInteger),
    )


def downgrade():
    op.drop_table("shanghai_validation_report")
