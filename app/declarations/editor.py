"""Writing declarations: creating, settings, sections and recommendations, phases, co-drafters, events."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app import permissions
from app.choices import Phase
from app.declarations import people, phases, services
from app.declarations.forms import (
    DeclarationForm,
    DraftersForm,
    EventForm,
    NewDeclarationForm,
    PhaseForm,
    RecommendationForm,
    SectionForm,
)
from app.declarations.loading import get_declaration, get_item, institution_names
from app.declarations.models import ConsultationEvent
from app.declarations.views import bp
from app.extensions import db
from app.institutions.models import Institution
from app.time import local_to_utc
from app.web.pages import (
    acting_user,
    answer_repeat,
    carry_out,
    flash_refusal,
    form_id,
    get_or_404,
    render_form,
    require,
)


def _count(value) -> int:
    """The settings form's edit count (0 and up); a tampered one counts as stale."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


def _read_url(declaration, anchor=None):
    return url_for("declarations.read", declaration_id=declaration.id, _anchor=anchor)


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(permissions.can_create_declaration(acting_user()))
    form = NewDeclarationForm()
    if form.validate_on_submit():
        declaration = services.create_declaration(
            acting_user(), kind=form.kind.data, title=form.title.data, summary=form.summary.data or "",
            moderation=form.moderation.data, visibility=form.visibility.data, language=form.language.data)
        flash(_("The declaration has been created. Add its sections and recommendations."), "success")
        return redirect(url_for("declarations.edit", declaration_id=declaration.id))
    return render_form("declarations/settings.html", form=form, declaration=None)


