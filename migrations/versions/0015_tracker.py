"""tracker indexes: answers by (item, institution, publication) and by publication date, updates by (item,
institution, date), submitted recommendations in the tracker's order

The tracker filters, orders and pages in SQL (app/responses/tracker.py): "the current published answer" and "the
latest implementation update" of a recommendation and institution are conditions that no newer row exists, which
these indexes answer without reading the other rows.

Revision ID: 0015_tracker
Revises: 0014_reminder_progress
Create Date: 2026-12-07 04:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0015_tracker'
down_revision = '0014_reminder_progress'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX (no batch mode: nothing here needs SQLite's table copy, which would drop triggers).
    op.create_index('ix_answers_item_institution_published', 'answers', ['item_id', 'institution_id', 'published_at'])
    op.create_index('ix_answers_published_at', 'answers', ['published_at'])
    op.create_index('ix_implementation_updates_item_institution_date', 'implementation_updates',
                    ['item_id', 'institution_id', 'happened_on'])
    op.create_index('ix_submitted_recommendations_tracker', 'submitted_recommendations',
                    [sa.text('submission_id DESC'), 'number'])


def downgrade():
    op.drop_index('ix_submitted_recommendations_tracker', table_name='submitted_recommendations')
    op.drop_index('ix_implementation_updates_item_institution_date', table_name='implementation_updates')
    op.drop_index('ix_answers_published_at', table_name='answers')
    op.drop_index('ix_answers_item_institution_published', table_name='answers')
