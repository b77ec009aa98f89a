from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import false, or_, select

from app import permissions
from app.choices import ORGANIZATION_TYPES, PROVINCES
from app.organizations import services
from app.organizations.forms import OrganizationForm
from app.organizations.models import Organization
from app.web.pages import acting_user, carry_out, flash_refusal, get_visible_or_404, query_text, render_form, require
from app.web.paging import sql_page

bp = Blueprint("organizations", __name__, url_prefix="/organizations")
DIRECTORY_PAGE_SIZE = 50


@bp.route("")
def directory():
    """The public directory of verified member organizations, a page at a time by name, with filters that need
    no JavaScript; coordinators may list those awaiting verification instead."""
    type_, province = request.args.get("type", ""), request.args.get("province", "")
    q, query_error = query_text("q", 100)
    show_unverified = request.args.get("state") == "unverified" and permissions.can_verify_organization(
        current_user, None)
    query = select(Organization).where(Organization.verified.is_(not show_unverified)).order_by(Organization.name)
    if type_ in ORGANIZATION_TYPES:
        query = query.where(Organization.type == type_)
    if province in PROVINCES:
        query = query.where(Organization.province == province)
    if query_error:
        query = query.where(false())
    elif q:
        pattern = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Organization.name.ilike(pattern), Organization.acronym.ilike(pattern),
                                Organization.city.ilike(pattern)))
    page = sql_page(query, DIRECTORY_PAGE_SIZE)
    return render_template("organizations/directory.html", page=page, query_error=query_error, type_=type_,
                           province=province, q=q, show_unverified=show_unverified)


@bp.route("/<int:organization_id>")
def detail(organization_id):
    organization = get_visible_or_404(Organization, organization_id, permissions.can_view_organization)
    return render_template("organizations/detail.html", organization=organization)


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(permissions.can_create_organization(acting_user()))
    form = OrganizationForm()
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.create_organization, acting_user(), **_fields(form),
                            success=_("The organization has been added. Verify it when its membership is confirmed."))
        if outcome.done:
            return redirect(url_for("organizations.detail", organization_id=outcome.result.id))
        error = outcome.error
    return render_form("organizations/edit.html", form=form, organization=None, error=error)


@bp.route("/<int:organization_id>/edit", methods=["GET", "POST"])
def edit(organization_id):
    organization = get_visible_or_404(Organization, organization_id, permissions.can_view_organization)
    require(permissions.can_edit_organization(acting_user(), organization))
    form = OrganizationForm(obj=organization)
    if request.method == "GET":
        form.province.data = organization.province or ""
    error = None
    if form.validate_on_submit():
        outcome = carry_out(services.update_profile, acting_user(), organization, **_fields(form),
                            success=_("The organization's profile has been saved."))
        if outcome.done:
            return redirect(url_for("organizations.detail", organization_id=organization.id))
        error = outcome.error
    return render_form("organizations/edit.html", form=form, organization=organization, error=error)


@bp.route("/<int:organization_id>/verification", methods=["POST"])
def set_verification(organization_id):
    organization = get_visible_or_404(Organization, organization_id, permissions.can_view_organization)
    require(permissions.can_verify_organization(acting_user(), organization))
    verified = request.form.get("verified") == "1"
    outcome = carry_out(services.set_verified, acting_user(), organization, verified,
                        success=_("%(name)s is now verified.", name=organization.name) if verified
                        else _("%(name)s is no longer verified.", name=organization.name))
    if not outcome.done:
        flash_refusal(outcome.error)
    return redirect(url_for("organizations.detail", organization_id=organization.id))


def _fields(form: OrganizationForm) -> dict:
    return {name: getattr(form, name).data for name in services.PROFILE_FIELDS}
