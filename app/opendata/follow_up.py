"""The dossiers and what followed them as records: public submissions with their recipients (acknowledgements and
deadlines), the government's published answers, implementation updates, the alliance's assessments, the
institutions, and the signatories a visitor sees named. Never a draft answer, a reviewer, an author or a signer
outside the public tier."""
from sqlalchemy import and_, exists, literal, select
from sqlalchemy.orm import aliased

from app import permissions
from app.choices import ASSESSMENTS, COMPLETION, IMPLEMENTATION_STATUSES, POSITIONS
from app.declarations.models import Declaration, Version
from app.extensions import db
from app.institutions.models import Institution
from app.links import absolute_url
from app.opendata.record_kit import PUBLIC_DECLARATION, Resource, api_link, day, labelled, moment, narrowed, page_link
from app.organizations.models import Organization
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.responses.tracker import current_answer
from app.signatures.models import OpenSignonRequest, Reservation, Signature
from app.submissions.models import (
    RecipientDeadline,
    Submission,
    SubmissionClosure,
    SubmissionRecipient,
    SubmissionSignature,
    SubmittedRecommendation,
)

# The alliance's assessments: the completion scale, and the words used before it.
ASSESSMENT_SCALE = {**ASSESSMENTS, **COMPLETION}


def _in_public_dossier(statement, item_id):
    """The statement (about submitted recommendations, by item_id) kept to those of public dossiers."""
    return (statement.join(SubmittedRecommendation, SubmittedRecommendation.id == item_id)
            .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
            .join(Declaration, Declaration.id == Submission.declaration_id).where(PUBLIC_DECLARATION))


def _about(row) -> dict:
    """What every answer, update and assessment says it is about, and the page that shows it."""
    return {"recommendation_id": row.recommendation_id, "submission_id": row.submission_id,
            "declaration_id": row.declaration_id,
            "url": page_link("responses.recommendation", recommendation_id=row.recommendation_id)}


_ABOUT = (SubmittedRecommendation.recommendation_id, SubmittedRecommendation.submission_id, Submission.declaration_id)

# --- submissions and their recipients ----------------------------------------------------------------------------


def _addressed_to(institution_id: int):
    return exists().where(SubmissionRecipient.submission_id == Submission.id,
                          SubmissionRecipient.institution_id == institution_id)


def _submissions(filters):
    statement = (select(Submission.id, Submission.declaration_id, Submission.title, Submission.sha256,
                        Submission.text_sha256, Submission.version_id, Version.number.label("version_number"),
                        Submission.submitted_at, SubmissionClosure.closed_at)
                 .join(Declaration, Declaration.id == Submission.declaration_id)
                 .join(Version, Version.id == Submission.version_id)
                 .outerjoin(SubmissionClosure, SubmissionClosure.submission_id == Submission.id)
                 .where(PUBLIC_DECLARATION))
    return narrowed(statement, filters, declaration=Submission.declaration_id, institution=_addressed_to,
                    since=Submission.submitted_at)


def recipients_of(submission_ids: list[int]) -> dict[int, list[dict]]:
    """Each submission's institutions with the acknowledgement and the dates set to acknowledge and to answer."""
    if not submission_ids:
        return {}
    rows = db.session.execute(
        select(SubmissionRecipient.submission_id, SubmissionRecipient.institution_id,
               SubmissionRecipient.acknowledged_at, SubmissionRecipient.first_published_at,
               RecipientDeadline.acknowledge_by, RecipientDeadline.answer_by)
        .outerjoin(RecipientDeadline, and_(RecipientDeadline.submission_id == SubmissionRecipient.submission_id,
                                           RecipientDeadline.institution_id == SubmissionRecipient.institution_id))
        .where(SubmissionRecipient.submission_id.in_(submission_ids))
        .order_by(SubmissionRecipient.submission_id, SubmissionRecipient.institution_id)).all()
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row.submission_id, []).append({
            "submission_id": row.submission_id, "institution_id": row.institution_id,
            "acknowledged_at": moment(row.acknowledged_at), "acknowledge_by": day(row.acknowledge_by),
            "answer_by": day(row.answer_by), "first_published_at": moment(row.first_published_at)})
    return found


