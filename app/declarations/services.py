"""Declarations: drafting with immutable revisions, phases with versions, and consultation events."""
import hashlib
import json
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.audit.services import record
from app.choices import PHASES, Phase
from app.database import update_if
from app.declarations import classification, languages
from app.declarations.models import (
    ConsultationEvent,
    Declaration,
    Recommendation,
    RecommendationRevision,
    Section,
    SectionRevision,
    Version,
)
from app.declarations.signals import phase_changed, text_removed, text_saved
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import format_datetime_short
from app.markup import render_markdown
from app.time import utcnow

EDITABLE_PHASES = (Phase.DRAFTING, Phase.REVISION)
# The allowed phase transitions and the name of each action.
TRANSITIONS = {
    (Phase.DRAFTING, Phase.CONSULTATION): "open_consultation",
    (Phase.CONSULTATION, Phase.REVISION): "close_consultation",
    (Phase.REVISION, Phase.CONSULTATION): "reopen_consultation",
    (Phase.REVISION, Phase.SIGNON): "open_signon",
    (Phase.SIGNON, Phase.REVISION): "reopen_text",
}


class EditConflict(RuleError):
    """The text changed since the editor opened it; the view shows both versions."""

    def __init__(self, current):
        super().__init__(_("Someone else changed this text while you were editing it."))
        self.current = current


# --- reading -----------------------------------------------------------------------------

def live_sections(declaration_id: int) -> list[Section]:
    return db.session.scalars(
        select(Section).options(selectinload(Section.current), selectinload(Section.translation))
        .where(Section.declaration_id == declaration_id, Section.deleted_at.is_(None))
        .order_by(Section.position)).all()


def live_recommendations(declaration_id: int) -> list[Recommendation]:
    return db.session.scalars(
        select(Recommendation).options(selectinload(Recommendation.current),
                                       selectinload(Recommendation.translation))
        .where(Recommendation.declaration_id == declaration_id, Recommendation.deleted_at.is_(None))
        .order_by(Recommendation.position)).all()


def numbering(recommendations: list[Recommendation]) -> dict[int, int]:
    """Recommendation id → its number, which is its place in the order."""
    return {rec.id: n for n, rec in enumerate(recommendations, start=1)}


def canonical_content(declaration: Declaration) -> dict:
    """The text as it stands: what a version freezes and what its hash covers. A bilingual declaration's
    content also holds its second language's text, part by part, so that one hash binds both; a text in
    English alone, or without classification, has exactly the keys it always had (earlier hashes stay the same)."""
    sections, recommendations = live_sections(declaration.id), live_recommendations(declaration.id)
    content = {
        "title": declaration.title,
        "sections": [{"id": s.id, "heading": s.current.heading, "body": s.current.body_source} for s in sections],
        "recommendations": [{"id": r.id, "number": n, "text": r.current.text_source, "pillar": r.current.pillar,
                             "themes": sorted(r.current.themes), "addressees": sorted(r.current.addressees),
                             "convention_articles": r.current.convention_articles,
                             **classification.in_content(r.current)}
                            for n, r in enumerate(recommendations, start=1)],
    }
    if declaration.bilingual or declaration.language != "en":
        content["language"] = declaration.language
    if declaration.bilingual:
        content["translation"] = {
            "language": declaration.translation_language,
            "title": declaration.title_translation,
            "sections": [{"id": s.id, "heading": s.translation.heading if s.translation else "",
                          "body": s.translation.body_source if s.translation else ""} for s in sections],
            "recommendations": [{"id": r.id, "number": n, "text": r.translation.text_source if r.translation else ""}
                                for n, r in enumerate(recommendations, start=1)],
        }
    return content


