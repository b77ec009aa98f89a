"""lists in order: the declarations by when they last changed

The list of declarations shows the most recently changed first; filtered by a pillar or a theme, each
declaration is checked against its recommendations. Read in the index's order, a page stops at its last row
(25 declarations checked, not every one of them sorted first).

Revision ID: 0017_lists_order
Revises: 0016_homes
Create Date: 2026-12-07 05:20:00

"""
from alembic import op

revision = '0017_lists_order'
down_revision = '0016_homes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_declarations_updated', 'declarations', ['updated_at', 'id'])


def downgrade():
    op.drop_index('ix_declarations_updated', table_name='declarations')