def submission_records(rows) -> list[dict]:
    recipients = recipients_of([row.id for row in rows])
    return [{
        "id": row.id, "declaration_id": row.declaration_id, "title": row.title, "sha256": row.sha256,
        "text_sha256": row.text_sha256, "version": {"id": row.version_id, "number": row.version_number},
        "submitted_at": moment(row.submitted_at), "follow_up_closed_at": moment(row.closed_at),
        "recipients": recipients.get(row.id, []),
        "url": page_link("submissions.dossier", submission_id=row.id),
        "extract": page_link("submissions.dossier_json", submission_id=row.id),
        "signatories": absolute_url("opendata.api_signatories", submission_id=row.id),
    } for row in rows]


SUBMISSIONS = Resource("submissions", Submission.id, _submissions, submission_records,
                       filters=("declaration", "institution", "since"),
                       summary="Public dossiers with their hashes and their recipients: when each acknowledged "
                               "receipt and the dates it was given to acknowledge and to answer.")

# --- answers, updates, assessments --------------------------------------------------------------------------------


def _answers(filters):
    statement = _in_public_dossier(
        select(Answer.id, *_ABOUT, Answer.institution_id, Answer.number, Answer.position, Answer.explanation,
               Answer.lead_institution_id, Answer.target_date, Answer.published_at,
               current_answer(Answer).label("current")), Answer.item_id).where(Answer.published_at.is_not(None))
    return narrowed(statement, filters, declaration=Submission.declaration_id, institution=Answer.institution_id,
                    since=Answer.published_at)


def answer_records(rows) -> list[dict]:
    return [{
        "id": row.id, **_about(row), "institution_id": row.institution_id, "revision": row.number,
        "position": labelled(POSITIONS, row.position), "explanation": row.explanation,
        "lead_institution_id": row.lead_institution_id, "target_date": day(row.target_date),
        "published_at": moment(row.published_at), "current": bool(row.current),
    } for row in rows]


ANSWERS = Resource("answers", Answer.id, _answers, answer_records, filters=("declaration", "institution", "since"),
                   summary="The government's published answers (each published revision; `current` marks the "
                           "standing one). Drafts never appear.")


def _updates(filters):
    statement = _in_public_dossier(
        select(ImplementationUpdate.id, *_ABOUT, ImplementationUpdate.institution_id, ImplementationUpdate.status,
               ImplementationUpdate.evidence, ImplementationUpdate.happened_on, ImplementationUpdate.created_at),
        ImplementationUpdate.item_id)
    return narrowed(statement, filters, declaration=Submission.declaration_id,
                    institution=ImplementationUpdate.institution_id, since=ImplementationUpdate.created_at)


def update_records(rows) -> list[dict]:
    return [{
        "id": row.id, **_about(row), "institution_id": row.institution_id,
        "status": labelled(IMPLEMENTATION_STATUSES, row.status), "evidence": row.evidence,
        "happened_on": day(row.happened_on), "created_at": moment(row.created_at),
    } for row in rows]


UPDATES = Resource("updates", ImplementationUpdate.id, _updates, update_records,
                   filters=("declaration", "institution", "since"),
                   summary="Implementation updates the institutions reported, in their own words.")


def _assessments(filters):
    newer = aliased(Assessment)
    latest = ~exists(select(literal(1)).where(newer.item_id == Assessment.item_id, newer.id > Assessment.id))
    statement = _in_public_dossier(
        select(Assessment.id, *_ABOUT, Assessment.rating, Assessment.notes, Assessment.created_at,
               latest.label("current")), Assessment.item_id)
    return narrowed(statement, filters, declaration=Submission.declaration_id, since=Assessment.created_at)


def assessment_records(rows) -> list[dict]:
    return [{
        "id": row.id, **_about(row), "rating": labelled(ASSESSMENT_SCALE, row.rating), "notes": row.notes,
        "created_at": moment(row.created_at), "current": bool(row.current),
    } for row in rows]


ASSESSMENTS_RESOURCE = Resource("assessments", Assessment.id, _assessments, assessment_records,
                                filters=("declaration", "since"),
                                summary="The alliance's own assessments of implementation (the completion scale); "
                                        "`current` marks the standing one.")

