"""The two languages of a bilingual declaration, part by part: which language's text a change goes to, what it
marks as needing translation, who may write each language, and what still waits for translation. Used by
app/declarations/services.py (the writes) and translation.py (making a declaration bilingual, translators)."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import permissions
from app.declarations import classification
from app.declarations.models import Declaration, Recommendation, RecommendationRevision, Section
from app.errors import NotAllowed, RuleError
from app.extensions import db


def check_text_edit(actor, declaration: Declaration, language: str | None) -> str:
    """The language a change to a part's text is in, once the actor may make it: drafters any of the
    declaration's languages, translators only its second one. (The phase is checked by the caller.)"""
    language = language or declaration.language
    if language not in declaration.languages:
        raise RuleError(_("This declaration has no text in that language."))
    translating = language == declaration.translation_language
    if not (permissions.can_edit_text(actor, declaration)
            or translating and permissions.is_translator(actor, declaration)):
        raise NotAllowed()
    return language


def written_on(declaration: Declaration, language: str | None) -> str | None:
    """Which language's text an amendment or comment is written on: one of a bilingual declaration's (its
    original by default); None for a declaration in one language."""
    if not declaration.bilingual:
        return None
    if language is None:
        return declaration.language
    if language not in declaration.languages:
        raise RuleError(_("This declaration has no text in that language."))
    return language


def put_revision(declaration: Declaration, part, revision, text_changed: bool = True) -> None:
    """Make the revision the part's text in its language. In a bilingual declaration a change to one language's
    text marks the other language's text of the part as needing translation, in the same transaction — unless
    the part was waiting for exactly this language to catch up, which the change then does. A change of what a
    recommendation has besides its text (text_changed False) gives translators nothing to do."""
    if revision.language == declaration.language:
        part.current = revision
    else:
        part.translation = revision
    if declaration.bilingual and text_changed:
        other = declaration.translation_language if revision.language == declaration.language \
            else declaration.language
        part.needs_translation = None if part.needs_translation == revision.language else other


def put_recommendation_revision(declaration: Declaration, recommendation: Recommendation,
                                revision: RecommendationRevision, actor) -> None:
    """put_revision for a recommendation: a new revision of the original's that changes only its metadata (its
    classification, pillar …) gives translators nothing to do, and the translation's revision is kept in step."""
    original = revision.language == declaration.language
    before = recommendation.current if original else None
    put_revision(declaration, recommendation, revision,
                 text_changed=not original or before is None or before.text_source != revision.text_source)
    if original:
        keep_in_step(recommendation, actor)


def metadata(revision: RecommendationRevision) -> dict:
    """What a recommendation has besides its text, the same in both languages. A translation's revision carries
    a copy of the original's (keep_in_step keeps it current); what counts (the reading page, the hash) is always
    the original's."""
    return {"pillar": revision.pillar, "themes": list(revision.themes), "addressees": list(revision.addressees),
            "convention_articles": revision.convention_articles, **classification.of(revision)}


def keep_in_step(recommendation: Recommendation, actor) -> RecommendationRevision | None:
    """After a new revision of the original's: if the translation's revision carries other metadata (a changed
    classification, pillar …), the translation gets a revision with its own text unchanged and the original's
    metadata, so that both languages' current revisions say the same. What needs translation is left as it
    was: the translated words did not change."""
    original, translated = recommendation.current, recommendation.translation
    if translated is None or metadata(translated) == metadata(original):
        return None
    number = (db.session.scalar(select(func.max(RecommendationRevision.number))
                                .where(RecommendationRevision.recommendation_id == recommendation.id)) or 0) + 1
    revision = RecommendationRevision(
        recommendation_id=recommendation.id, number=number, text_source=translated.text_source,
        text_html=translated.text_html, language=translated.language, author_id=actor.id, **metadata(original))
    db.session.add(revision)
    db.session.flush()
    recommendation.translation = revision
    return revision


def started_from(current, base_revision_id: int, text_only: bool) -> bool:
    """A change of a part's text in one language starts from its current text there: from that revision, or —
    for a change of the words alone (a translation, an amendment) — from an earlier revision of that
    recommendation and language with the same words, replaced since only to change its metadata."""
    if base_revision_id == (current.id if current is not None else 0):
        return True
    if not (text_only and isinstance(current, RecommendationRevision)):
        return False
    earlier = db.session.get(RecommendationRevision, base_revision_id)
    return (earlier is not None and earlier.recommendation_id == current.recommendation_id
            and earlier.language == current.language and earlier.text_source == current.text_source)


def waiting_clause(model):
    """A live section or recommendation (model) of a bilingual declaration that waits for translation: its
    other language lags behind, or it has no text yet in the second language."""
    return model.deleted_at.is_(None) & (model.needs_translation.is_not(None) | model.translation_revision_id.is_(None))


def untranslated_count(declaration: Declaration) -> int:
    """How many parts of a bilingual declaration (its title and summary count as one) still need translation or
    have no text yet in one language: sign-on waits for none. 0 for a declaration in one language."""
    if not declaration.bilingual:
        return 0
    count = 0 if declaration.title_needs_translation is None and declaration.title_translation else 1
    for model in (Section, Recommendation):
        count += db.session.scalar(select(func.count()).select_from(model).where(
            model.declaration_id == declaration.id, waiting_clause(model))) or 0
    return count


BOTH = "both"


def shown(declaration: Declaration, asked: str | None, interface: str) -> tuple[str, ...]:
    """The languages a reader sees a declaration's text in: the one asked for (?text=en, ur, or both, side by
    side) if the declaration has it, else the interface language if it has that, else its original."""
    if asked == BOTH and declaration.bilingual:
        return declaration.languages
    for language in (asked, interface):
        if language in declaration.languages:
            return (language,)
    return (declaration.language,)
