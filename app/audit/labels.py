"""What each audit action is called in the log: the identifiers the code records (app.audit.services.record),
as words in the reader's language. tests/audit/test_action_labels.py finds every action the code records and
checks it is here."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    # accounts and sign-in
    "login": _l("Logged in"),
    "login_failed": _l("Login failed"),
    "login_refused": _l("Login refused: too many attempts"),
    "logout": _l("Logged out"),
    "logout_everywhere": _l("Logged out everywhere"),
    "password_changed": _l("Password changed"),
    "password_check_failed": _l("Wrong password given"),
    "password_check_refused": _l("Password check refused: too many attempts"),
    "password_reset_requested": _l("Password reset requested"),
    "password_reset_requested_unknown": _l("Password reset requested for an unknown address"),
    "profile_updated": _l("Profile or settings changed"),
    "roles_changed": _l("Roles changed"),
    "settings_changed": _l("Alliance settings changed"),
    "admin_created_from_cli": _l("Admin account created from the command line"),
    "second_factor_on": _l("Two-step login turned on"),
    "second_factor_off": _l("Two-step login turned off"),
    "second_factor_failed": _l("Wrong two-step login code"),
    "second_factor_refused": _l("Two-step login code refused: too many attempts"),
    "second_factor_warning_sent": _l("Warning about failed codes sent"),
    "recovery_codes_renewed": _l("New recovery codes made"),
    "recovery_code_used": _l("Recovery code used"),
    "notifications_unsubscribed": _l("Unsubscribed from email by link"),
    # invitations
    "invitation_sent": _l("Invitation sent"),
    "invitation_to_existing_account": _l("Existing account invited to an organization"),
    "invitation_accepted": _l("Invitation accepted"),
    "invitation_revoked": _l("Invitation revoked"),
    # mail budgets
    "mail_invitation_refused": _l("Invitation mail refused: limit reached"),
    "mail_secretariat_invitation_refused": _l("Secretariat invitation mail refused: limit reached"),
    "mail_open_signon_refused": _l("Open sign-on mail refused: limit reached"),
    "mail_password_reset_refused": _l("Password reset mail refused: limit reached"),
    "mail_signature_reminder_refused": _l("Signature reminder mail refused: limit reached"),
    # organizations and institutions
    "organization_created": _l("Organization created"),
    "organization_updated": _l("Organization changed"),
    "organization_verified": _l("Organization verified"),
    "organization_unverified": _l("Organization's verification removed"),
    "institution_created": _l("Institution added"),
    "institution_updated": _l("Institution changed"),
    # declarations
    "declaration_created": _l("Declaration created"),
    "declaration_settings_changed": _l("Declaration settings changed"),
    "drafters_changed": _l("Co-drafters changed"),
    "translators_changed": _l("Translators changed"),
    "declaration_made_bilingual": _l("Declaration made bilingual"),
    "title_translated": _l("Title and summary translated"),
    "translation_not_needed": _l("Change confirmed as needing no translation"),
    "section_added": _l("Section added"),
    "section_edited": _l("Section edited"),
    "section_deleted": _l("Section deleted"),
    "section_moved": _l("Section moved"),
    "recommendation_added": _l("Recommendation added"),
    "recommendation_edited": _l("Recommendation edited"),
    "recommendation_deleted": _l("Recommendation deleted"),
    "recommendation_moved": _l("Recommendation moved"),
    "parts_arranged": _l("Parts put in the order of an imported document"),
    "document_imported": _l("Text imported from a Word or OpenDocument file"),
    "phase_open_consultation": _l("Consultation opened"),
    "phase_close_consultation": _l("Consultation closed, revision started"),
    "phase_reopen_consultation": _l("Consultation reopened"),
    "phase_open_signon": _l("Sign-on opened"),
    "phase_reopen_text": _l("Text reopened for revision"),
    "consultation_event_recorded": _l("Consultation event recorded"),
    "consultation_event_updated": _l("Consultation event changed"),
    # comments and amendments
    "comment_posted": _l("Comment posted"),
    "comment_edited": _l("Comment edited"),
    "comment_deleted": _l("Comment deleted"),
    "comment_flagged": _l("Comment flagged"),
    "comment_approve": _l("Comment approved"),
    "comment_reject": _l("Comment rejected"),
    "comment_hide": _l("Comment hidden"),
    "comment_restore": _l("Comment restored"),
    "comment_dismiss": _l("Flags on a comment dismissed"),
    "amendment_proposed": _l("Amendment proposed"),
    "amendment_accepted": _l("Amendment accepted"),
    "amendment_rejected": _l("Amendment rejected"),
    "amendment_hidden": _l("Amendment hidden"),
    "amendment_restored": _l("Amendment restored"),
    # signatures
    "signature_added": _l("Signature added"),
    "signature_reconfirmed": _l("Signature re-confirmed"),
    "signature_withdrawn": _l("Signature withdrawn"),
    "signatures_marked_earlier_version": _l("Signatures marked as on an earlier version"),
    "signature_reconfirmation_requested": _l("Signers asked to re-confirm"),
    "signature_reminders_sent": _l("Signature reminders sent"),
    "open_signon_enabled": _l("Open sign-on turned on"),
    "open_signon_disabled": _l("Open sign-on turned off"),
    "open_signon_requested": _l("Outside organization asked to sign"),
    "open_signature_confirmed": _l("Outside signature confirmed by email"),
    "open_signature_approved": _l("Outside signature approved"),
    "open_signature_rejected": _l("Outside signature rejected"),
    # submission and response
    "signon_closed": _l("Sign-on closed"),
    "signon_reopened": _l("Sign-on reopened on the same version"),
    "signon_deadline_changed": _l("Sign-on deadline changed"),
    "signers_told_left_out": _l("Signers told their signature is not in the dossier"),
    "declaration_submitted": _l("Declaration submitted"),
    "submission_acknowledged": _l("Receipt acknowledged"),
    "deadlines_set": _l("An institution's deadlines set"),
    "deadlines_moved": _l("An institution's deadlines moved"),
    "answer_drafted": _l("Answer drafted"),
    "answers_published": _l("Answers published"),
    "implementation_update_posted": _l("Implementation update posted"),
    "assessment_published": _l("Alliance assessment published"),
    "followup_closed": _l("Follow-up closed"),
    # recommendations followed across the years
    "recommendation_carried_forward": _l("Recommendation marked as carrying an earlier one forward"),
    "recommendation_line_left": _l("Recommendation no longer carries an earlier one forward"),
    "earlier_declaration_imported": _l("Earlier declaration imported from a CSV"),
}


def action_label(action: str) -> str:
    """The action in words; an identifier no longer recorded (an old entry) is shown as it was stored."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def labelled_actions() -> list[tuple[str, str]]:
    """(identifier, label) of every action, in the order of their labels, for the log's filter."""
    return sorted(((action, str(label)) for action, label in ACTION_LABELS.items()), key=lambda pair: pair[1])