@bp.route("/<int:declaration_id>/edit")
def edit(declaration_id):
    """The editor's overview: every section and recommendation with edit, move and delete."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_edit_text(acting_user(), declaration))
    recommendations = services.live_recommendations(declaration.id)
    return render_template("declarations/edit.html", declaration=declaration,
                           sections=services.live_sections(declaration.id), recommendations=recommendations,
                           numbers=services.numbering(recommendations), institutions=institution_names(),
                           phase_form=PhaseForm(), editable=declaration.phase in services.EDITABLE_PHASES)


@bp.route("/<int:declaration_id>/settings", methods=["GET", "POST"])
def settings(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = DeclarationForm(obj=declaration)
    if request.method == "GET":
        form.edit_count.data = str(declaration.edit_count)
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.update_settings, acting_user(), declaration,
                            base_edit_count=_count(form.edit_count.data), kind=form.kind.data, title=form.title.data,
                            summary=form.summary.data or "", moderation=form.moderation.data,
                            visibility=form.visibility.data, success=_("The settings have been saved."))
        if outcome.done:
            return redirect(url_for("declarations.edit", declaration_id=declaration.id))
        if isinstance(outcome.refusal, services.EditConflict):
            error = _("Someone else changed these settings while you were editing them: your text is kept below; "
                      "the current title is “%(title)s”. Save again to replace it.", title=declaration.title)
            form.edit_count.data = str(declaration.edit_count)
        else:
            error = outcome.error
    return render_form("declarations/settings.html", form=form, declaration=declaration, error=error)


def _institution_choices(form: RecommendationForm) -> None:
    institutions = db.session.scalars(select(Institution).order_by(Institution.name))
    form.addressees.choices = [(i.id, i.name) for i in institutions]


def _recommendation_fields(form: RecommendationForm) -> dict:
    return {"text": form.text.data, "pillar": form.pillar.data, "themes": form.themes.data,
            "addressees": form.addressees.data or [], "convention_articles": form.convention_articles.data or "",
            "untoc": form.untoc.data or [], "sdg_targets": form.sdg_targets.data or [],
            "groups": form.groups.data or []}


@bp.route("/<int:declaration_id>/<any(section, recommendation):kind>/new", methods=["GET", "POST"])
def add_item(declaration_id, kind):
    declaration = get_declaration(declaration_id)
    require(permissions.can_edit_text(acting_user(), declaration))
    form = SectionForm() if kind == "section" else RecommendationForm()
    if kind == "recommendation":
        _institution_choices(form)
    error = None
    if form.validate_on_submit():
        if kind == "section":
            outcome = carry_out(services.add_section, acting_user(), declaration, heading=form.heading.data,
                                body=form.body.data, success=_("Saved."))
        else:
            outcome = carry_out(services.add_recommendation, acting_user(), declaration,
                                **_recommendation_fields(form), success=_("Saved."))
        if outcome.done:
            return redirect(url_for("declarations.edit", declaration_id=declaration.id, _anchor=outcome.result.anchor))
        error = outcome.error
    return render_form(f"declarations/{kind}_form.html", form=form, declaration=declaration, item=None, error=error)


@bp.route("/<int:declaration_id>/<any(section, recommendation):kind>/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(declaration_id, kind, item_id):
    declaration = get_declaration(declaration_id)
    item = get_item(declaration, kind, item_id)
    require(permissions.can_edit_text(acting_user(), declaration))
    if kind == "section":
        form = (SectionForm(obj=item.current, body=item.current.body_source) if request.method == "GET"
                else SectionForm())
    else:
        form = RecommendationForm(obj=item.current, text=item.current.text_source) \
            if request.method == "GET" else RecommendationForm()
        _institution_choices(form)
    if request.method == "GET":
        form.base_revision_id.data = str(item.current_revision_id)
    error = None
    if form.validate_on_submit():
        base = form_id(form.base_revision_id.data) or -1  # a tampered base ends in the conflict page
        if kind == "section":
            outcome = carry_out(services.edit_section, acting_user(), item, base_revision_id=base,
                                heading=form.heading.data, body=form.body.data, success=_("Saved as a new revision."))
        else:
            outcome = carry_out(services.edit_recommendation, acting_user(), item, base_revision_id=base,
                                **_recommendation_fields(form), success=_("Saved as a new revision."))
        if outcome.done:
            return redirect(url_for("declarations.edit", declaration_id=declaration.id, _anchor=item.anchor))
        if isinstance(outcome.refusal, services.EditConflict):
            form.base_revision_id.data = str(outcome.refusal.current.id)  # saving again replaces it knowingly
            return render_form("declarations/conflict.html", status=409, form=form, declaration=declaration,
                               item=item, kind=kind, other=outcome.refusal.current)
        error = outcome.error
    return render_form(f"declarations/{kind}_form.html", form=form, declaration=declaration, item=item, error=error)


@bp.route("/<int:declaration_id>/<any(section, recommendation):kind>/<int:item_id>/delete", methods=["GET"])
def confirm_delete_item(declaration_id, kind, item_id):
    """Deleting a section or recommendation is confirmed on this page, which shows it as it stands and carries
    the revision it showed."""
    declaration = get_declaration(declaration_id)
    item = get_item(declaration, kind, item_id)
    require(permissions.can_edit_text(acting_user(), declaration))
    return _delete_item_page(declaration, kind, item)


def _delete_item_page(declaration, kind, item, error=None, status=200):
    return render_template("declarations/confirm_delete_item.html", declaration=declaration, kind=kind, item=item,
                           error=error), status


@bp.route("/<int:declaration_id>/<any(section, recommendation):kind>/<int:item_id>/<any(up, down, delete):action>",
          methods=["POST"])
def change_item(declaration_id, kind, item_id, action):
    declaration = get_declaration(declaration_id)
    item = get_item(declaration, kind, item_id)
    require(permissions.can_edit_text(acting_user(), declaration))
    if action == "delete" and request.form.get("expected_revision") != str(item.current_revision_id):
        # Not from the confirmation page, or the text changed since it was shown: show it as it stands.
        message = (_("Confirm on this page: it shows the text as it stands now.")
                   if not request.form.get("expected_revision")
                   else _("This was edited after the page was opened. Check the text below and confirm again."))
        return _delete_item_page(declaration, kind, item, message, 422)
    if action == "delete":
        outcome = carry_out(services.delete_item, acting_user(), item,
                            success=_("Deleted. Its history and comments are kept."))
    else:
        outcome = carry_out(services.move_item, acting_user(), item, -1 if action == "up" else 1)
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("declarations.edit", declaration_id=declaration.id, _anchor=item.anchor))


@bp.route("/<int:declaration_id>/phase/<any(consultation, revision, signon):target>")
def confirm_phase(declaration_id, target):
    """Every change of phase is irreversible in part (a version is frozen, people are told): this page says
    what will happen before the coordinator confirms it with a POST."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = PhaseForm(target=target)
    if request.args.get("deadline"):
        form.deadline.process_formdata([request.args["deadline"]])
    else:
        form.deadline.data = phases.suggested_deadline(target)
    return _phase_page(declaration, target, form)


