"""one-time form keys: a create form sent twice makes one object

Revision ID: 0006_form_keys
Revises: 0005_moderation_text
Create Date: 2026-12-02 15:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006_form_keys'
down_revision = '0005_moderation_text'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('answer_url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_keys')),
    sa.UniqueConstraint('key', name=op.f('uq_form_keys_key'))
    )
    with op.batch_alter_table('form_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_keys_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('form_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_keys_created_at'))
    op.drop_table('form_keys')
