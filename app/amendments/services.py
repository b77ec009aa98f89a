"""Amendments: members propose replacement text; coordinators accept (a revision credited to the
proposer) or reject with a reason."""
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.amendments.models import Amendment
from app.audit.services import record
from app.choices import AmendmentStatus, Phase
from app.database import update_if
from app.declarations import services as declarations
from app.declarations.diff import word_diff
from app.declarations.languages import metadata, started_from, written_on
from app.declarations.models import RecommendationRevision, SectionRevision
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.markup import render_markdown
from app.notifications import services as notifications
from app.time import utcnow


class AmendmentConflict(RuleError):
    """The target changed since the proposal: a coordinator merges by hand."""

    def __init__(self, amendment):
        super().__init__(_("The text has changed since this amendment was proposed. Merge the two by hand."))
        self.amendment = amendment


def current_text(target, language: str | None = None) -> str:
    """The part's text as it stands, in a language of a bilingual declaration ("" before it is translated)."""
    revision = target.revision_in(language) if language else target.current
    if revision is None:
        return ""
    return revision.body_source if target.kind == "section" else revision.text_source


def written_on_revision(amendment: Amendment):
    """The revision of the text the amendment changes as it stands today: its target's in the amendment's
    language (a bilingual declaration's), else its target's current one. None if that text is not written."""
    target = amendment.target
    return target.revision_in(amendment.language) if amendment.language else target.current


def moved_on(amendment: Amendment) -> bool:
    """The words the amendment replaces changed since it was proposed (a merge by hand is needed): a new
    revision that changed only the recommendation's classification, pillar … leaves them as they were."""
    today = written_on_revision(amendment)
    return today is None or not started_from(today, amendment.base_revision_id, text_only=True)


@dataclass
class AmendedText:
    """What an amendment amends, named as the reading page shows it: the section's place and heading, or the
    recommendation's number and opening words. number is None once the text was deleted (no anchor then)."""

    kind: str
    number: int | None
    title: str
    anchor: str | None
    text: str  # as it stands today ("" once deleted)
    revision_id: int | None
    # The same, per language, for a bilingual declaration's amendments written on either text.
    in_languages: dict[str, tuple[str, int]] = field(default_factory=dict)


OPENING = 90  # characters of a recommendation's text that stand for its title


