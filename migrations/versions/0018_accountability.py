"""accountability: deadlines per institution, recommendations followed across the years, classification, the
open-data archive

- recipient_deadlines: when each institution a submission went to should acknowledge receipt and answer, and
  which reminders its reviewers were sent (a coordinator may move a deadline; the submission never changes).
- recommendation_lines, and recommendations.line_id: the same ask carried forward from declaration to
  declaration.
- earlier_declarations, earlier_recommendations, earlier_answers: the years before Sanad, imported from a CSV.
- untoc, sdg_targets, groups on recommendation_revisions and submitted_recommendations: a recommendation's
  classification from controlled lists (keys, as JSON lists; empty for what came before).
- open_data_archives: the bulk download of the public data, built by a job when the data changed.

Revision ID: 0018_accountability
Revises: 0017_lists_order
Create Date: 2026-12-07 06:16:22.054629

"""
import sqlalchemy as sa
from alembic import op

revision = '0018_accountability'
down_revision = '0017_lists_order'
branch_labels = None
depends_on = None

LINE_FK = 'fk_recommendations_line_id_recommendation_lines'


def upgrade():
    op.create_table('open_data_archives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=64), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('archive', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_data_archives')),
    sa.UniqueConstraint('stamp', name=op.f('uq_open_data_archives_stamp'))
    )
    op.create_table('earlier_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_earlier_declarations_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_earlier_declarations')),
    sa.UniqueConstraint('year', 'title', name=op.f('uq_earlier_declarations_year'))
    )
    with op.batch_alter_table('earlier_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earlier_declarations_year'), ['year'], unique=False)

    op.create_table('recommendation_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recommendation_lines_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_lines'))
    )
    op.create_table('earlier_recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('pillar', sa.String(length=20), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('untoc', sa.JSON(), nullable=False),
    sa.Column('sdg_targets', sa.JSON(), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('assessment', sa.String(length=20), nullable=True),
    sa.Column('assessment_notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['earlier_declarations.id'], name=op.f('fk_earlier_recommendations_declaration_id_earlier_declarations')),
    sa.ForeignKeyConstraint(['line_id'], ['recommendation_lines.id'], name=op.f('fk_earlier_recommendations_line_id_recommendation_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_earlier_recommendations')),
    sa.UniqueConstraint('declaration_id', 'number', name=op.f('uq_earlier_recommendations_declaration_id'))
    )
    with op.batch_alter_table('earlier_recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earlier_recommendations_line_id'), ['line_id'], unique=False)

    op.create_table('earlier_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=20), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_earlier_answers_institution_id_institutions')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['earlier_recommendations.id'], name=op.f('fk_earlier_answers_recommendation_id_earlier_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_earlier_answers'))
    )
    with op.batch_alter_table('earlier_answers', schema=None) as batch_op:
        batch_op.create_index('ix_earlier_answers_institution', ['institution_id', 'recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_earlier_answers_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recipient_deadlines',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('acknowledge_by', sa.Date(), nullable=False),
    sa.Column('answer_by', sa.Date(), nullable=False),
    sa.Column('reminded', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_recipient_deadlines_institution_id_institutions')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_recipient_deadlines_set_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_recipient_deadlines_submission_id_submissions')),
    sa.PrimaryKeyConstraint('submission_id', 'institution_id', name=op.f('pk_recipient_deadlines'))
    )
    with op.batch_alter_table('recipient_deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_recipient_deadlines_acknowledge_by', ['acknowledge_by'], unique=False)
        batch_op.create_index('ix_recipient_deadlines_answer_by', ['answer_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipient_deadlines_institution_id'), ['institution_id'], unique=False)

    for column in ('untoc', 'sdg_targets', 'groups'):
        op.add_column('recommendation_revisions', sa.Column(column, sa.JSON(), server_default='[]', nullable=False))

    # As 0012 did: on SQLite the foreign key is written with the column, without recreating the table.
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('recommendations', sa.Column('line_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(LINE_FK), 'recommendations', 'recommendation_lines', ['line_id'], ['id'])
    else:
        op.execute(f'ALTER TABLE recommendations ADD COLUMN line_id INTEGER '
                   f'CONSTRAINT {LINE_FK} REFERENCES recommendation_lines (id)')
    op.create_index(op.f('ix_recommendations_line_id'), 'recommendations', ['line_id'], unique=False)

    # Not in batch mode: recreating the table on SQLite would drop the triggers that keep it immutable (0004).
    for column in ('untoc', 'sdg_targets', 'groups'):
        op.add_column('submitted_recommendations', sa.Column(column, sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    # Not in batch mode: recreating the table on SQLite would drop the triggers that keep it immutable (0004),
    # and drop revisions that others refer to.
    for column in ('groups', 'sdg_targets', 'untoc'):
        op.drop_column('submitted_recommendations', column)

    op.drop_index(op.f('ix_recommendations_line_id'), table_name='recommendations')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f(LINE_FK), 'recommendations', type_='foreignkey')
    op.drop_column('recommendations', 'line_id')

    for column in ('groups', 'sdg_targets', 'untoc'):
        op.drop_column('recommendation_revisions', column)

    with op.batch_alter_table('recipient_deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipient_deadlines_institution_id'))
        batch_op.drop_index('ix_recipient_deadlines_answer_by')
        batch_op.drop_index('ix_recipient_deadlines_acknowledge_by')

    op.drop_table('recipient_deadlines')
    with op.batch_alter_table('earlier_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earlier_answers_recommendation_id'))
        batch_op.drop_index('ix_earlier_answers_institution')

    op.drop_table('earlier_answers')
    with op.batch_alter_table('earlier_recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earlier_recommendations_line_id'))

    op.drop_table('earlier_recommendations')
    op.drop_table('recommendation_lines')
    with op.batch_alter_table('earlier_declarations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earlier_declarations_year'))

    op.drop_table('earlier_declarations')
    op.drop_table('open_data_archives')