def _phase_page(declaration, target, form, error=None, status=200):
    change = phases.preview(declaration, target)
    if change is None:
        flash_refusal(_("A declaration in the %(phase)s phase cannot move to %(target)s.",
                 phase=services._phase_label(declaration.phase), target=services._phase_label(target)))
        return redirect(url_for("declarations.edit", declaration_id=declaration.id))
    form.target.data, form.expected_sha256.data = target, change.sha256
    if target == Phase.CONSULTATION:
        form.deadline.label.text = _("Consultation deadline")
        form.deadline.description = _("Comments and amendments are accepted until then (your local time).")
    elif target == Phase.SIGNON:
        form.deadline.label.text = _("Sign-on deadline (optional)")
        form.deadline.description = _("Signing stops then. Leave it empty to close sign-on by hand when you submit.")
    days = phases.default_days(target)
    if days:
        form.deadline.description += " " + ngettext(
            "The date suggested is %(num)d day from today, the alliance's usual length.",
            "The date suggested is %(num)d days from today, the alliance's usual length.", days)
    return render_form("declarations/confirm_phase.html", form=form, declaration=declaration, target=target,
                       change=change, error=error, status=status)


@bp.route("/<int:declaration_id>/phase", methods=["POST"])
def change_phase(declaration_id):
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = PhaseForm()
    target = form.target.data or ""
    if not form.validate_on_submit():
        message = (_("Confirm on this page: it shows the version that will be frozen.")
                   if not form.expected_sha256.data else _("Choose a valid date and time."))
        return _phase_page(declaration, target, form, message, 422)
    outcome = carry_out(services.change_phase, acting_user(), declaration, target,
                        deadline=local_to_utc(form.deadline.data), expected_sha256=form.expected_sha256.data)
    if not outcome.done:
        return _phase_page(declaration, target, form, outcome.error, 422)
    flash(_("The declaration is now in the %(phase)s phase. Version %(n)d was recorded.",
            phase=services._phase_label(declaration.phase), n=outcome.result.number), "success")
    return redirect(_read_url(declaration))


@bp.route("/<int:declaration_id>/drafters", methods=["GET", "POST"])
def drafters(declaration_id):
    """Co-drafters: those named so far, ticked to keep, and others added by email address."""
    declaration = get_declaration(declaration_id)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = DraftersForm()
    form.drafters.choices = people.choices_of(declaration.drafters)
    if request.method == "GET":
        form.drafters.data = [d.id for d in declaration.drafters]
    error = None
    if form.validate_on_submit():
        outcome = carry_out(_set_drafters, acting_user(), declaration, form.drafters.data or [], form.add.data,
                            success=_("Co-drafters saved."))
        if outcome.done:
            return redirect(url_for("declarations.edit", declaration_id=declaration.id))
        error = outcome.error
    return render_form("declarations/drafters.html", form=form, declaration=declaration, error=error)


def _set_drafters(actor, declaration, ids: list[int], addresses: str) -> None:
    services.set_drafters(actor, declaration, people.named_people(ids, addresses))


@bp.route("/<int:declaration_id>/events")
def events(declaration_id):
    declaration = get_declaration(declaration_id)
    rows = db.session.scalars(select(ConsultationEvent).where(ConsultationEvent.declaration_id == declaration.id)
                              .order_by(ConsultationEvent.held_on)).all()
    return render_template("declarations/events.html", declaration=declaration, events=rows)


@bp.route("/<int:declaration_id>/events/new", methods=["GET", "POST"])
@bp.route("/<int:declaration_id>/events/<int:event_id>", methods=["GET", "POST"])
def event(declaration_id, event_id=None):
    declaration = get_declaration(declaration_id)
    record = get_or_404(ConsultationEvent, event_id) if event_id is not None else None
    if record is not None and record.declaration_id != declaration.id:
        abort(404)
    require(permissions.can_manage_declaration(acting_user(), declaration))
    form = EventForm(obj=record)
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.save_event, acting_user(), declaration, record,
                            **{name: getattr(form, name).data for name in services.EVENT_FIELDS},
                            form_key=form.form_key.data, success=_("The consultation event has been saved."))
        if outcome.repeat:
            return answer_repeat(outcome.repeat)
        if outcome.done:
            return redirect(outcome.answered(url_for("declarations.events", declaration_id=declaration.id)))
        error = outcome.error
    return render_form("declarations/event_form.html", form=form, declaration=declaration, event=record, error=error)