# --- institutions ------------------------------------------------------------------------------------------------


def _institutions(filters):
    return select(Institution.id, Institution.name, Institution.acronym, Institution.description)


def institution_records(rows) -> list[dict]:
    return [{"id": row.id, "name": row.name, "acronym": row.acronym, "description": row.description,
             "api": api_link("institutions", row.id),
             "scorecard": absolute_url("opendata.api_scorecard", institution_id=row.id)} for row in rows]


INSTITUTIONS = Resource("institutions", Institution.id, _institutions, institution_records,
                        summary="The government institutions submissions are addressed to.")

# --- signatories ---------------------------------------------------------------------------------------------------


def _signatories(filters):
    statement = (select(SubmissionSignature.signature_id.label("id"), SubmissionSignature.submission_id,
                        Signature.capacity, Signature.signer_name,
                        Signature.signer_designation, Signature.signed_at, Signature.organization_id,
                        Organization.name.label("organization_name"), Organization.acronym,
                        Organization.type.label("organization_type"), Organization.province,
                        OpenSignonRequest.organization_name.label("outside_name"),
                        OpenSignonRequest.organization_type.label("outside_type"),
                        OpenSignonRequest.province.label("outside_province"), OpenSignonRequest.country)
                 .join(SubmissionSignature, SubmissionSignature.signature_id == Signature.id)
                 .join(Submission, Submission.id == SubmissionSignature.submission_id)
                 .join(Declaration, Declaration.id == Submission.declaration_id)
                 .outerjoin(Organization, Organization.id == Signature.organization_id)
                 .outerjoin(OpenSignonRequest, OpenSignonRequest.id == Signature.open_request_id)
                 .where(PUBLIC_DECLARATION, permissions.signer_visible_clause(None, Signature)))
    return narrowed(statement, filters, submission=SubmissionSignature.submission_id)


def _reservations(signature_ids: list[int]) -> dict[int, list[dict]]:
    """Each signature's reservations, by the number the recommendation has in the submission it is counted in."""
    if not signature_ids:
        return {}
    rows = db.session.execute(
        select(Reservation.signature_id, SubmittedRecommendation.number, Reservation.text)
        .join(SubmissionSignature, SubmissionSignature.signature_id == Reservation.signature_id)
        .join(SubmittedRecommendation, and_(SubmittedRecommendation.submission_id == SubmissionSignature.submission_id,
                                            SubmittedRecommendation.recommendation_id == Reservation.recommendation_id))
        .where(Reservation.signature_id.in_(signature_ids))
        .order_by(Reservation.signature_id, SubmittedRecommendation.number)).all()
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row.signature_id, []).append({"recommendation_number": row.number, "text": row.text})
    return found


def _signatory(row) -> dict:
    """As the dossier's public extract names them: an organization by its name, never the person who signed
    for it; an individual by the name and designation they signed with."""
    if row.capacity == "individual":
        return {"name": row.signer_name, "designation": row.signer_designation, "organization_id": None,
                "acronym": "", "type": None, "province": None, "country": None, "member": False}
    member = row.organization_id is not None and row.organization_name is not None
    return {"name": row.organization_name if member else row.outside_name, "designation": None,
            "organization_id": row.organization_id if member else None, "acronym": row.acronym or "" if member else "",
            "type": row.organization_type if member else row.outside_type,
            "province": (row.province if member else row.outside_province) or None,
            "country": None if member else row.country, "member": member}


def signatory_records(rows) -> list[dict]:
    reservations = _reservations([row.id for row in rows])
    return [{"id": row.id, "submission_id": row.submission_id, "capacity": row.capacity, **_signatory(row),
             "signed_at": moment(row.signed_at), "reservations": reservations.get(row.id, [])} for row in rows]


# Keyed by the submission's own index (submission_id, signature_id): a submission's signatories are read in order,
# a page at a time, without sorting the others.
SIGNATORIES = Resource("signatories", SubmissionSignature.signature_id, _signatories, signatory_records, api=False,
                       summary="The signatories of public dossiers who chose to be named publicly.")
