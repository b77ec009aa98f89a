"""Admin pages: people and their roles, recipient institutions, the alliance's settings, and the audit log."""
from datetime import datetime, time

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import false, or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.accounts import services as accounts
from app.accounts.forms import RolesForm
from app.accounts.models import User
from app.audit.labels import labelled_actions
from app.audit.models import AuditEntry
from app.choices import ORGANIZATION_ROLES, PLATFORM_ROLES
from app.extensions import db
from app.institutions import services as institutions
from app.institutions.forms import InstitutionForm
from app.institutions.models import Institution
from app.organizations.queries import organization_named
from app.settings import services as alliance_settings
from app.settings.forms import SettingsForm
from app.web.pages import acting_user, carry_out, get_or_404, query_text, render_form, require
from app.web.paging import sql_page

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


@bp.route("/users")
def users():
    require(permissions.can_manage_users(acting_user()))
    (q, query_error), role = query_text("q", 100), request.args.get("role", "")
    query = select(User).options(selectinload(User.organization), selectinload(User.institution)).order_by(User.name)
    if query_error:
        query = query.where(false())
    elif q:
        pattern = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(or_(User.name.ilike(pattern), User.email.ilike(pattern)))
    if role in PLATFORM_ROLES:
        query = query.where(User.platform_role == role)
    elif role in ORGANIZATION_ROLES:
        query = query.where(User.org_role == role)
    elif role == "expert":
        query = query.where(User.is_expert.is_(True))
    elif role == "inactive":
        query = query.where(User.active.is_(False))
    page = sql_page(query, PAGE_SIZE)
    return render_template("admin/users.html", page=page, q=q, role=role, query_error=query_error)


def _roles_form_choices(form: RolesForm) -> None:
    form.platform_role.choices = [("", _("None"))] + list(PLATFORM_ROLES.items())
    form.org_role.choices = [("", _("None"))] + list(ORGANIZATION_ROLES.items())
    institutions_ = db.session.scalars(select(Institution).order_by(Institution.name)).all()
    form.institution.choices = [("", _("None"))] + [(str(i.id), i.name) for i in institutions_]


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id):
    require(permissions.can_manage_users(acting_user()))
    person = get_or_404(User, user_id)
    form = RolesForm()
    _roles_form_choices(form)
    if request.method == "GET":
        form.platform_role.data = person.platform_role or ""
        form.organization.data = person.organization.name if person.organization else ""
        form.org_role.data = person.org_role or ""
        form.is_expert.data = person.is_expert
        form.institution.data = str(person.institution_id or "")
        form.active.data = person.active
    error = None
    if form.validate_on_submit():
        outcome = carry_out(_set_roles, acting_user(), person, form,
                            success=_("The roles of %(name)s have been saved.", name=person.name))
        if outcome.done:
            return redirect(url_for("admin.user", user_id=person.id))
        error = outcome.error
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "users", AuditEntry.target_id == person.id)
        .order_by(AuditEntry.id.desc()).limit(20)).all()
    return render_form("admin/user.html", form=form, person=person, history=history, error=error)


def _set_roles(actor, person: User, form: RolesForm) -> None:
    """The roles as the form says, the organization found by the name typed (a clear refusal when none or
    several match, and the form again with what was typed)."""
    accounts.set_roles(
        actor, person, platform_role=form.platform_role.data or None,
        organization=organization_named(form.organization.data), org_role=form.org_role.data or None,
        is_expert=form.is_expert.data,
        institution=db.session.get(Institution, int(form.institution.data)) if form.institution.data else None,
        active=form.active.data)


@bp.route("/institutions")
def institutions_list():
    require(permissions.can_manage_institutions(acting_user()))
    rows = db.session.scalars(select(Institution).order_by(Institution.name)).all()
    return render_template("admin/institutions.html", institutions=rows)


@bp.route("/institutions/new", methods=["GET", "POST"])
@bp.route("/institutions/<int:institution_id>", methods=["GET", "POST"])
def institution(institution_id=None):
    require(permissions.can_manage_institutions(acting_user()))
    record = get_or_404(Institution, institution_id) if institution_id is not None else None
    form = InstitutionForm(obj=record)
    error = None
    if form.validate_on_submit():
        outcome = carry_out(institutions.save_institution, acting_user(), record, name=form.name.data,
                            acronym=form.acronym.data or "", description=form.description.data or "",
                            success=_("The institution has been saved."))
        if outcome.done:
            return redirect(url_for("admin.institution", institution_id=outcome.result.id))
        error = outcome.error
    return render_form("admin/institution.html", form=form, institution=record, error=error)


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """The alliance's names, contact address, default lengths and the recipients' defaults."""
    require(permissions.can_manage_settings(acting_user()))
    form = SettingsForm()
    form.default_recipients.choices = [(i.id, i.name) for i in
                                       db.session.scalars(select(Institution).order_by(Institution.name))]
    if request.method == "GET":
        stored = alliance_settings.current()
        for name in ("name_en", "name_ur", "short_name", "contact_email", "consultation_days", "signon_days",
                     "acknowledge_days", "answer_days"):
            getattr(form, name).data = getattr(stored, name)
        known = {choice for choice, _label in form.default_recipients.choices}
        form.default_recipients.data = [i for i in stored.default_recipient_ids if i in known]
    error = None
    if form.validate_on_submit():
        outcome = carry_out(
            alliance_settings.save, acting_user(), name_en=form.name_en.data, name_ur=form.name_ur.data or "",
            short_name=form.short_name.data or "", contact_email=form.contact_email.data or "",
            consultation_days=form.consultation_days.data, signon_days=form.signon_days.data,
            acknowledge_days=form.acknowledge_days.data, answer_days=form.answer_days.data,
            default_recipient_ids=form.default_recipients.data or [],
            success=_("The settings have been saved. Every page and email uses them from now on."))
        if outcome.done:
            return redirect(url_for("admin.settings"), 303)
        error = outcome.error
    return render_form("admin/settings.html", form=form, error=error, saved=alliance_settings.last_saved())


def _date(value: str, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, time.max if end else time.min)


@bp.route("/audit")
def audit():
    require(permissions.can_view_audit_log(acting_user()))
    action, (actor, query_error) = request.args.get("action", ""), query_text("actor", 254)
    target = request.args.get("target", "")
    since, until = _date(request.args.get("since", "")), _date(request.args.get("until", ""), end=True)
    query = select(AuditEntry).options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if target:
        query = query.where(AuditEntry.target_type == target)
    if query_error:
        query = query.where(false())
    elif actor:
        query = query.join(User, AuditEntry.actor_id == User.id).where(User.email.ilike(f"%{actor}%"))
    if since:
        query = query.where(AuditEntry.created_at >= since)
    if until:
        query = query.where(AuditEntry.created_at <= until)
    page = sql_page(query, PAGE_SIZE)
    actions = labelled_actions()  # every action the code records, named (no scan of the whole log for them)
    targets = db.session.scalars(select(AuditEntry.target_type).where(AuditEntry.target_type != "")
                                 .distinct().order_by(AuditEntry.target_type)).all()
    return render_template("admin/audit.html", page=page, actions=actions, targets=targets, action=action,
                           actor=actor, target=target, since=request.args.get("since", ""),
                           until=request.args.get("until", ""), count=page.total, query_error=query_error)
