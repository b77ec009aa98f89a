"""reminder progress: how far the closing reminder for a deadline has come

The closing reminder is written a batch of people at a time, each batch committed on its own, so that the
site's writes never wait behind the whole alliance. declarations.closing_reminder_through keeps the last person
told for the deadline in closing_reminder_sent_for: a run that stops half-way goes on from there, and no one is
told twice. Reminders already sent count as done for everyone (through = the highest user id).

Revision ID: 0014_reminder_progress
Revises: 0013_search_folding
Create Date: 2026-12-07 04:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0014_reminder_progress'
down_revision = '0013_search_folding'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('declarations', sa.Column('closing_reminder_through', sa.Integer(), nullable=False,
                                            server_default='0'))
    op.execute("UPDATE declarations SET closing_reminder_through = (SELECT COALESCE(MAX(id), 0) FROM users) "
               "WHERE closing_reminder_sent_for IS NOT NULL")


def downgrade():
    op.drop_column('declarations', 'closing_reminder_through')
