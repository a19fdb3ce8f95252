"""Create the SODA contest bundle tables.

Revision ID: 3b7e9a1c5d20
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "3b7e9a1c5d20"
down_revision = None
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.UnicodeText, primary_key=True)


def _fk(name, table, **kw):
    return sa.Column(name, sa.UnicodeText,
                     sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), **kw)


def _text(name, **kw):
    return sa.Column(name, sa.UnicodeText, nullable=False, server_default="", **kw)


def upgrade():
    op.create_table(
        "shanghai_bundles_contest", _id(),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        _text("title_en"),
        sa.Column("edition", sa.Integer, nullable=False),
        _text("theme"), _text("description"), _text("rules"),
        sa.Column("terms", sa.UnicodeText, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "shanghai_bundles_bundle", _id(),
        _fk("contest_id", "shanghai_bundles_contest", nullable=False, index=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        _text("title_en"), _text("description"),
        sa.Column("stage", sa.UnicodeText, nullable=False),
        sa.Column("access_tier", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.UniqueConstraint("contest_id", "name"),
    )
    op.create_table(
        "shanghai_bundles_item", _id(),
        _fk("bundle_id", "shanghai_bundles_bundle", nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("bundle_id", "resource_id"),
    )
    op.create_table(
        "shanghai_bundles_version", _id(),
        _fk("bundle_id", "shanghai_bundles_bundle", nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("published", sa.DateTime, nullable=False),
        sa.Column("published_by", sa.UnicodeText, nullable=False),
        _text("notes"),
        sa.Column("directory", sa.UnicodeText, nullable=False),
        sa.Column("zip_size", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("bundle_id", "number"),
    )
    op.create_table(
        "shanghai_bundles_version_file", _id(),
        _fk("version_id", "shanghai_bundles_version", nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("path", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("stored_as", sa.UnicodeText, nullable=False),
        sa.Column("media_type", sa.UnicodeText, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.UnicodeText, nullable=False),
        sa.Column("crc32", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("version_id", "path"),
    )
    op.create_table(
        "shanghai_bundles_team", _id(),
        _fk("contest_id", "shanghai_bundles_contest", nullable=False, index=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        _text("institution"),
        sa.Column("registered", sa.DateTime, nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("contest_id", "name"),
    )
    op.create_table(
        "shanghai_bundles_team_member",
        _fk("team_id", "shanghai_bundles_team", primary_key=True),
        sa.Column("user_id", sa.UnicodeText, primary_key=True),
        sa.Column("contest_id", sa.UnicodeText, nullable=False),
        sa.Column("role", sa.UnicodeText, nullable=False),
        sa.Column("joined", sa.DateTime, nullable=False),
        sa.UniqueConstraint("contest_id", "user_id"),
    )
    op.create_table(
        "shanghai_bundles_terms_acceptance", _id(),
        _fk("team_id", "shanghai_bundles_team", nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("terms_sha256", sa.UnicodeText, nullable=False),
        sa.Column("accepted", sa.DateTime, nullable=False),
    )
    op.create_table(
        "shanghai_bundles_verification", _id(),
        _fk("team_id", "shanghai_bundles_team", nullable=False, index=True),
        sa.Column("organiser_id", sa.UnicodeText, nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
        _text("note"),
        sa.Column("decided", sa.DateTime, nullable=False),
    )
    op.create_table(
        "shanghai_bundles_download", _id(),
        _fk("version_id", "shanghai_bundles_version", nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("team_id", sa.UnicodeText),
        sa.Column("file_name", sa.UnicodeText),
        sa.Column("byte_range", sa.UnicodeText),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("requested", sa.DateTime, nullable=False),
    )


def downgrade():
    for table in ("download", "verification", "terms_acceptance", "team_member", "team",
                  "version_file", "version", "item", "bundle", "contest"):
        op.drop_table(f"shanghai_bundles_{table}")
