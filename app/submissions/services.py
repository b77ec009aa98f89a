"""Submission: closing sign-on, the immutable dossier with one hash for all its forms, and verification.

The dossier's content is built once, at submission, from the signed version, the verified signatures on
it and the consultation record, and stored with the SHA-256 of its canonical JSON. The web page, the PDF,
the CSV files and the JSON are all drawn from that stored content, so they all carry the same hash, and
anyone holding the JSON can recompute it.
"""
import json
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

from app import permissions
from app.accounts.models import User
from app.audit.services import record
from app.choices import SUBMITTED_PHASES, Phase, PlatformRole, SignatureStatus
from app.database import update_if
from app.declarations import classification
from app.declarations.models import Declaration, Version
from app.declarations.services import content_hash
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.formatting import format_datetime_short
from app.institutions.models import Institution
from app.links import absolute_url
from app.markup import render_markdown
from app.notifications import services as notifications
from app.notifications.services import notify, notify_alliance_of_submission
from app.organizations.models import Organization
from app.settings import services as alliance_settings
from app.signatures.models import Signature
from app.signatures.open_signon import tell_outside_signer_left_out, tell_outside_signers_of_submission
from app.signatures.queries import (
    base_query,
    possible_signers,
    possible_signers_count,
    signing_closed_message,
    signing_version,
    verified_clause,
    with_details,
)
from app.signatures.reopening import signer_people, why_signed
from app.submissions import bilingual, extract
from app.submissions import deadlines as recipient_deadlines
from app.submissions.dossier import DOSSIER_FORMAT, counted_signatures, dossier_content
from app.submissions.models import (
    Submission,
    SubmissionClosure,
    SubmissionRecipient,
    SubmissionSignature,
    SubmittedRecommendation,
)
from app.time import utcnow

MAX_UPLOAD = 20 * 1024 * 1024


class AlreadySubmitted(RuleError):
    def __init__(self, submission: Submission):
        super().__init__(_("This declaration was already submitted. Here is its dossier."))
        self.submission = submission


def submission_for(declaration_id: int) -> Submission | None:
    return db.session.scalar(select(Submission).options(selectinload(Submission.recipients))
                             .where(Submission.declaration_id == declaration_id))


def addressed_institutions(declaration: Declaration) -> list[int]:
    """The institutions the declaration was submitted to (app/declarations/signals.py): no query before
    submission, one after."""
    if declaration.phase not in SUBMITTED_PHASES:
        return []
    return list(db.session.scalars(select(SubmissionRecipient.institution_id).join(
        Submission, SubmissionRecipient.submission_id == Submission.id).where(
        Submission.declaration_id == declaration.id)))


def require_follow_up_open(submission: Submission) -> None:
    """Before adding to a submission's response: lock the submission's row (PostgreSQL; on SQLite the
    request already holds the write lock, app.web.pages.attempt), then check the follow-up is open. Closing
    takes the same lock, so nothing is added after a closure that another request just committed."""
    db.session.execute(select(Submission.id).where(Submission.id == submission.id).with_for_update())
    message = follow_up_closed_message(submission)
    if message:
        raise RuleError(message)


def follow_up_closed_message(submission: Submission) -> str | None:
    """Why nothing more can be added to this submission's response, or None while it is open."""
    closure = db.session.get(SubmissionClosure, submission.id)
    if closure is None:
        return None
    return _("The follow-up of this submission was closed on %(date)s. Nothing more can be added.",
             date=format_datetime_short(closure.closed_at))


def submitted_recommendations(submission: Submission) -> list[SubmittedRecommendation]:
    return db.session.scalars(select(SubmittedRecommendation).where(
        SubmittedRecommendation.submission_id == submission.id).order_by(SubmittedRecommendation.number)).all()


def submission_readiness(declaration: Declaration) -> dict:
    """What a submission made now would hold: the version, and its counted and not-yet-counted signatures."""
    version = signing_version(declaration)
    if version is None:
        return {"version": None, "counted": 0, "pending": 0, "outside": 0}
    active = (select(func.count(Signature.id)).outerjoin(Organization, Signature.organization_id == Organization.id)
              .where(Signature.declaration_id == declaration.id, Signature.version_id == version.id,
                     Signature.status == SignatureStatus.ACTIVE))
    counted = db.session.scalar(active.where(verified_clause()))
    outside = db.session.scalar(active.where(verified_clause(), Signature.open_request_id.is_not(None)))
    return {"version": version, "counted": counted, "pending": db.session.scalar(active) - counted,
            "outside": outside}


