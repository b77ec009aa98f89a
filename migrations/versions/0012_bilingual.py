"""bilingual declarations: an original language and an optional second one, translated parts, translators

Every existing declaration, revision and version is English and single-language: `language` defaults to
'en', and nothing else changes, so every version's canonical content and hash stay byte for byte the same.

Revision ID: 0012_bilingual
Revises: 0011_alliance_settings
Create Date: 2026-12-07 01:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012_bilingual'
down_revision = '0011_alliance_settings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('declarations') as batch:
        batch.add_column(sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
        batch.add_column(sa.Column('translation_language', sa.String(length=2), nullable=True))
        batch.add_column(sa.Column('title_translation', sa.String(length=300), server_default='', nullable=False))
        batch.add_column(sa.Column('summary_translation', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('title_needs_translation', sa.String(length=2), nullable=True))
    for table in ('section_revisions', 'recommendation_revisions'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
    for table, revisions in (('sections', 'section_revisions'), ('recommendations', 'recommendation_revisions')):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('translation_revision_id', sa.Integer(), nullable=True))
            batch.add_column(sa.Column('needs_translation', sa.String(length=2), nullable=True))
            batch.create_foreign_key(op.f(f'fk_{table}_translation_revision_id_{revisions}'), revisions,
                                     ['translation_revision_id'], ['id'], use_alter=True)
    for table in ('comments', 'amendments'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('language', sa.String(length=2), nullable=True))
    op.create_table(
        'declaration_translators',
        sa.Column('declaration_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'],
                                name=op.f('fk_declaration_translators_declaration_id_declarations')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_declaration_translators_user_id_users')),
        sa.PrimaryKeyConstraint('declaration_id', 'user_id', name=op.f('pk_declaration_translators')),
    )


def downgrade():
    op.drop_table('declaration_translators')
    for table in ('comments', 'amendments'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('language')
    for table, revisions in (('sections', 'section_revisions'), ('recommendations', 'recommendation_revisions')):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'fk_{table}_translation_revision_id_{revisions}'), type_='foreignkey')
            batch.drop_column('needs_translation')
            batch.drop_column('translation_revision_id')
    for table in ('section_revisions', 'recommendation_revisions'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('language')
    with op.batch_alter_table('declarations') as batch:
        for column in ('title_needs_translation', 'summary_translation', 'title_translation', 'translation_language',
                       'language'):
            batch.drop_column(column)
