"""Who may do what: pure functions of (user, object), used by views, services, templates and tests.

The service's check is the authoritative one (it runs whatever calls it: a view, the CLI, a test); views
check too, only to answer 403 before doing any work. Every view is login-only unless its endpoint is
listed in PUBLIC_ENDPOINTS.
"""
from sqlalchemy import and_, exists, false, or_, select, true

from app.choices import OrganizationRole, Phase, PlatformRole

PUBLIC_ENDPOINTS = frozenset({
    "static", "home.index", "home.healthz", "home.set_language",
    "accounts.login", "accounts.login_code", "accounts.accept_invitation", "accounts.reset_request",
    "accounts.reset_password",
    "organizations.directory", "organizations.detail",
    # Public declarations are readable by anyone; these views (documents.version too) check can_view_declaration.
    "declarations.index", "declarations.read", "declarations.history", "declarations.compare", "comments.thread",
    "amendments.detail", "search.results", "declarations.events", "amendments.for_declaration", "documents.version",
    # The signatory list filters by visibility tier itself; the open sign-on form and its emailed
    # confirmation link are for organizations outside the alliance.
    "signatures.signatories", "signatures.open_form", "signatures.confirm_open",
    # The one-click unsubscribe link of bulk notification emails (signed; a GET only asks).
    "notifications.unsubscribe",
    # Anyone may check a hash or a dossier's JSON. The recommendation pages and the tracker show the
    # government's published answers for declarations the reader may see, and check that themselves.
    "submissions.verify",
    # A public declaration's dossier is public, as an extract that names only public signatories; these
    # views check can_read_dossier themselves (app/submissions/loading.py) and send visitors to log in
    # for any other dossier (documents.dossier: as .docx or .odt).
    "submissions.dossier", "submissions.dossier_pdf", "submissions.dossier_json", "submissions.recommendations_csv",
    "submissions.signatories_csv", "documents.dossier", "responses.recommendation", "responses.tracker", "lines.line",
    "institutions.index", "institutions.scorecard", "institutions.scorecard_csv",  # they count what readers may see
    # Open data: the read-only API, its document, the page, the download and the feeds; public records only.
    "opendata.api_index", "opendata.api_list", "opendata.api_item", "opendata.api_signatories", "opendata.page",
    "opendata.openapi_document", "opendata.download", "opendata.answers_feed", "opendata.declaration_feed",
    "opendata.api_scorecard",
})


def logged_in(user) -> bool:
    """A real, authenticated person (not None, not Flask-Login's anonymous user)."""
    return user is not None and getattr(user, "is_authenticated", False)


def holds_power(user) -> bool:
    """Admins, coordinators and government reviewers: shorter idle sessions and a required second factor."""
    return logged_in(user) and user.platform_role in (PlatformRole.ADMIN, PlatformRole.COORDINATOR,
                                                      PlatformRole.REVIEWER)


def must_use_second_factor(user) -> bool:
    return holds_power(user)


def must_enrol_second_factor(user) -> bool:
    """Logged in with a password alone although the role requires a second factor: until they set it up,
    such a person can reach only the setup page (and log out)."""
    return must_use_second_factor(user) and not user.has_second_factor


def is_admin(user) -> bool:
    return logged_in(user) and user.platform_role == PlatformRole.ADMIN


def is_coordinator(user) -> bool:
    return logged_in(user) and user.platform_role == PlatformRole.COORDINATOR


def is_representative_of(user, organization) -> bool:
    return (logged_in(user) and organization is not None and user.org_role == OrganizationRole.REPRESENTATIVE
            and user.organization_id == organization.id)


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_manage_institutions(user) -> bool:
    return is_admin(user)


def can_view_audit_log(user) -> bool:
    return is_admin(user)


def can_manage_settings(user) -> bool:
    """The alliance's settings: its names, contact address, default lengths and the recipients' defaults."""
    return is_admin(user)


