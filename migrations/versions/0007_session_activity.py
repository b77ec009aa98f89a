"""login sessions remember when they were last used and from which browser (idle timeout, session list)

Revision ID: 0007_session_activity
Revises: 0006_form_keys
Create Date: 2026-12-02 15:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_session_activity'
down_revision = '0006_form_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), server_default=sa.func.current_timestamp(),
                                      nullable=False))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_column('user_agent')
        batch_op.drop_column('last_seen_at')