def reviewers_by_institution() -> dict[int, int]:
    """How many active reviewers each institution has: the people a submission to it emails."""
    return dict(db.session.execute(
        select(User.institution_id, func.count(User.id)).where(
            User.platform_role == PlatformRole.REVIEWER, User.active.is_(True), User.institution_id.is_not(None))
        .group_by(User.institution_id)).all())


def suggested_recipients(declaration: Declaration) -> list[int]:
    """The institutions the signed text's recommendations are addressed to, and those the alliance's settings
    tick on every submission."""
    chosen = set(alliance_settings.current().default_recipient_ids)
    version = signing_version(declaration)
    if version is not None:
        content = db.session.scalar(select(Version.content).where(Version.id == version.id))
        chosen |= {a for rec in content["recommendations"] for a in rec["addressees"]}
    return sorted(chosen)


def deadline_stamp(declaration: Declaration) -> str:
    """The sign-on deadline as the confirmation page shows it and sends it back ("none" when there is none):
    what the coordinator saw, compared again when they confirm."""
    return declaration.signon_deadline.isoformat(timespec="seconds") if declaration.signon_deadline else "none"


def signon_change_preview(declaration: Declaration) -> dict:
    """What the sign-on deadline page shows before a coordinator closes sign-on, reopens it or moves its
    deadline: the frozen version and its hash, the deadline, the counts, and who a new deadline is sent to."""
    version = signing_version(declaration)
    return {"version": version, "deadline": declaration.signon_deadline, "stamp": deadline_stamp(declaration),
            "closed": signing_closed_message(declaration) is not None, "readiness": submission_readiness(declaration),
            "invited": possible_signers_count(declaration) if version is not None else 0}


def _check_signon_unchanged(declaration: Declaration, expected_sha256: str, expected_deadline: str):
    """The version and the deadline must still be those the confirmation page showed."""
    if declaration.phase != Phase.SIGNON or submission_for(declaration.id) is not None:
        raise RuleError(_("Only a declaration in sign-on, not yet submitted, can have its sign-on changed."))
    version = signing_version(declaration)
    if version is None or version.sha256 != expected_sha256 or deadline_stamp(declaration) != expected_deadline:
        raise RuleError(_("Sign-on changed after this page was opened (another coordinator, or the text). Check "
                          "what it shows now and confirm again."))
    return version


def close_signon(actor, declaration: Declaration, *, expected_sha256: str, expected_deadline: str) -> None:
    """End signing now (the deadline becomes now); the coordinator then submits, or reopens sign-on on the
    same version. Confirmed on the page that showed the version and the deadline."""
    if not permissions.can_submit(actor, declaration):
        raise NotAllowed()
    version = _check_signon_unchanged(declaration, expected_sha256, expected_deadline)
    now = utcnow()
    if declaration.signon_deadline is not None and declaration.signon_deadline <= now:
        raise RuleError(_("Sign-on is already closed."))
    if not update_if(declaration, Declaration.phase == Phase.SIGNON,
                     Declaration.signon_deadline.is_(None) if declaration.signon_deadline is None
                     else Declaration.signon_deadline == declaration.signon_deadline,
                     signon_deadline=now, updated_at=now):
        raise RuleError(_("Sign-on changed after this page was opened (another coordinator, or the text). Check "
                          "what it shows now and confirm again."))
    record(actor, "signon_closed", declaration, version=version.number, sha256=version.sha256)


def set_signon_deadline(actor, declaration: Declaration, deadline: datetime | None, *, expected_sha256: str,
                        expected_deadline: str) -> int:
    """Move the sign-on deadline — later, earlier, or away — or reopen a closed sign-on, on the same frozen
    version: every signature stays as it is. Who may sign and has not is told the new deadline. Returns how
    many were told."""
    if not permissions.can_submit(actor, declaration):
        raise NotAllowed()
    version = _check_signon_unchanged(declaration, expected_sha256, expected_deadline)
    now = utcnow()
    if deadline is not None and deadline <= now:
        raise RuleError(_("Choose a deadline in the future, or none. To end sign-on now, close it."))
    before = declaration.signon_deadline
    was_closed = before is not None and before <= now
    if not update_if(declaration, Declaration.phase == Phase.SIGNON,
                     Declaration.signon_deadline.is_(None) if before is None else Declaration.signon_deadline == before,
                     signon_deadline=deadline, updated_at=now):
        raise RuleError(_("Sign-on changed after this page was opened (another coordinator, or the text). Check "
                          "what it shows now and confirm again."))
    told = notifications.notify_all(possible_signers(declaration), "signon_opened", lambda: (
        _("Open for signature again: %(title)s", title=declaration.title) if was_closed
        else _("New sign-on deadline: %(title)s", title=declaration.title),
        render_template("notifications/signon_opened.txt", declaration=declaration)),
        absolute_url("signatures.sign", declaration_id=declaration.id))
    record(actor, "signon_reopened" if was_closed else "signon_deadline_changed", declaration,
           version=version.number, sha256=version.sha256, before=before.isoformat() if before else None,
           after=deadline.isoformat() if deadline else None, told=told)
    return told


