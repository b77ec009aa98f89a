"""home page indexes: a comment's replies by date, an institution's answers by target date

The member's home finds the replies to a person under that person's own comments, since a date
(ix_comments_parent_created, which also serves every lookup by parent and so replaces ix_comments_parent_id);
the reviewer's home finds the implementation updates due from the institution's answers by target date
(ix_answers_institution_target).

Revision ID: 0014_homes
Revises: 0013_search_folding
Create Date: 2026-12-07 04:30:00

"""
from alembic import op

revision = '0014_homes'
down_revision = '0013_search_folding'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_parent_created', ['parent_id', 'created_at'], unique=False)
        batch_op.drop_index('ix_comments_parent_id')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_institution_target', ['institution_id', 'target_date'], unique=False)


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_institution_target')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_parent_id', ['parent_id'], unique=False)
        batch_op.drop_index('ix_comments_parent_created')
