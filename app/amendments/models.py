from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import AmendmentStatus
from app.extensions import db
from app.time import utcnow


class Amendment(db.Model):
    """A member's proposed replacement text for a section or a recommendation, with a rationale."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    # The revision the proposal was written against: if the target moved on, accepting needs a merge.
    base_revision_id: Mapped[int]
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text_source: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    rationale_source: Mapped[str] = mapped_column(Text)
    rationale_html: Mapped[str] = mapped_column(Text)
    # Which language's text of a bilingual declaration the amendment changes (None: a one-language text).
    language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default=AmendmentStatus.PENDING, index=True)
    version_number: Mapped[int]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # Taken down by a coordinator (abusive or dangerous text): then only coordinators see it.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposer: Mapped["User"] = relationship(foreign_keys=[proposer_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
    section: Mapped["Section | None"] = relationship()  # noqa: F821
    recommendation: Mapped["Recommendation | None"] = relationship()  # noqa: F821
    declaration: Mapped["Declaration"] = relationship()  # noqa: F821

    @property
    def target(self):
        return self.section or self.recommendation


# A person's amendments, and those decided since a date (the home page's news: app/home/needs.py news_for).
Index("ix_amendments_proposer_decided", Amendment.proposer_id, Amendment.decided_at)