def submit(actor, declaration: Declaration, *, version_id: int | None, institution_ids: list[int],
           deadlines: dict[int, tuple] | None = None) -> Submission:
    """Submit the signed version to the chosen institutions: one immutable submission, whatever the clicks.
    deadlines: institution id → (acknowledge by, answer by); the settings' dates for any institution left out."""
    if not permissions.can_submit(actor, declaration):
        raise NotAllowed()
    existing = submission_for(declaration.id)
    if existing is not None:
        raise AlreadySubmitted(existing)
    version = signing_version(declaration)
    if declaration.phase != Phase.SIGNON or version is None:
        raise RuleError(_("Only a declaration in sign-on can be submitted."))
    if version.id != version_id:
        raise RuleError(_("The text changed while you were preparing the submission: version %(number)d is "
                          "now the one signed. Check the counts below and submit again.", number=version.number))
    institutions = db.session.scalars(select(Institution).where(Institution.id.in_(institution_ids))
                                      .order_by(Institution.name)).all()
    if not institutions:
        raise RuleError(_("Choose at least one institution to submit to."))
    dates = recipient_deadlines.chosen_dates(institutions, deadlines, recipient_deadlines.site_today())
    now = utcnow()
    # Claim the declaration first: of two submits racing, the second finds the phase moved and stops here.
    claimed = db.session.execute(update(Declaration).where(Declaration.id == declaration.id,
                                                           Declaration.phase == Phase.SIGNON)
                                 .values(phase=Phase.SUBMITTED, updated_at=now)).rowcount
    if not claimed:
        db.session.expire(declaration)
        existing = submission_for(declaration.id)
        if existing is not None:
            raise AlreadySubmitted(existing)
        raise RuleError(_("Only a declaration in sign-on can be submitted."))
    if declaration.signon_deadline is None or declaration.signon_deadline > now:
        declaration.signon_deadline = now
    full_version = db.session.get(Version, version.id)
    signatures = counted_signatures(declaration, version.id)
    content = dossier_content(declaration, full_version, institutions, signatures, actor, now)
    submission = Submission(declaration_id=declaration.id, version_id=version.id, text_sha256=version.sha256,
                            sha256=content_hash(content), title=declaration.title, content=content,
                            submitted_by_id=actor.id,
                            submitted_at=now,
                            sections_html=bilingual.text_html(full_version.content))
    db.session.add(submission)
    db.session.flush()
    for institution in institutions:
        db.session.add(SubmissionRecipient(submission_id=submission.id, institution_id=institution.id))
    db.session.flush()
    recipient_deadlines.write_at_submission(actor, submission, dates)
    if signatures:
        db.session.execute(insert(SubmissionSignature), [{"submission_id": submission.id, "signature_id": s.id}
                                                         for s in signatures])
    db.session.execute(insert(SubmittedRecommendation), [
        {"submission_id": submission.id, "recommendation_id": rec["id"], "number": rec["number"],
         "pillar": rec["pillar"], "themes": rec["themes"], "addressees": rec["addressees"],
         "text_html": render_markdown(rec["text"]), **classification.from_content(rec)}
        for rec in full_version.content["recommendations"]])
    db.session.flush()
    db.session.refresh(submission, ["recipients"])
    record(actor, "declaration_submitted", declaration, submission=submission.id, version=version.number,
           sha256=submission.sha256, text_sha256=version.sha256, recipients=[i.id for i in institutions],
           signatures=len(signatures),
           deadlines={str(i): [a.isoformat(), b.isoformat()] for i, (a, b) in dates.items()})
    _notify_recipients(submission, declaration, institutions, dates)
    told_apart = _tell_signers_left_out(submission, declaration, version, {s.id for s in signatures}, actor)
    notify_alliance_of_submission(submission, declaration, except_ids=told_apart)
    tell_outside_signers_of_submission(submission, signatures)
    return submission


