from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import Phase
from app.extensions import db
from app.time import utcnow


class Declaration(db.Model):
    """A declaration or recommendation set, from drafting to sign-on."""

    __tablename__ = "declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="declaration")
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[str] = mapped_column(String(20), default=Phase.DRAFTING, index=True)
    consultation_deadline: Mapped[datetime | None]
    signon_deadline: Mapped[datetime | None]
    moderation: Mapped[str] = mapped_column(String(10), default="post")
    visibility: Mapped[str] = mapped_column(String(10), default="members")
    # Organizations outside the alliance may sign through the public form (public declarations only).
    open_signon: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Bumped on every change of title, summary or settings: a save from an older form is a conflict.
    edit_count: Mapped[int] = mapped_column(default=0)
    # The language the text was written in, and the second language of a bilingual declaration (None: the
    # declaration has one language). Both texts are bound by one hash (app/declarations/translation.py).
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    translation_language: Mapped[str | None] = mapped_column(String(2))
    title_translation: Mapped[str] = mapped_column(String(300), default="", server_default="")
    summary_translation: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Which language's title and summary lag behind the other's (None: both agree).
    title_needs_translation: Mapped[str | None] = mapped_column(String(2))
    closing_reminder_sent_for: Mapped[datetime | None]
    # How far the closing reminder for that deadline has come: the last person (by id) told. The reminder job
    # commits a batch at a time, so a run that stops half-way goes on from here (app/notifications/services.py).
    closing_reminder_through: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped["User"] = relationship()  # noqa: F821
    drafters: Mapped[list["User"]] = relationship(secondary="declaration_drafters", order_by="User.name")  # noqa: F821
    translators: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary="declaration_translators", order_by="User.name")
    versions: Mapped[list["Version"]] = relationship(back_populates="declaration", order_by="Version.number")

    @property
    def latest_version(self) -> "Version | None":
        return self.versions[-1] if self.versions else None

    @property
    def version_number(self) -> int:
        return self.versions[-1].number if self.versions else 0

    @property
    def bilingual(self) -> bool:
        return self.translation_language is not None

    @property
    def languages(self) -> tuple[str, ...]:
        """The original language first, then the translation's, if any."""
        return (self.language, self.translation_language) if self.translation_language else (self.language,)

    def title_in(self, language: str) -> str:
        """The title in this language when the declaration has it, else in its own (always something to show)."""
        if language == self.translation_language and self.title_translation:
            return self.title_translation
        return self.title

    def summary_in(self, language: str) -> str:
        if language == self.translation_language and self.summary_translation:
            return self.summary_translation
        return self.summary


# The list of declarations, most recently changed first (app/declarations/views.py index): read in this order,
# a filtered page stops at its last row instead of sorting every declaration first.
Index("ix_declarations_updated", Declaration.updated_at, Declaration.id)


class DeclarationDrafter(db.Model):
    """A co-drafter named by a coordinator: may edit the text like a coordinator."""

    __tablename__ = "declaration_drafters"

    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class DeclarationTranslator(db.Model):
    """A member named by a coordinator to translate: may edit the translation's text and nothing else."""

    __tablename__ = "declaration_translators"

    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class Section(db.Model):
    """An ordered Markdown section. Its text lives in immutable revisions."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    position: Mapped[int]
    current_revision_id: Mapped[int | None] = mapped_column(ForeignKey("section_revisions.id", use_alter=True))
    deleted_at: Mapped[datetime | None]

    declaration: Mapped[Declaration] = relationship()
    current: Mapped["SectionRevision"] = relationship(foreign_keys=[current_revision_id], post_update=True)
    # A bilingual declaration's text in its second language; which language lags behind the other (None:
    # both agree, or the declaration has one language).
    translation_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("section_revisions.id", use_alter=True))
    translation: Mapped["SectionRevision | None"] = relationship(
        foreign_keys=[translation_revision_id], post_update=True)
    needs_translation: Mapped[str | None] = mapped_column(String(2))

    kind = "section"

    def revision_in(self, language: str) -> "SectionRevision | None":
        """The current text in this language: the original's, or the translation's (None before it is written)."""
        return self.translation if self.translation is not None and self.translation.language == language \
            else self.current if self.current is not None and self.current.language == language else None

    @property
    def anchor(self) -> str:
        return f"s{self.id}"


class SectionRevision(db.Model):
    __tablename__ = "section_revisions"
    __table_args__ = (UniqueConstraint("section_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    number: Mapped[int]
    heading: Mapped[str] = mapped_column(String(300))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["User"] = relationship()  # noqa: F821


class Recommendation(db.Model):
    """An ordered recommendation. Its number is its place in the order; its text lives in revisions."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    position: Mapped[int]
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_revisions.id", use_alter=True))
    deleted_at: Mapped[datetime | None]
    # The line this recommendation belongs to: the same ask carried forward from declaration to declaration,
    # with the earlier years imported from before Sanad (app/lines). None until it is carried forward or on.
    line_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation_lines.id"), index=True)

    declaration: Mapped[Declaration] = relationship()
    current: Mapped["RecommendationRevision"] = relationship(foreign_keys=[current_revision_id], post_update=True)
    # A bilingual declaration's text in its second language; which language lags behind the other (None:
    # both agree, or the declaration has one language).
    translation_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_revisions.id", use_alter=True))
    translation: Mapped["RecommendationRevision | None"] = relationship(
        foreign_keys=[translation_revision_id], post_update=True)
    needs_translation: Mapped[str | None] = mapped_column(String(2))

    kind = "recommendation"

    def revision_in(self, language: str) -> "RecommendationRevision | None":
        """The current text in this language: the original's, or the translation's (None before it is written)."""
        return self.translation if self.translation is not None and self.translation.language == language \
            else self.current if self.current is not None and self.current.language == language else None

    @property
    def anchor(self) -> str:
        return f"r{self.id}"


class RecommendationRevision(db.Model):
    __tablename__ = "recommendation_revisions"
    __table_args__ = (UniqueConstraint("recommendation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    number: Mapped[int]
    text_source: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    pillar: Mapped[str] = mapped_column(String(20))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    addressees: Mapped[list[int]] = mapped_column(JSON, default=list)
    convention_articles: Mapped[str] = mapped_column(String(200), default="")
    # Classification from controlled lists (app/choices.py UNTOC_PROVISIONS, SDG_TARGETS, GROUPS): keys only.
    untoc: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    sdg_targets: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["User"] = relationship()  # noqa: F821


class Version(db.Model):
    """A numbered snapshot of the text taken at a phase transition, identified by its SHA-256."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("declaration_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    number: Mapped[int]
    phase: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    declaration: Mapped[Declaration] = relationship(back_populates="versions")
    created_by: Mapped["User"] = relationship()  # noqa: F821


class ConsultationEvent(db.Model):
    """A workshop or meeting held on a declaration, for the consultation record."""

    __tablename__ = "consultation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(default=False)
    organizers: Mapped[str] = mapped_column(String(300), default="")
    participants_in_person: Mapped[int] = mapped_column(default=0)
    participants_online: Mapped[int] = mapped_column(default=0)
    women: Mapped[int | None]
    men: Mapped[int | None]
    other_gender: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def participants(self) -> int:
        return self.participants_in_person + self.participants_online


Index("ix_sections_order", Section.declaration_id, Section.position)
Index("ix_recommendations_order", Recommendation.declaration_id, Recommendation.position)
