"""search text folded: the stored searchable text in the form every query is now folded to

The search index now holds each text folded (app/search/text.py: Urdu typed from an Arabic keyboard, with vowel
marks, with a hamza or a yeh, finds the same words), and folds each query the same way; text stored before is
folded here so that it is still found. English text is unchanged by folding. No schema change. The text folded
is the app's own fold(), which has no dependencies: running this again later folds it the way the app then does.

Revision ID: 0013_search_folding
Revises: 0012_bilingual
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.search.text import fold

revision = '0013_search_folding'
down_revision = '0012_bilingual'
branch_labels = None
depends_on = None

documents = sa.table('search_documents', sa.column('id', sa.Integer), sa.column('title', sa.String),
                     sa.column('body', sa.Text))


def upgrade():
    connection = op.get_bind()
    changed = [{"row": row.id, "title": fold(row.title)[:300], "body": fold(row.body)}
               for row in connection.execute(sa.select(documents.c.id, documents.c.title, documents.c.body))
               if fold(row.title) != row.title or fold(row.body) != row.body]
    if changed:
        connection.execute(documents.update().where(documents.c.id == sa.bindparam("row")).values(
            title=sa.bindparam("title"), body=sa.bindparam("body")), changed)


def downgrade():
    pass  # the folded text is still the text, searched for as before
