"""Recommendations followed across declarations: a line is the same ask made year after year. Sanad's own
recommendations join a line when a coordinator carries one forward (Recommendation.line_id); the years before
Sanad are imported from a CSV as earlier declarations, recommendations and the government's positions on them.
What was imported is a record of what the alliance says happened, not a signed dossier, and is shown as such."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.time import utcnow


class RecommendationLine(db.Model):
    """One ask followed over the years; its members are recommendations and earlier recommendations."""

    __tablename__ = "recommendation_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class EarlierDeclaration(db.Model):
    """A declaration the alliance submitted before it used Sanad, as imported from a CSV."""

    __tablename__ = "earlier_declarations"
    __table_args__ = (UniqueConstraint("year", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    submitted_on: Mapped[date | None] = mapped_column(Date)
    source_name: Mapped[str] = mapped_column(String(200), default="")  # the imported file's name
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class EarlierRecommendation(db.Model):
    """One recommendation of an earlier declaration, with its classification and the alliance's assessment of
    its implementation at the time (app/choices.py COMPLETION), if the record has one."""

    __tablename__ = "earlier_recommendations"
    __table_args__ = (UniqueConstraint("declaration_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("earlier_declarations.id"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="en")
    pillar: Mapped[str] = mapped_column(String(20), default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    untoc: Mapped[list[str]] = mapped_column(JSON, default=list)
    sdg_targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    line_id: Mapped[int] = mapped_column(ForeignKey("recommendation_lines.id"), index=True)
    assessment: Mapped[str | None] = mapped_column(String(20))
    assessment_notes: Mapped[str] = mapped_column(Text, default="")

    declaration: Mapped[EarlierDeclaration] = relationship()


class EarlierAnswer(db.Model):
    """An institution's position on an earlier recommendation, as the record has it."""

    __tablename__ = "earlier_answers"
    __table_args__ = (Index("ix_earlier_answers_institution", "institution_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("earlier_recommendations.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    position: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None] = mapped_column(Date)

    institution: Mapped["Institution"] = relationship()  # noqa: F821
