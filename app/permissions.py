"""Who may do what: pure functions of (user, object), used by views, services, templates and tests.

Every view is login-only unless its endpoint is listed in PUBLIC_ENDPOINTS.
"""

PUBLIC_ENDPOINTS = frozenset({
    "static",
    "core.index",
    "core.healthz",
    "core.set_language",
    "accounts.login",
    "accounts.accept_invitation",
    "accounts.reset_request",
    "accounts.reset_password",
    "organizations.directory",
    "organizations.detail",
})


def _logged_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user) -> bool:
    return _logged_in(user) and user.platform_role == "admin"


def is_coordinator(user) -> bool:
    return _logged_in(user) and user.platform_role == "coordinator"


def is_representative_of(user, organization) -> bool:
    return (_logged_in(user) and organization is not None and user.org_role == "representative"
            and user.organization_id == organization.id)


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_manage_institutions(user) -> bool:
    return is_admin(user)


def can_view_audit_log(user) -> bool:
    return is_admin(user)


def can_invite(user, *, organization=None, platform_role=None) -> bool:
    """Admins invite anyone; coordinators invite members, representatives and experts;
    representatives invite colleagues into their own organization."""
    if not _logged_in(user):
        return False
    if platform_role is not None:
        return is_admin(user)
    if is_admin(user) or is_coordinator(user):
        return True
    return organization is not None and is_representative_of(user, organization)


def can_invite_anyone(user) -> bool:
    """May open the general invitation page (choosing the organization or role)."""
    return is_admin(user) or is_coordinator(user)


def can_manage_invitations(user) -> bool:
    return is_admin(user) or is_coordinator(user)


def can_create_organization(user) -> bool:
    return is_admin(user) or is_coordinator(user)


def can_verify_organization(user, organization) -> bool:
    return is_coordinator(user) or is_admin(user)


def can_edit_organization(user, organization) -> bool:
    return is_coordinator(user) or is_admin(user) or is_representative_of(user, organization)


def can_view_organization(user, organization) -> bool:
    """Verified organizations are public; unverified ones only to those who manage them and their people."""
    if organization.verified:
        return True
    return can_edit_organization(user, organization) or (
        _logged_in(user) and user.organization_id == organization.id)


def can_view_organization_people(user, organization) -> bool:
    """Names of an organization's people are for its own people and the secretariat, not the public."""
    return _logged_in(user) and (
        user.organization_id == organization.id or is_coordinator(user) or is_admin(user))