def _opening(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= OPENING else line[:OPENING].rsplit(" ", 1)[0] + "…"


def amended_texts(declaration_id: int) -> dict[tuple[str, int], AmendedText]:
    """Every live section and recommendation of a declaration as an amendment names it (two queries)."""
    found = {}
    for n, section in enumerate(declarations.live_sections(declaration_id), start=1):
        found["section", section.id] = AmendedText("section", n, section.current.heading, section.anchor,
                                                   section.current.body_source, section.current_revision_id,
                                                   _in_languages(section, "body_source"))
    for n, rec in enumerate(declarations.live_recommendations(declaration_id), start=1):
        found["recommendation", rec.id] = AmendedText("recommendation", n, _opening(rec.current.text_source),
                                                      rec.anchor, rec.current.text_source, rec.current_revision_id,
                                                      _in_languages(rec, "text_source"))
    return found


def _in_languages(part, field_name: str) -> dict[str, tuple[str, int]]:
    return {revision.language: (getattr(revision, field_name), revision.id)
            for revision in (part.current, part.translation) if revision is not None}


def amended_text(amendment: Amendment, texts: dict[tuple[str, int], AmendedText]) -> AmendedText:
    kind = "section" if amendment.section_id else "recommendation"
    target = texts.get((kind, amendment.section_id or amendment.recommendation_id)) or AmendedText(
        kind, None, "", None, "", None)
    if amendment.language and amendment.language in target.in_languages:  # the text it was written on
        text, revision_id = target.in_languages[amendment.language]
        target = replace(target, text=text, revision_id=revision_id)
    return target


def base_texts(amendments: list[Amendment]) -> dict[int, str]:
    """The text each amendment was written on (the revision it was proposed against), by amendment id: at
    most two queries."""
    sections = {a.base_revision_id: a.id for a in amendments if a.section_id}
    recommendations = {a.base_revision_id: a.id for a in amendments if not a.section_id}
    found = {}
    if sections:
        for rev_id, text in db.session.execute(select(SectionRevision.id, SectionRevision.body_source)
                                               .where(SectionRevision.id.in_(sections))):
            found[sections[rev_id]] = text
    if recommendations:
        for rev_id, text in db.session.execute(select(RecommendationRevision.id, RecommendationRevision.text_source)
                                               .where(RecommendationRevision.id.in_(recommendations))):
            found[recommendations[rev_id]] = text
    return found


@dataclass
class ProposedChange:
    """The proposal as a word diff against the text it was written on, and against today's text when that
    moved on since (while the amendment is not accepted: once accepted, today's text grew from it)."""

    written_on: list[tuple[str, str]]
    today: list[tuple[str, str]] | None


def proposed_change(amendment: Amendment, base_text: str, target: AmendedText) -> ProposedChange:
    moved_on = (target.revision_id is not None and target.revision_id != amendment.base_revision_id
                and amendment.status != AmendmentStatus.ACCEPTED)
    return ProposedChange(word_diff(base_text, amendment.text_source),
                          word_diff(target.text, amendment.text_source) if moved_on else None)


def propose(actor, declaration, target, *, text: str, rationale: str, language: str | None = None) -> Amendment:
    """A new wording of a section or recommendation, on its text in one language (a bilingual declaration's
    original by default)."""
    if not permissions.can_take_part(actor, declaration):
        raise NotAllowed()
    closed = declarations.consultation_closed_message(declaration)
    if closed:
        raise RuleError(closed)
    if target.deleted_at is not None:
        raise RuleError(_("This text has been deleted."))
    language = written_on(declaration, language)
    base = target.revision_in(language) if language else target.current
    if base is None:
        raise RuleError(_("This part has no text in that language yet: propose the change on the other text."))
    if text.strip() == current_text(target, language).strip():
        raise RuleError(_("The proposed text is the same as the current text. Change something first."))
    amendment = Amendment(
        declaration_id=declaration.id, section_id=target.id if target.kind == "section" else None,
        recommendation_id=target.id if target.kind == "recommendation" else None, language=language,
        base_revision_id=base.id, proposer_id=actor.id, text_source=text,
        text_html=render_markdown(text), rationale_source=rationale, rationale_html=render_markdown(rationale),
        version_number=declaration.version_number)
    db.session.add(amendment)
    db.session.flush()
    record(actor, "amendment_proposed", amendment, declaration_id=declaration.id, item=f"{target.kind}-{target.id}")
    return amendment


def _check_decision(actor, amendment: Amendment) -> None:
    if not permissions.can_manage_declaration(actor, amendment.declaration):
        raise NotAllowed()
    if amendment.status != AmendmentStatus.PENDING:
        raise RuleError(_("This amendment has already been decided."))


def _decide(actor, amendment: Amendment, status: str, **extra) -> None:
    """Record the decision only while the amendment is still pending: of two coordinators deciding at the
    same moment, the second is told it was decided."""
    if not update_if(amendment, Amendment.status == AmendmentStatus.PENDING, status=status, decided_by_id=actor.id,
                     decided_at=utcnow(), **extra):
        raise RuleError(_("This amendment has already been decided."))


def accept(actor, amendment: Amendment, *, merged_text: str | None = None, base_revision_id: int | None = None):
    """Make the proposal (or a coordinator's merge of it) the new revision, credited to the proposer."""
    _check_decision(actor, amendment)
    target = amendment.target
    if amendment.declaration.phase != Phase.REVISION:
        raise RuleError(_("Amendments are accepted in the revision phase. Close the consultation first."))
    if target.deleted_at is not None:
        raise RuleError(_("The text this amendment changes has been deleted."))
    # An amendment on a bilingual declaration's text in one language changes that language's text (and so marks
    # the other language's as needing translation, app/declarations/languages.py).
    written_on = written_on_revision(amendment)
    if written_on is None:
        raise AmendmentConflict(amendment)
    if merged_text is None:
        if moved_on(amendment):
            raise AmendmentConflict(amendment)
        text, base = amendment.text_source, amendment.base_revision_id
    else:
        text, base = merged_text, base_revision_id
    if target.kind == "section":
        revision = declarations.edit_section(actor, target, base_revision_id=base, heading=written_on.heading,
                                             body=text, amendment=amendment, language=amendment.language)
    else:
        # The words change; what the recommendation has besides them (pillar, classification …) is carried over.
        revision = declarations.edit_recommendation(actor, target, base_revision_id=base, amendment=amendment,
                                                    text=text, language=amendment.language, **metadata(target.current))
    _decide(actor, amendment, AmendmentStatus.ACCEPTED)
    record(actor, "amendment_accepted", amendment, revision=revision.number, merged=merged_text is not None)
    notifications.notify_amendment_decision(amendment)
    return revision


def reject(actor, amendment: Amendment, reason: str) -> None:
    _check_decision(actor, amendment)
    if amendment.declaration.phase != Phase.REVISION:
        raise RuleError(_("Amendments are decided in the revision phase. Close the consultation first."))
    if not reason.strip():
        raise RuleError(_("Give the reason: the proposer will see it."))
    _decide(actor, amendment, AmendmentStatus.REJECTED, decision_reason=reason.strip())
    record(actor, "amendment_rejected", amendment, reason=amendment.decision_reason)
    notifications.notify_amendment_decision(amendment)


def set_hidden(actor, amendment: Amendment, hidden: bool, reason: str = "") -> None:
    """Take an amendment down (only coordinators see it then) or show it again; the proposer is told why."""
    if not permissions.can_manage_declaration(actor, amendment.declaration):
        raise NotAllowed()
    if hidden == (amendment.hidden_at is not None):
        raise RuleError(_("Nothing to change: the amendment is already in this state."))
    if hidden and not reason.strip():
        raise RuleError(_("Give the reason: the proposer will see it."))
    now_hidden = Amendment.hidden_at.is_(None) if hidden else Amendment.hidden_at.is_not(None)
    if not update_if(amendment, now_hidden, hidden_at=utcnow() if hidden else None,
                     hidden_reason=reason.strip() if hidden else ""):
        raise RuleError(_("Nothing to change: the amendment is already in this state."))
    record(actor, "amendment_hidden" if hidden else "amendment_restored", amendment, reason=reason.strip())
    notifications.notify_amendment_hidden(amendment)
