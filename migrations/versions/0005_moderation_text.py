"""moderation decisions keep the text they were taken on

Revision ID: 0005_moderation_text
Revises: 0004_submissions
Create Date: 2026-12-02 15:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005_moderation_text'
down_revision = '0004_submissions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), server_default='', nullable=False))
    # Earlier decisions: the comment's text as it stands now (a comment its author deleted has none left).
    op.execute("UPDATE moderation_decisions SET text = COALESCE((SELECT body_source FROM comments "
               "WHERE comments.id = moderation_decisions.comment_id), '')")


def downgrade():
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_column('text')
