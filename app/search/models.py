from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class SearchDocument(db.Model):
    """The searchable text of a declaration, section, recommendation or published comment.

    Full-text indexing is database-specific and created by the migration: an FTS5 table kept in step
    by triggers on SQLite, a GIN index on a tsvector expression on PostgreSQL.
    """

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    declaration_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")


# Indexes made by the migrations only, on expressions Alembic cannot compare with the models on PostgreSQL: the
# full-text index, and the tracker's index with a descending column (app/submissions/models.py, migration 0014).
EXPRESSION_INDEXES = ("ix_search_documents_fulltext", "ix_submitted_recommendations_tracker")


def managed_by_migrations_only(name: str, type_: str) -> bool:
    """The full-text parts exist only in the migration, not as models: SQLite's FTS5 table and its
    shadow tables, PostgreSQL's expression index; and the other indexes on expressions (EXPRESSION_INDEXES)."""
    return (type_ == "table" and name.startswith("search_fts")) or (type_ == "index" and name in EXPRESSION_INDEXES)