def canonical_json(content: dict) -> bytes:
    """Deterministic JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


# --- creating and settings ---------------------------------------------------------------

def require_editable(declaration: Declaration) -> None:
    if declaration.phase not in EDITABLE_PHASES:
        raise RuleError(_("The text can only be changed while drafting or in revision. "
                          "It is now in the %(phase)s phase.", phase=_phase_label(declaration.phase)))


def _phase_label(phase: str) -> str:
    return str(PHASES.get(phase, phase))


def create_declaration(actor, *, kind: str, title: str, summary: str, moderation: str, visibility: str,
                       language: str = "en") -> Declaration:
    if not permissions.can_create_declaration(actor):
        raise NotAllowed()
    declaration = Declaration(kind=kind, title=title.strip(), summary=summary.strip(), moderation=moderation,
                              visibility=visibility, created_by_id=actor.id, language=language)
    db.session.add(declaration)
    db.session.flush()
    record(actor, "declaration_created", declaration, title=declaration.title)
    text_saved.send(declaration)
    return declaration


def update_settings(actor, declaration: Declaration, *, base_edit_count: int, kind: str, title: str, summary: str,
                    moderation: str, visibility: str) -> None:
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    if base_edit_count != declaration.edit_count:
        raise EditConflict(declaration)
    if (title.strip(), summary.strip()) != (declaration.title, declaration.summary):
        require_editable(declaration)  # the title is part of the versioned text
        if declaration.bilingual:  # the other language's title and summary now lag behind
            declaration.title_needs_translation = declaration.translation_language
    declaration.kind, declaration.title, declaration.summary = kind, title.strip(), summary.strip()
    declaration.moderation, declaration.visibility = moderation, visibility
    declaration.edit_count += 1
    declaration.updated_at = utcnow()
    record(actor, "declaration_settings_changed", declaration, title=declaration.title, moderation=moderation,
           visibility=visibility)
    text_saved.send(declaration)


def set_drafters(actor, declaration: Declaration, users: list) -> None:
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    declaration.drafters = users
    record(actor, "drafters_changed", declaration, user_ids=sorted(u.id for u in users))


# --- sections and recommendations --------------------------------------------------------

def _next_position(model, declaration_id: int) -> int:
    return (db.session.scalar(select(func.max(model.position)).where(model.declaration_id == declaration_id)) or 0) + 1


def _new_section_revision(actor, section: Section, heading: str, body: str, amendment=None,
                          language: str | None = None) -> SectionRevision:
    declaration = section.declaration
    language = language or declaration.language
    number = (db.session.scalar(select(func.max(SectionRevision.number))
                                .where(SectionRevision.section_id == section.id)) or 0) + 1
    revision = SectionRevision(section_id=section.id, number=number, heading=heading.strip(), body_source=body,
                               body_html=render_markdown(body), author_id=actor.id, language=language,
                               amendment_id=amendment.id if amendment else None)
    db.session.add(revision)
    db.session.flush()
    languages.put_revision(declaration, section, revision)
    text_saved.send(section)
    return revision


def add_section(actor, declaration: Declaration, *, heading: str, body: str) -> Section:
    if not permissions.can_edit_text(actor, declaration):
        raise NotAllowed()
    require_editable(declaration)
    section = Section(declaration_id=declaration.id, position=_next_position(Section, declaration.id))
    db.session.add(section)
    db.session.flush()
    _new_section_revision(actor, section, heading, body)
    _touch(declaration)
    record(actor, "section_added", section, declaration_id=declaration.id)
    return section


def edit_section(actor, section: Section, *, base_revision_id: int, heading: str, body: str,
                 amendment=None, language: str | None = None) -> SectionRevision:
    """A new revision of the section's text in a language (the declaration's own by default; its second
    language for a translation, which the declaration's translators may write too)."""
    declaration = section.declaration
    language = languages.check_text_edit(actor, declaration, language)
    require_editable(declaration)
    if section.deleted_at is not None:
        raise RuleError(_("This section has been deleted."))
    base = section.translation if language != declaration.language else section.current
    if base_revision_id != (base.id if base else 0):
        raise EditConflict(base)
    revision = _new_section_revision(amendment.proposer if amendment else actor, section, heading, body, amendment,
                                     language)
    _touch(declaration)
    record(actor, "section_edited", section, revision=revision.number, language=language,
           amendment_id=amendment.id if amendment else None)
    return revision


