from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, aliased, column_property, mapped_column, relationship

from app.declarations.models import Declaration
from app.extensions import db
from app.formatting import language_direction
from app.markup import render_markdown
from app.time import utcnow

# Where Submission.sections_html keeps the second language's HTML of a text in two languages (app/submissions/
# bilingual.py); the original's sections are kept by their ids, as they always were.
TRANSLATION_KEY = "translation"


def text_languages(text: dict) -> list[str]:
    """The languages of a signed text (a version's content), the original first: what its hash covers. A text
    made before declarations had languages is English."""
    languages = [text.get("language", "en")]
    if "translation" in text:
        languages.append(text["translation"]["language"])
    return languages


_SUBMITTED = aliased(Declaration, name="submitted_declaration")


def _of_declaration(column, declaration_id):
    """A column of the submission's declaration, read in the submission's own query."""
    return select(column).where(_SUBMITTED.id == declaration_id).correlate_except(_SUBMITTED).scalar_subquery()


class Submission(db.Model):
    """A declaration as submitted to government: the dossier, frozen with the SHA-256 of its canonical JSON.

    Nothing here changes after it is made: the ORM refuses updates and deletes (below), and so does the
    database (triggers in migration 0004). What happens afterwards lives in other tables."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One submission per declaration: a double click or a retry finds the one already made.
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)  # the signed text's hash
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # the dossier's hash, over `content`
    title: Mapped[str] = mapped_column(String(300))  # the declaration's title as submitted, for lists
    # The dossier is large (a megabyte for 500 recommendations): lists never load it, a dossier page does.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True, deferred_group="dossier")
    # Sanitized HTML of the sections, rendered once from the hashed Markdown (not itself hashed); for a text in
    # two languages also the second language's sections and recommendations, under TRANSLATION_KEY.
    sections_html: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True, deferred_group="dossier")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The declaration's languages and its title in the second one, read in the same query as the submission, so
    # that a list shows each title in the reader's language (app/web/languages.declaration_title) at no query
    # per row. A declaration's text, title included, cannot change once it is submitted (only drafting and
    # revision edit it, and nothing leads back there from submission), so these are the title as submitted too.
    # (An alias of declarations, correlated to the submission only: a query that joins Declaration itself
    # would otherwise take these for its own.)
    language: Mapped[str] = column_property(_of_declaration(_SUBMITTED.language, declaration_id))
    translation_language: Mapped[str | None] = column_property(
        _of_declaration(_SUBMITTED.translation_language, declaration_id))
    title_translation: Mapped[str] = column_property(_of_declaration(_SUBMITTED.title_translation, declaration_id))

    declaration: Mapped["Declaration"] = relationship()
    recipients: Mapped[list["SubmissionRecipient"]] = relationship(order_by="SubmissionRecipient.institution_id",
                                                                  passive_deletes="all")

    @property
    def institution_ids(self) -> list[int]:
        return [r.institution_id for r in self.recipients]

    @property
    def institution_names(self) -> dict[int, str]:
        """The addressees' short names as the dossier records them (acronym, else name)."""
        return {int(k): v["acronym"] or v["name"] for k, v in self.content["institutions"].items()}

    @property
    def languages(self) -> list[str]:
        """The languages of the submitted text, the original first: those the dossier's hash covers."""
        return text_languages(self.content["text"])

    def translated_recommendation(self, recommendation_id: int) -> dict | None:
        """A recommendation's text in the second language of a text in two languages: its language, direction
        and HTML, and the original's language and direction.
        None for a text in one language."""
        translation = self.content["text"].get("translation")
        if translation is None:
            return None
        kept = (self.sections_html.get(TRANSLATION_KEY) or {}).get("recommendations", {})
        html = kept.get(str(recommendation_id)) or render_markdown(next(
            (r["text"] for r in translation["recommendations"] if r["id"] == recommendation_id), ""))
        original, language = text_languages(self.content["text"])
        return {"original": original, "original_dir": language_direction(original),
                "language": language, "dir": language_direction(language), "html": html}

    def recipient(self, institution_id) -> "SubmissionRecipient | None":
        return next((r for r in self.recipients if r.institution_id == institution_id), None)


