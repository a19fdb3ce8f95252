"""Team members join by accepting an invitation.

Until now ``shanghai_team_register`` made every named user a member at once. Named
users become invitations instead; existing members other than the leader (who never
agreed) are moved to invitations, so only leaders stay members.

Revision ID: 6c1f4e2a9b37
Revises: 3b7e9a1c5d20
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "6c1f4e2a9b37"
down_revision = "3b7e9a1c5d20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shanghai_bundles_invitation",
        sa.Column("team_id", sa.UnicodeText,
                  sa.ForeignKey("shanghai_bundles_team.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.UnicodeText, primary_key=True, index=True),
        sa.Column("contest_id", sa.UnicodeText, nullable=False),
        sa.Column("invited_by", sa.UnicodeText, nullable=False),
        sa.Column("invited", sa.DateTime, nullable=False),
    )
    op.execute("""
        INSERT INTO shanghai_bundles_invitation (team_id, user_id, contest_id, invited_by,
                                                 invited)
        SELECT m.team_id, m.user_id, m.contest_id, COALESCE(l.user_id, ''), m.joined
        FROM shanghai_bundles_team_member m
        LEFT JOIN shanghai_bundles_team_member l
          ON l.team_id = m.team_id AND l.role = 'leader'
        WHERE m.role <> 'leader'""")
    op.execute("DELETE FROM shanghai_bundles_team_member WHERE role <> 'leader'")


def downgrade():
    # Pending invitations are dropped, not turned into members: nobody joins a team
    # without having accepted.
    op.drop_table("shanghai_bundles_invitation")