def can_invite(user, *, organization=None, platform_role=None) -> bool:
    """Admins invite anyone; coordinators invite members, representatives and experts;
    representatives invite colleagues into their own organization."""
    if not logged_in(user):
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
        logged_in(user) and user.organization_id == organization.id)


def can_view_organization_people(user, organization) -> bool:
    """Names of an organization's people are for its own people and the secretariat, not the public."""
    return logged_in(user) and (
        user.organization_id == organization.id or is_coordinator(user) or is_admin(user))


# --- declarations and consultation -------------------------------------------------------

ALLIANCE_ROLES = (PlatformRole.COORDINATOR, PlatformRole.ADMIN)


def is_alliance_member(user) -> bool:
    """People of member organizations, individual experts and the secretariat (not reviewers)."""
    return logged_in(user) and user.active and (
        user.organization_id is not None or user.is_expert or user.platform_role in ALLIANCE_ROLES)


def alliance_members_clause(users):
    """is_alliance_member as SQL on people (the User model, passed in as for signer_visible_clause), for queries
    over people (notifications, the choice of drafters)."""
    return and_(users.active.is_(True), or_(users.organization_id.is_not(None), users.is_expert.is_(True),
                                            users.platform_role.in_(ALLIANCE_ROLES)))


def is_drafter(user, declaration) -> bool:
    return logged_in(user) and any(d.id == user.id for d in declaration.drafters)


def is_translator(user, declaration) -> bool:
    """Named by a coordinator to write the declaration's second language (and nothing else)."""
    return logged_in(user) and user.active and any(t.id == user.id for t in declaration.translators)


def can_translate(user, declaration) -> bool:
    """May write the text of a bilingual declaration's second language."""
    return declaration.translation_language is not None and (
        can_edit_text(user, declaration) or is_translator(user, declaration))


def can_create_declaration(user) -> bool:
    return is_coordinator(user)


def can_manage_declaration(user, declaration) -> bool:
    """Phases, settings, co-drafters, consultation events and amendment decisions."""
    return is_coordinator(user)


def can_edit_text(user, declaration) -> bool:
    return is_coordinator(user) or is_drafter(user, declaration)


def can_view_declaration(user, declaration) -> bool:
    if declaration.phase == Phase.DRAFTING:
        return can_edit_text(user, declaration) or is_translator(user, declaration)
    return declaration.visibility == "public" or is_alliance_member(user)


def declaration_visible_clause(user, declarations, drafters, translators):
    """can_view_declaration in SQL on declarations, for lists filtered and counted in the database. The models
    are passed in as for signer_visible_clause (Declaration, DeclarationDrafter, DeclarationTranslator)."""
    if is_coordinator(user):
        draft = true()
    elif logged_in(user):
        draft = exists().where(drafters.declaration_id == declarations.id, drafters.user_id == user.id)
        if user.active:
            draft = or_(draft, exists().where(translators.declaration_id == declarations.id,
                                              translators.user_id == user.id))
    else:
        draft = false()
    other = true() if is_alliance_member(user) else declarations.visibility == "public"
    return or_(and_(declarations.phase == Phase.DRAFTING, draft), and_(declarations.phase != Phase.DRAFTING, other))


def can_take_part(user, declaration) -> bool:
    """May comment and propose amendments (the phase and deadline are checked by the services)."""
    return is_alliance_member(user) and can_view_declaration(user, declaration)


def can_flag_comment(user, comment) -> bool:
    return logged_in(user) and comment.author_id != user.id


def can_edit_comment(user, comment) -> bool:
    return logged_in(user) and comment.author_id == user.id and comment.deleted_at is None


def can_moderate(user) -> bool:
    return is_coordinator(user)


def can_moderate_comment(user, comment, another_coordinator_exists: bool) -> bool:
    """Coordinators do not moderate comments from their own organization while another coordinator exists."""
    if not can_moderate(user):
        return False
    own = comment.author_id == user.id or (
        user.organization_id is not None and comment.organization_id == user.organization_id)
    return not own or not another_coordinator_exists


