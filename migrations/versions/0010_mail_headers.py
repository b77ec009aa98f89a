"""mail headers: an outbox message can carry extra headers (List-Unsubscribe on bulk notifications)

Revision ID: 0010_mail_headers
Revises: 0009_two_factor
Create Date: 2026-12-09 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0010_mail_headers'
down_revision = '0009_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('headers')