class SubmissionRecipient(db.Model):
    """An institution a submission was addressed to, and its acknowledgement of receipt."""

    __tablename__ = "submission_recipients"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True, index=True)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    first_published_at: Mapped[datetime | None]

    institution: Mapped["Institution"] = relationship(lazy="joined")  # noqa: F821
    acknowledged_by: Mapped["User | None"] = relationship()  # noqa: F821


class RecipientDeadline(db.Model):
    """When an institution a submission went to should acknowledge receipt and answer, set by the coordinator
    at submission (defaults from the settings); which reminders its reviewers were sent. Unlike the
    submission itself, a coordinator may move a deadline later (audited)."""

    __tablename__ = "recipient_deadlines"
    __table_args__ = (Index("ix_recipient_deadlines_acknowledge_by", "acknowledge_by"),
                      Index("ix_recipient_deadlines_answer_by", "answer_by"))

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True, index=True)
    acknowledge_by: Mapped[date] = mapped_column(Date)
    answer_by: Mapped[date] = mapped_column(Date)
    # The reminders already sent, by name ("acknowledge_soon", "acknowledge_late", "answer_soon", "answer_late"):
    # each is sent once per deadline; moving a deadline clears those about it.
    reminded: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


class SubmissionSignature(db.Model):
    """The signatures counted in a submission (verified, on the submitted version), kept for the record."""

    __tablename__ = "submission_signatures"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id"), primary_key=True)


class SubmittedRecommendation(db.Model):
    """One recommendation as submitted: what answers, updates and assessments are about."""

    __tablename__ = "submitted_recommendations"
    __table_args__ = (UniqueConstraint("submission_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    number: Mapped[int]
    pillar: Mapped[str] = mapped_column(String(20))
    themes: Mapped[list[str]] = mapped_column(JSON)
    addressees: Mapped[list[int]] = mapped_column(JSON)
    text_html: Mapped[str] = mapped_column(Text)
    # The classification as submitted (app/choices.py UNTOC_PROVISIONS, SDG_TARGETS, GROUPS): keys only.
    untoc: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    sdg_targets: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    submission: Mapped[Submission] = relationship()


class SubmissionClosure(db.Model):
    """A coordinator ended the follow-up of a submission: no more answers, updates or assessments."""

    __tablename__ = "submission_closures"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")


class DossierPdf(db.Model):
    """The PDF of a dossier, or of its public extract, in one interface language, made once on first download
    (the dossier never changes)."""

    __tablename__ = "dossier_pdfs"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    # The interface language; "p:" before it for the public extract's PDF (dossier.pdf_key).
    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImmutableRecord(RuntimeError):
    """Someone tried to change or delete part of a submission."""


IMMUTABLE = (Submission, SubmissionSignature, SubmittedRecommendation)
IMMUTABLE_TABLES = [model.__tablename__ for model in IMMUTABLE]


def _refuse(_mapper, _connection, target):
    raise ImmutableRecord(f"{type(target).__name__} {getattr(target, 'id', '')} is part of a submission: "
                          "it cannot be changed or deleted")


for _model in IMMUTABLE:
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
# Who a submission went to never changes either; only its acknowledgement is filled in, once (the database
# checks the columns, migration 0004).
event.listen(SubmissionRecipient, "before_delete", _refuse)

Index("ix_submissions_submitted_at", Submission.submitted_at)
# The tracker's order (newest submission first, then by number) is read from an index a page at a time:
# ix_submitted_recommendations_tracker (submission_id DESC, number), made by migration 0014 only, as Alembic
# cannot compare an index with a descending column on PostgreSQL (app/search/models.py EXPRESSION_INDEXES).