# --- signatures --------------------------------------------------------------------------

def is_reviewer(user) -> bool:
    return logged_in(user) and user.active and user.platform_role == PlatformRole.REVIEWER


# Who sees a signature named. A signer chooses one of three tiers; each tier is seen by those below and by
# the signer themself and whoever may withdraw the signature (the organization's representatives). Every page,
# export and mail that names signers asks can_see_signer; lists filtered in SQL use signer_visible_clause, which
# is built from the same tiers and the same people, beside it.
PUBLIC_TIERS = ("public",)
# "Alliance and government": the alliance, and the reviewers of the institutions the declaration was
# addressed to (submitted to). Before submission, and for every other institution, a reviewer is the public.
ALLIANCE_TIERS = ("public", "alliance")
ALL_TIERS = ("public", "alliance", "coordinators")


def signature_tiers(user, recipient_institution_ids=()) -> tuple[str, ...]:
    """The visibility tiers of signatures this person sees named, whoever signed them. recipient_institution_ids:
    the institutions the declaration was submitted to (none before submission)."""
    if is_coordinator(user) or is_admin(user):
        return ALL_TIERS
    if is_alliance_member(user) or is_recipient_reviewer(user, recipient_institution_ids):
        return ALLIANCE_TIERS
    return PUBLIC_TIERS


def speaks_for_signature(user, signature) -> bool:
    """The person who signed, or one who may withdraw the signature (see can_withdraw_signature)."""
    return logged_in(user) and (signature.user_id == user.id or can_withdraw_signature(user, signature))


def can_see_signer(user, signature, recipient_institution_ids=()) -> bool:
    """The one rule for names on signatures: whether this person sees the signature named — the organization
    or expert who signed, the name and designation of who signed, and the reservations. Others learn only
    that someone signed (and, of their own organization, that it signed and that the name is hidden)."""
    return (signature.visibility in signature_tiers(user, recipient_institution_ids)
            or speaks_for_signature(user, signature))


def signer_visible_clause(user, signatures, recipient_institution_ids=()):
    """can_see_signer as an SQL condition on signatures (the Signature model, or an alias of it), for lists
    filtered and counted in the database: the same tiers, and the same signer and representatives as
    speaks_for_signature and can_withdraw_signature. (The model is passed in: this module imports no model,
    so that it can be imported before the models are all defined.)"""
    shown = signatures.visibility.in_(signature_tiers(user, recipient_institution_ids))
    if not logged_in(user):
        return shown
    # Null-safe (IS NOT NULL AND …), so that the clause negated counts the signatures without a user or an
    # organization too.
    own = and_(signatures.user_id.is_not(None), signatures.user_id == user.id)
    if user.active and user.org_role == OrganizationRole.REPRESENTATIVE and user.organization_id is not None:
        own = or_(own, and_(signatures.capacity != "individual", signatures.organization_id.is_not(None),
                            signatures.organization_id == user.organization_id))
    return or_(shown, own)


def sees_organization_signers(user, recipient_institution_ids=()) -> bool:
    """Whether this person is shown who signed for an organization (of the signatures they see named): an
    organization may be named in public, the person who spoke for it is named from the alliance tier up (so
    too the public extract of a dossier leaves them out, app/submissions/extract.py)."""
    return ALLIANCE_TIERS[-1] in signature_tiers(user, recipient_institution_ids)


def can_manage_signatures(user, declaration) -> bool:
    """Pending and withdrawn signatures, approvals, the chase list, reminders, exports and statistics."""
    return is_coordinator(user)


def can_sign_for_organization(user, declaration) -> bool:
    """Representatives sign for their own organization, and only for it."""
    return (logged_in(user) and user.active and user.org_role == OrganizationRole.REPRESENTATIVE
            and user.organization_id is not None and can_view_declaration(user, declaration))