def _new_recommendation_revision(actor, recommendation: Recommendation, fields: dict,
                                 amendment=None, language: str | None = None) -> RecommendationRevision:
    declaration = recommendation.declaration
    language = language or declaration.language
    if language != declaration.language:  # a translation: the pillar, themes, classification are the original's
        fields = {**languages.metadata(recommendation.current), "text": fields["text"]}
    number = (db.session.scalar(select(func.max(RecommendationRevision.number))
                                .where(RecommendationRevision.recommendation_id == recommendation.id)) or 0) + 1
    revision = RecommendationRevision(
        recommendation_id=recommendation.id, number=number, text_source=fields["text"],
        text_html=render_markdown(fields["text"]), pillar=fields["pillar"], themes=sorted(set(fields["themes"])),
        addressees=sorted(set(fields["addressees"])), convention_articles=fields.get("convention_articles", "").strip(),
        **classification.checked(fields, recommendation.current),
        author_id=actor.id, amendment_id=amendment.id if amendment else None, language=language)
    db.session.add(revision)
    db.session.flush()
    languages.put_recommendation_revision(declaration, recommendation, revision, actor)
    text_saved.send(recommendation)
    return revision


def add_recommendation(actor, declaration: Declaration, **fields) -> Recommendation:
    if not permissions.can_edit_text(actor, declaration):
        raise NotAllowed()
    require_editable(declaration)
    recommendation = Recommendation(declaration_id=declaration.id,
                                    position=_next_position(Recommendation, declaration.id))
    db.session.add(recommendation)
    db.session.flush()
    _new_recommendation_revision(actor, recommendation, fields)
    _touch(declaration)
    record(actor, "recommendation_added", recommendation, declaration_id=declaration.id)
    return recommendation


def edit_recommendation(actor, recommendation: Recommendation, *, base_revision_id: int, amendment=None,
                        language: str | None = None, **fields) -> RecommendationRevision:
    declaration = recommendation.declaration
    language = languages.check_text_edit(actor, declaration, language)
    require_editable(declaration)
    if recommendation.deleted_at is not None:
        raise RuleError(_("This recommendation has been deleted."))
    base = recommendation.translation if language != declaration.language else recommendation.current
    words_only = language != declaration.language or amendment is not None  # (no pillar, no classification)
    if not languages.started_from(base, base_revision_id, words_only):
        raise EditConflict(base)
    revision = _new_recommendation_revision(amendment.proposer if amendment else actor, recommendation, fields,
                                            amendment, language)
    _touch(declaration)
    record(actor, "recommendation_edited", recommendation, revision=revision.number, language=language,
           amendment_id=amendment.id if amendment else None)
    return revision


def delete_item(actor, item) -> None:
    """Delete a section or recommendation; its revisions and comments stay for the record."""
    declaration = item.declaration
    if not permissions.can_edit_text(actor, declaration):
        raise NotAllowed()
    require_editable(declaration)
    if item.deleted_at is not None:
        raise RuleError(_("This has already been deleted."))
    item.deleted_at = utcnow()
    text_removed.send(item)
    _touch(declaration)
    record(actor, f"{item.kind}_deleted", item, declaration_id=declaration.id)


def move_item(actor, item, direction: int) -> None:
    """Move a section or recommendation one place up (-1) or down (+1)."""
    declaration = item.declaration
    if not permissions.can_edit_text(actor, declaration):
        raise NotAllowed()
    require_editable(declaration)
    model = type(item)
    siblings = db.session.scalars(select(model).where(model.declaration_id == declaration.id,
                                                      model.deleted_at.is_(None)).order_by(model.position)).all()
    index = siblings.index(item)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    item.position, siblings[other].position = siblings[other].position, item.position
    _touch(declaration)
    record(actor, f"{item.kind}_moved", item, declaration_id=declaration.id, direction=direction)


def _touch(declaration: Declaration) -> None:
    declaration.updated_at = utcnow()


# --- phases and versions -----------------------------------------------------------------

def snapshot(actor, declaration: Declaration, phase: str) -> Version:
    """Freeze the text as version N+1 with the SHA-256 of its canonical JSON."""
    content = canonical_content(declaration)
    number = (db.session.scalar(select(func.max(Version.number)).where(Version.declaration_id == declaration.id))
              or 0) + 1
    version = Version(declaration_id=declaration.id, number=number, phase=phase, content=content,
                      sha256=content_hash(content), created_by_id=actor.id)
    db.session.add(version)
    db.session.flush()
    db.session.refresh(declaration, ["versions"])
    return version


