"""Translating a declaration: its languages and translators (coordinators), the second language's title and
summary and each part's text beside the original (translators and drafters), and the confirmation that a
change needs no translation (coordinators). The rules are in app/declarations/translation.py and services.py."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from app import permissions
from app.choices import LANGUAGES
from app.declarations import people, services, translation
from app.declarations.forms import (
    BilingualForm,
    RecommendationTranslationForm,
    SectionForm,
    TitleTranslationForm,
    TranslatorsForm,
)
from app.declarations.loading import get_declaration, get_item
from app.declarations.views import bp
from app.web.pages import acting_user, carry_out, flash_refusal, form_id, render_form, require


def _languages_url(declaration):
    return url_for("declarations.languages", declaration_id=declaration.id)


@bp.route("/<int:declaration_id>/languages")
def languages(declaration_id):
    """What of the text waits for translation, part by part, with links to translate it; for coordinators,
    the forms that make the declaration bilingual and name its translators."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_edit_text(acting_user(), declaration) or permissions.can_translate(acting_user(),
                                                                                                 declaration))
    return _languages_page(declaration, _translators_form(declaration))


def _languages_page(declaration, translators_form, error=None):
    return render_form("declarations/languages.html", declaration=declaration,
                       waiting=translation.needing_translation(declaration),
                       sections=services.live_sections(declaration.id),
                       recommendations=services.live_recommendations(declaration.id),
                       bilingual_form=_bilingual_form(declaration), translators_form=translators_form,
                       editable=declaration.phase in services.EDITABLE_PHASES, translators_error=error,
                       status=422 if error else None)


def _bilingual_form(declaration, form=None) -> BilingualForm:
    form = form or BilingualForm(formdata=None)
    form.translation_language.choices = [(code, name) for code, name in LANGUAGES.items()
                                         if code != declaration.language]
    return form


def _translators_form(declaration, formdata=None) -> TranslatorsForm | None:
    """Those named so far, ticked to keep, and others added by address (app/declarations/people.py)."""
    if not (declaration.bilingual and permissions.can_manage_declaration(acting_user(), declaration)):
        return None
    form = TranslatorsForm(formdata=formdata)
    form.translators.choices = people.choices_of(declaration.translators)
    if formdata is None:
        form.translators.data = [t.id for t in declaration.translators]
    return form


@bp.route("/<int:declaration_id>/languages/bilingual", methods=["POST"])
def make_bilingual(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = _bilingual_form(declaration, BilingualForm())
    if form.validate_on_submit():
        outcome = carry_out(translation.make_bilingual, acting_user(), declaration,
                            language=form.translation_language.data,
                            success=_("The declaration now has two languages. Every part needs translation "
                                      "before sign-on can open."))
        if outcome.done:
            return redirect(_languages_url(declaration))
        flash_refusal(outcome.refusal)
    else:
        flash(_("Choose the second language."), "error")
    return redirect(_languages_url(declaration))


@bp.route("/<int:declaration_id>/languages/translators", methods=["POST"])
def translators(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = _translators_form(declaration, request.form)
    require(form is not None)
    if not form.validate_on_submit():
        return _languages_page(declaration, form, _("Please correct the fields marked below:"))
    outcome = carry_out(_set_translators, acting_user(), declaration, form.translators.data or [], form.add.data,
                        success=_("Translators saved."))
    if not outcome.done:  # the page again, with what was typed
        return _languages_page(declaration, form, outcome.error)
    return redirect(_languages_url(declaration))


def _set_translators(actor, declaration, ids: list[int], addresses: str) -> None:
    translation.set_translators(actor, declaration, people.named_people(ids, addresses))


@bp.route("/<int:declaration_id>/translate/title", methods=["GET", "POST"])
def translate_title(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_translate(acting_user(), declaration))
    form = TitleTranslationForm()
    if request.method == "GET":
        form.title.data, form.summary.data = declaration.title_translation, declaration.summary_translation
        form.edit_count.data = str(declaration.edit_count)
    error = None
    if form.validate_on_submit():
        outcome = carry_out(translation.translate_title, acting_user(), declaration,
                            base_edit_count=form_id(form.edit_count.data) or 0, title=form.title.data,
                            summary=form.summary.data or "", success=_("The translation has been saved."))
        if outcome.done:
            return redirect(_languages_url(declaration))
        error = outcome.error
        form.edit_count.data = str(declaration.edit_count)
    return render_form("declarations/translate_title.html", form=form, declaration=declaration, error=error)


@bp.route("/<int:declaration_id>/translate/<any(section, recommendation):kind>/<int:item_id>",
          methods=["GET", "POST"])
def translate_item(declaration_id, kind, item_id):
    """A part's text in the second language, written beside the original's."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_translate(acting_user(), declaration))
    item = get_item(declaration, kind, item_id)
    form = SectionForm() if kind == "section" else RecommendationTranslationForm()
    current = item.translation
    if request.method == "GET":
        form.base_revision_id.data = str(current.id if current else 0)
        if current is not None:
            if kind == "section":
                form.heading.data, form.body.data = current.heading, current.body_source
            else:
                form.text.data = current.text_source
    error = None
    if form.validate_on_submit():
        edit = services.edit_section if kind == "section" else services.edit_recommendation
        fields = {"heading": form.heading.data, "body": form.body.data} if kind == "section" \
            else {"text": form.text.data}
        outcome = carry_out(edit, acting_user(), item, base_revision_id=form_id(form.base_revision_id.data) or 0,
                            language=declaration.translation_language, success=_("The translation has been saved."),
                            **fields)
        if outcome.done:
            return redirect(url_for("declarations.languages", declaration_id=declaration.id, _anchor=item.anchor))
        error = outcome.error
        if isinstance(outcome.refusal, services.EditConflict):
            error = _("Someone else changed this translation while you were writing: your text is kept below, "
                      "the current translation is beside it. Save again to replace it.")
            form.base_revision_id.data = str(item.translation.id if item.translation else 0)
    return render_form("declarations/translate_item.html", form=form, declaration=declaration, item=item, kind=kind,
                       error=error)


@bp.route("/<int:declaration_id>/translate/title/no-change", methods=["POST"])
def confirm_title_needs_no_translation(declaration_id):
    """The last change of the title or summary needs no translation: the other language's stands as it is."""
    return _confirm_needs_no_translation(get_declaration(declaration_id), None)


@bp.route("/<int:declaration_id>/translate/<any(section, recommendation):kind>/<int:item_id>/no-change",
          methods=["POST"])
def confirm_no_translation(declaration_id, kind, item_id):
    """The last change needs no translation (a typo): the other language's text stands as it is."""
    declaration = get_declaration(declaration_id)
    return _confirm_needs_no_translation(declaration, get_item(declaration, kind, item_id))


def _confirm_needs_no_translation(declaration, item):
    require(permissions.can_manage_declaration(acting_user(), declaration))
    outcome = carry_out(translation.confirm_needs_no_translation, acting_user(), declaration, item,
                        success=_("Confirmed: the other language's text stands as it is."))
    if not outcome.done:
        flash_refusal(outcome.refusal)
    return redirect(url_for("declarations.languages", declaration_id=declaration.id,
                            _anchor=item.anchor if item else "title"))
