"""home page indexes: what each block of the home page reads, found without reading a whole table

The member's home finds the replies to a person under that person's own comments (ix_comments_author_status,
then ix_comments_parent_id: a parent index that also held the date would lead SQLite, without statistics, to
read every first comment of every thread in date order for one text's page of threads), and their amendments
decided lately (ix_amendments_proposer_decided); the reviewer's home finds the
implementation updates due from the institution's answers by target date (ix_answers_institution_target; the
visitor's home reads the newest published answers by ix_answers_published_at, from 0015); the coordinator's
home counts the comments held for moderation from the index alone and the open flags (ix_comments_status on
status and deletion, ix_comment_flags_resolved_at); a person's comments, and theirs held for moderation, by
ix_comments_author_status (which replaces ix_comments_author_id); the signatures counted in sign-on by
ix_signatures_declaration_status (which replaces ix_signatures_declaration_id: SQLite, without statistics,
would otherwise read every active signature by ix_signatures_status).

Revision ID: 0016_homes
Revises: 0015_tracker
Create Date: 2026-12-07 04:30:00

"""
from alembic import op

revision = '0016_homes'
down_revision = '0015_tracker'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_status', ['status', 'deleted_at'], unique=False)
        batch_op.drop_index('ix_comments_author_id')
        batch_op.create_index('ix_comments_author_status', ['author_id', 'status'], unique=False)
    with op.batch_alter_table('comment_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_flags_resolved_at'), ['resolved_at'], unique=False)
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.create_index('ix_amendments_proposer_decided', ['proposer_id', 'decided_at'], unique=False)
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_institution_target', ['institution_id', 'target_date'], unique=False)
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_declaration_status', ['declaration_id', 'status'], unique=False)
        batch_op.drop_index('ix_signatures_declaration_id')


def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_declaration_id', ['declaration_id'], unique=False)
        batch_op.drop_index('ix_signatures_declaration_status')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_institution_target')
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_index('ix_amendments_proposer_decided')
    with op.batch_alter_table('comment_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_flags_resolved_at'))
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_status')
        batch_op.create_index('ix_comments_author_id', ['author_id'], unique=False)
        batch_op.drop_index('ix_comments_status')
