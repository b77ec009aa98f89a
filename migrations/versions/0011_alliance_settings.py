"""alliance settings: names in English and Urdu, short name, contact address, default lengths, recipients' defaults

Edited by admins at /admin/settings. One row, none until the first save: until then the environment's first
values apply.

Revision ID: 0011_alliance_settings
Revises: 0010_mail_headers
Create Date: 2026-12-06 23:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011_alliance_settings'
down_revision = '0010_mail_headers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'alliance_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('name_ur', sa.String(length=200), nullable=False),
        sa.Column('short_name', sa.String(length=40), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=False),
        sa.Column('consultation_days', sa.Integer(), nullable=False),
        sa.Column('signon_days', sa.Integer(), nullable=False),
        sa.Column('acknowledge_days', sa.Integer(), nullable=False),
        sa.Column('answer_days', sa.Integer(), nullable=False),
        sa.Column('default_recipient_ids', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_alliance_settings_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_settings')),
    )


def downgrade():
    op.drop_table('alliance_settings')
