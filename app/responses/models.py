from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.time import utcnow


class Answer(db.Model):
    """An institution's answer to one submitted recommendation: one revision of it.

    A draft (published_at empty) is seen only by the institution's reviewers; a reviewer publishes the drafts
    they chose on the confirmation page, together. A later edit is a new draft with the next number, so every
    published answer stays in the history. An answer by an institution the recommendation is not addressed to
    was saved with an explicit choice, and says so wherever it is shown."""

    __tablename__ = "answers"
    # The tracker's "current published answer" (no newer published revision of the same item and institution)
    # and the lists of answers by publication date.
    __table_args__ = (UniqueConstraint("item_id", "institution_id", "number"),
                      Index("ix_answers_item_institution_published", "item_id", "institution_id", "published_at"),
                      Index("ix_answers_published_at", "published_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("submitted_recommendations.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    number: Mapped[int]
    position: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    lead_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    target_date: Mapped[date | None] = mapped_column(Date)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    institution: Mapped["Institution"] = relationship(foreign_keys=[institution_id])  # noqa: F821
    lead_institution: Mapped["Institution | None"] = relationship(foreign_keys=[lead_institution_id])  # noqa: F821
    author: Mapped["User"] = relationship(foreign_keys=[author_id])  # noqa: F821


class ImplementationUpdate(db.Model):
    """A reviewer's report on how far a recommendation is implemented; each one is kept."""

    __tablename__ = "implementation_updates"
    # The tracker's "latest update" of an item and institution (no later one exists).
    __table_args__ = (Index("ix_implementation_updates_item_institution_date", "item_id", "institution_id",
                            "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("submitted_recommendations.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    status: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    happened_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped["Institution"] = relationship()  # noqa: F821


class Assessment(db.Model):
    """The alliance's own assessment of a recommendation's implementation, published by a coordinator.
    The latest one stands; earlier ones are its history."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("submitted_recommendations.id"), index=True)
    rating: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# At most one draft per recommendation and institution, whatever two reviewers do at the same moment.
Index("uq_answers_one_draft", Answer.item_id, Answer.institution_id, unique=True,
      sqlite_where=text("published_at IS NULL"), postgresql_where=text("published_at IS NULL"))
# An institution's answers by target date (the reviewer's implementation updates due: app/home/work.py updates_due).
Index("ix_answers_institution_target", Answer.institution_id, Answer.target_date)
