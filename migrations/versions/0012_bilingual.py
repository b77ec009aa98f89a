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


# Columns only, added in place (ALTER TABLE … ADD COLUMN): on SQLite a table holding rows that others refer to
# cannot be rebuilt with foreign keys on, so the new foreign keys are column constraints of the added columns
# there (SQLite allows REFERENCES on ADD COLUMN when the default is NULL), and table constraints on PostgreSQL.
TRANSLATED = (('sections', 'section_revisions'), ('recommendations', 'recommendation_revisions'))


def upgrade():
    op.add_column('declarations', sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
    op.add_column('declarations', sa.Column('translation_language', sa.String(length=2), nullable=True))
    op.add_column('declarations', sa.Column('title_translation', sa.String(length=300), server_default='',
                                            nullable=False))
    op.add_column('declarations', sa.Column('summary_translation', sa.Text(), server_default='', nullable=False))
    op.add_column('declarations', sa.Column('title_needs_translation', sa.String(length=2), nullable=True))
    for table in ('section_revisions', 'recommendation_revisions'):
        op.add_column(table, sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, revisions in TRANSLATED:
        name = f'fk_{table}_translation_revision_id_{revisions}'
        if postgresql:
            op.add_column(table, sa.Column('translation_revision_id', sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(name), table, revisions, ['translation_revision_id'], ['id'])
        else:
            op.execute(f'ALTER TABLE {table} ADD COLUMN translation_revision_id INTEGER '
                       f'CONSTRAINT {name} REFERENCES {revisions} (id)')
        op.add_column(table, sa.Column('needs_translation', sa.String(length=2), nullable=True))
    for table in ('comments', 'amendments'):
        op.add_column(table, sa.Column('language', sa.String(length=2), nullable=True))
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
        op.drop_column(table, 'language')
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, revisions in TRANSLATED:
        if postgresql:
            op.drop_constraint(op.f(f'fk_{table}_translation_revision_id_{revisions}'), table, type_='foreignkey')
        op.drop_column(table, 'needs_translation')
        op.drop_column(table, 'translation_revision_id')
    for table in ('section_revisions', 'recommendation_revisions'):
        op.drop_column(table, 'language')
    for column in ('title_needs_translation', 'summary_translation', 'title_translation', 'translation_language',
                   'language'):
        op.drop_column('declarations', column)
