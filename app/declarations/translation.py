"""Translation as part of drafting: a coordinator makes a declaration bilingual and names its translators;
translators write the second language's title, summary and parts (app/declarations/services.py edit_section
and edit_recommendation take the language); a coordinator may confirm that a change needs no translation (a
typo). What still needs translation is counted in SQL (languages.untranslated_count, needing_translation)."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.audit.services import record
from app.choices import LANGUAGES
from app.declarations.languages import waiting_clause
from app.declarations.models import Declaration, Recommendation, Section
from app.declarations.services import EDITABLE_PHASES, EditConflict, live_recommendations, live_sections
from app.declarations.signals import text_saved
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.time import utcnow


def _require_drafting(declaration: Declaration) -> None:
    if declaration.phase not in EDITABLE_PHASES:
        raise RuleError(_("The text can only be changed while drafting or in revision."))


def make_bilingual(actor, declaration: Declaration, *, language: str) -> None:
    """Give the declaration a second language: every part, and the title and summary, then need translation
    until a translator writes them. Sign-on waits until nothing does."""
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    _require_drafting(declaration)
    if declaration.bilingual:
        raise RuleError(_("This declaration already has two languages."))
    if language not in LANGUAGES or language == declaration.language:
        raise RuleError(_("Choose the other language."))
    declaration.translation_language = language
    declaration.title_needs_translation = language
    for part in [*live_sections(declaration.id), *live_recommendations(declaration.id)]:
        part.needs_translation = language
    declaration.edit_count += 1
    declaration.updated_at = utcnow()
    record(actor, "declaration_made_bilingual", declaration, language=declaration.language, translation=language)


def translate_title(actor, declaration: Declaration, *, base_edit_count: int, title: str, summary: str) -> None:
    """The title and summary in the declaration's second language."""
    if not permissions.can_translate(actor, declaration):
        raise NotAllowed()
    _require_drafting(declaration)
    if base_edit_count != declaration.edit_count:
        raise EditConflict(declaration)
    if not title.strip():
        raise RuleError(_("Write the title in this language."))
    declaration.title_translation, declaration.summary_translation = title.strip(), summary.strip()
    if declaration.title_needs_translation == declaration.translation_language:
        declaration.title_needs_translation = None
    declaration.edit_count += 1
    declaration.updated_at = utcnow()
    text_saved.send(declaration)
    record(actor, "title_translated", declaration, language=declaration.translation_language)


def confirm_needs_no_translation(actor, declaration: Declaration, part=None) -> None:
    """A coordinator says the last change of a part (or of the title and summary, part=None) needs no
    translation — a typo, a link — so the other language's text stands as it is. Only for a part whose
    other-language text exists."""
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    _require_drafting(declaration)
    if part is None:
        if declaration.title_needs_translation is None or not declaration.title_translation:
            raise RuleError(_("The title and summary need no confirmation: both languages are written."))
        language, declaration.title_needs_translation = declaration.title_needs_translation, None
    else:
        if part.needs_translation is None or part.translation is None:
            raise RuleError(_("Only a part written in both languages can be confirmed as needing no translation."))
        language, part.needs_translation = part.needs_translation, None
    declaration.updated_at = utcnow()
    record(actor, "translation_not_needed", part or declaration, declaration_id=declaration.id, language=language)


def set_translators(actor, declaration: Declaration, users: list) -> None:
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    if not declaration.bilingual:
        raise RuleError(_("Make the declaration bilingual before naming translators."))
    declaration.translators = users
    record(actor, "translators_changed", declaration, user_ids=sorted(u.id for u in users))


@dataclass
class Waiting:
    """What of a bilingual declaration still waits for translation, for its edit page."""
    title: bool
    sections: list[int]
    recommendations: list[int]

    @property
    def count(self) -> int:
        return int(self.title) + len(self.sections) + len(self.recommendations)


def needing_translation(declaration: Declaration) -> Waiting:
    """The ids of the live parts that need translation or have no text yet in one language."""
    ids = {}
    for model in (Section, Recommendation):
        ids[model] = list(db.session.scalars(select(model.id).where(
            model.declaration_id == declaration.id, waiting_clause(model)).order_by(model.position)))
    title = declaration.title_needs_translation is not None or not declaration.title_translation
    return Waiting(title=declaration.bilingual and title, sections=ids[Section] if declaration.bilingual else [],
                   recommendations=ids[Recommendation] if declaration.bilingual else [])