def change_phase(actor, declaration: Declaration, target: str, *, deadline: datetime | None = None,
                 expected_sha256: str | None = None) -> Version:
    """Move to the next phase (an explicit, audited coordinator action) and snapshot a version. With
    expected_sha256 (the hash the confirmation page showed), a text changed since then is not frozen."""
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    action = TRANSITIONS.get((declaration.phase, target))
    if action is None:
        raise RuleError(_("A declaration in the %(phase)s phase cannot move to %(target)s.",
                          phase=_phase_label(declaration.phase), target=_phase_label(target)))
    if not live_sections(declaration.id) and not live_recommendations(declaration.id):
        raise RuleError(_("Add at least one section or recommendation first."))
    if target == Phase.CONSULTATION:
        if deadline is None or deadline <= utcnow():
            raise RuleError(_("Choose a consultation deadline in the future."))
        declaration.consultation_deadline = deadline
        declaration.closing_reminder_sent_for = None
    if target == Phase.SIGNON:
        waiting = languages.untranslated_count(declaration)
        if waiting:
            raise RuleError(ngettext(
                "Sign-on cannot open while %(num)d part needs translation: both languages are signed together.",
                "Sign-on cannot open while %(num)d parts need translation: both languages are signed together.",
                waiting))
        if deadline is not None and deadline <= utcnow():
            raise RuleError(_("Choose a sign-on deadline in the future, or none."))
        declaration.signon_deadline = deadline
    if expected_sha256 is not None and content_hash(canonical_content(declaration)) != expected_sha256:
        raise RuleError(_("The text changed after this page was opened. Check the version below, which is what "
                          "will now be frozen, and confirm again."))
    before = declaration.phase
    # Of two coordinators moving the same declaration at once, only the first moves it.
    if not update_if(declaration, Declaration.phase == before, phase=target, updated_at=utcnow()):
        raise RuleError(_("Someone else changed the phase of this declaration a moment ago. Check it and try "
                          "again."))
    version = snapshot(actor, declaration, target)
    record(actor, f"phase_{action}", declaration, before=before, after=target, version=version.number,
           sha256=version.sha256, deadline=deadline.isoformat() if deadline else None)
    phase_changed.send(declaration, actor=actor, before=before, after=target, version=version)
    return version


def consultation_closed_message(declaration: Declaration) -> str | None:
    """Why commenting is closed right now, or None when it is open. Checked on every action."""
    if declaration.phase != Phase.CONSULTATION:
        return _("Comments and amendments are open only during consultation. This declaration is in the "
                 "%(phase)s phase.", phase=_phase_label(declaration.phase))
    if declaration.consultation_deadline and utcnow() >= declaration.consultation_deadline:
        return _("The consultation closed on %(date)s. Comments and amendments are no longer accepted.",
                 date=format_datetime_short(declaration.consultation_deadline))
    return None


# --- consultation events -----------------------------------------------------------------

EVENT_FIELDS = ("title", "held_on", "venue", "online", "organizers", "participants_in_person", "participants_online",
                "women", "men", "other_gender", "notes")


def save_event(actor, declaration: Declaration, event: ConsultationEvent | None, **fields) -> ConsultationEvent:
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    stated = sum(fields.get(k) or 0 for k in ("women", "men", "other_gender"))
    total = (fields.get("participants_in_person") or 0) + (fields.get("participants_online") or 0)
    if stated > total:
        raise RuleError(_("Women, men and others add up to more than the participants (%(total)d).", total=total))
    created = event is None
    if created:
        event = ConsultationEvent(declaration_id=declaration.id, created_by_id=actor.id)
        db.session.add(event)
    for key in EVENT_FIELDS:
        setattr(event, key, fields.get(key))
    event.participants_in_person = event.participants_in_person or 0
    event.participants_online = event.participants_online or 0
    event.venue, event.organizers, event.notes = (event.venue or "").strip(), (event.organizers or "").strip(), \
        (event.notes or "").strip()
    db.session.flush()
    record(actor, "consultation_event_recorded" if created else "consultation_event_updated", event,
           declaration_id=declaration.id, title=event.title)
    return event