def can_sign_as_expert(user, declaration) -> bool:
    return logged_in(user) and user.active and user.is_expert and can_view_declaration(user, declaration)


def can_sign(user, declaration) -> bool:
    return can_sign_for_organization(user, declaration) or can_sign_as_expert(user, declaration)


def can_withdraw_signature(user, signature) -> bool:
    """The expert who signed, or a representative of the organization that signed."""
    if not logged_in(user) or not user.active:
        return False
    if signature.capacity == "individual":
        return signature.user_id == user.id
    return (signature.organization_id is not None and user.org_role == OrganizationRole.REPRESENTATIVE
            and user.organization_id == signature.organization_id)


# --- submission and response ---------------------------------------------------------------

def can_submit(user, declaration) -> bool:
    """Closing sign-on and submitting to government."""
    return is_coordinator(user)


def is_recipient_reviewer(user, institution_ids) -> bool:
    """A reviewer of one of the institutions a submission was addressed to."""
    return is_reviewer(user) and user.institution_id is not None and user.institution_id in institution_ids


def can_view_dossier(user, declaration, institution_ids) -> bool:
    """The complete dossier (every signatory it names, and who signed for each organization): the
    coordinators, the alliance (who signed it) and the reviewers it was addressed to; not visitors, and not
    the reviewers of other institutions."""
    if is_coordinator(user) or is_admin(user):
        return True
    if is_reviewer(user):
        return is_recipient_reviewer(user, institution_ids)
    return is_alliance_member(user) and can_view_declaration(user, declaration)


def dossier_visible_clause(user, submissions, recipients, declarations, drafters, translators):
    """can_view_dossier as SQL on submissions; the models passed in (Submission, SubmissionRecipient, …)."""
    if is_coordinator(user) or is_admin(user):
        return true()
    if is_reviewer(user):
        return exists().where(recipients.submission_id == submissions.id,
                              recipients.institution_id == user.institution_id) if user.institution_id else false()
    visible = declaration_visible_clause(user, declarations, drafters, translators)
    return exists().where(declarations.id == submissions.declaration_id, visible) if is_alliance_member(user) \
        else false()


def can_read_dossier(user, declaration, institution_ids) -> bool:
    """The dossier's page, PDF, JSON and CSV in some form: the complete dossier for those above, and the
    public extract of a public declaration's dossier for anyone else. The complete dossier names the
    signatures in ALLIANCE_TIERS, which everyone who may view it sees (signature_tiers); the extract names
    those in PUBLIC_TIERS only."""
    return can_view_dossier(user, declaration, institution_ids) or (
        declaration.visibility == "public" and can_view_declaration(user, declaration))


def can_respond(user, institution_ids) -> bool:
    """Acknowledge, answer, publish and post implementation updates: the addressed institution's reviewers."""
    return is_recipient_reviewer(user, institution_ids)


def can_view_response(user, declaration, institution_ids) -> bool:
    """Published answers, updates and assessments: whoever may read the declaration, and its recipients."""
    return can_view_declaration(user, declaration) or is_recipient_reviewer(user, institution_ids)


def public_response_clause(declarations):
    """can_view_response for a visitor (no institution's reviewer) in SQL on the declarations answered."""
    return declaration_visible_clause(None, declarations, None, None)


def response_visible_clause(user, declaration_clause, recipients, submission_id):
    """can_view_response as SQL: declaration_visible_clause on the submission's declaration, or this
    reviewer's institution among the submission's recipients (the SubmissionRecipient model)."""
    if not (is_reviewer(user) and user.institution_id is not None):
        return declaration_clause
    return or_(declaration_clause, exists(select(1).where(recipients.submission_id == submission_id,
                                                          recipients.institution_id == user.institution_id)))


def can_assess(user) -> bool:
    """Publish the alliance's assessment, and close a submission's follow-up."""
    return is_coordinator(user)


def can_keep_record(user) -> bool:
    """Set or move an institution's deadlines, import the years before Sanad: coordinators."""
    return is_coordinator(user)