def _tell_signers_left_out(submission: Submission, declaration: Declaration, version, counted: set[int],
                           actor) -> set[int]:
    """Active signatures not in the dossier — the organization not verified (or, from outside the alliance,
    not approved) before submission, or signed on an earlier version and not confirmed on this one: their
    signers are told that their signature is not in it, why, and whom to ask, instead of the alliance's
    "submitted" notice. Returns the ids of the people told."""
    left_out = db.session.scalars(with_details(base_query(declaration)).where(
        Signature.status == SignatureStatus.ACTIVE, Signature.id.not_in(counted or {0}))).unique().all()
    contact = alliance_settings.current().contact_email or actor.email
    link = absolute_url("submissions.dossier", submission_id=submission.id)
    told: set[int] = set()
    for signature in left_out:
        reason = "earlier_version" if signature.version_id != version.id else "not_verified"
        if signature.open_request is not None:
            tell_outside_signer_left_out(signature, submission, reason=reason, contact=contact, dossier_link=link)
            continue
        for person in signer_people(signature):
            notify(person, "submitted", lambda signature=signature, reason=reason: (
                _("Your signature is not in the submitted dossier: %(title)s", title=declaration.title),
                render_template("notifications/signature_left_out.txt", signature=signature, declaration=declaration,
                                submission=submission, version=version, reason=reason, contact=contact)), link,
                   why=lambda signature=signature: why_signed(signature, declaration))
            told.add(person.id)
    if left_out:
        record(actor, "signers_told_left_out", submission, signatures=[s.id for s in left_out])
    return told


def _notify_recipients(submission: Submission, declaration: Declaration, institutions: list[Institution],
                       dates: dict[int, tuple]) -> None:
    link = absolute_url("submissions.dossier", submission_id=submission.id)
    reviewers = db.session.scalars(select(User).where(
        User.institution_id.in_([i.id for i in institutions]), User.platform_role == PlatformRole.REVIEWER,
        User.active.is_(True)))
    for reviewer in reviewers:
        notify(reviewer, "submission", lambda reviewer=reviewer: (
            _("A declaration was submitted to you: %(title)s", title=declaration.title),
            render_template("notifications/submission.txt", submission=submission, declaration=declaration,
                            due=dates.get(reviewer.institution_id))), link)


def find_by_hash(value: str) -> tuple[Submission | None, str]:
    """The submission whose dossier hash, or whose signed text's hash, this is; and which one matched."""
    digest = value.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise RuleError(_("A SHA-256 hash is 64 characters, digits and the letters a to f."))
    found = db.session.scalar(select(Submission).where(Submission.sha256 == digest))
    if found is not None:
        return found, "dossier"
    found = db.session.scalar(select(Submission).where(Submission.text_sha256 == digest)
                              .order_by(Submission.id).limit(1))
    return found, "text" if found is not None else ""


def verify_json(data: bytes) -> dict:
    """Recompute the hash of an uploaded dossier JSON and look it up. Says whether the file's own claimed
    hash matches what it contains (it does not when the file was changed after it was downloaded)."""
    if len(data) > MAX_UPLOAD:
        raise RuleError(_("The file is larger than a dossier can be."))
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nesting no dossier has
        raise RuleError(_("The file is not JSON. Upload the dossier's JSON file as it was downloaded.")) from None
    if not isinstance(parsed, dict):
        raise RuleError(_("The file is not a dossier's JSON: it has no “dossier” part."))
    dossier = parsed.get("dossier", parsed if parsed.get("format") == DOSSIER_FORMAT else None)
    if not isinstance(dossier, dict):
        raise RuleError(_("The file is not a dossier's JSON: it has no “dossier” part."))
    try:
        computed = content_hash(dossier)
    except RecursionError:  # nesting that decodes but is too deep to encode again
        raise RuleError(_("The file is not a dossier's JSON: it has no “dossier” part.")) from None
    if parsed.get("extract") == extract.EXTRACT:
        return _verify_extract(parsed, computed)
    claimed = parsed.get("sha256") if isinstance(parsed.get("sha256"), str) else None
    submission = db.session.scalar(select(Submission).where(Submission.sha256 == computed))
    return {"computed": computed, "claimed": claimed, "claim_matches": claimed in (None, computed),
            "submission": submission, "extract": False}


def _verify_extract(parsed: dict, computed: str) -> dict:
    """A public extract has no hash of its own on record: it matches when it is, as uploaded, the extract
    this site makes of the submitted dossier it names (extract_of, whatever the answer)."""
    claimed = parsed.get("extract_sha256") if isinstance(parsed.get("extract_sha256"), str) else None
    dossier_hash = parsed.get("dossier_sha256")
    of = (db.session.scalar(select(Submission).where(Submission.sha256 == dossier_hash.strip().lower()))
          if isinstance(dossier_hash, str) else None)
    matches = of is not None and extract.is_extract_of(of, computed)
    return {"computed": computed, "claimed": claimed, "claim_matches": claimed in (None, computed),
            "submission": of if matches else None, "extract": True, "extract_of": of}
