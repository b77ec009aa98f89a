import json
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select, text, update

from app.audit.models import AuditEntry
from app.declarations.models import Declaration
from app.declarations.services import canonical_json, content_hash
from app.errors import RuleError
from app.extensions import db
from app.institutions.models import Institution
from app.submissions.models import (
    ImmutableRecord,
    Submission,
    SubmissionRecipient,
    SubmissionSignature,
    SubmittedRecommendation,
)
from tests.helpers import close_signon, login, sign, submit, the_submission


def test_dossier_holds_version_hash_and_verified_signatures(app, submitted, people):
    declaration, submission = submitted
    content = submission.content
    assert content["version"]["sha256"] == submission.text_sha256
    assert content_hash(content) == submission.sha256
    signatories = content["signatories"]
    assert [o["name"] for o in signatories["organizations"]] == ["Human Rights Action Forum"]
    assert signatories["unnamed"] == {"organizations": 1, "individuals": 0}
    assert signatories["counts"] == {"organizations": 2, "individuals": 1, "total": 3}
    assert "Safe Haven Society" not in json.dumps(content, ensure_ascii=False)
    assert [r["id"] for r in content["recipients"]] == [people["reviewer"].institution_id]
    assert [r["number"] for r in content["text"]["recommendations"]] == [1, 2, 3]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SubmissionSignature)) == 3
        assert db.session.scalar(select(func.count()).select_from(SubmittedRecommendation)) == 3
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_submitted"))
        assert entry.details["sha256"] == submission.sha256


def test_unverified_and_withdrawn_signatures_are_left_out(app, client, people, make_declaration, make_user,
                                                           make_organization):
    declaration = make_declaration("signon")
    pending = make_organization("Unverified Trust", verified=False)
    pending_rep = make_user(organization=pending, org_role="representative")
    login(client, pending_rep.email)
    assert sign(client, declaration.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/submit").get_data(as_text=True)
    assert "1 signature still waits" in page
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code == 303
    submission = the_submission(app, declaration.id)
    assert submission.content["signatories"]["counts"]["total"] == 0


def test_submitting_twice_makes_one_submission(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    first = submit(client, declaration.id, [people["reviewer"].institution_id])
    page = client.get(f"/declarations/{declaration.id}/submit")
    assert page.status_code == 303 and page.headers["Location"] == first.headers["Location"]
    # A retry of the same form (the page was opened before the first submit went through).
    from app.declarations.models import Version
    with app.app_context():
        version_id = db.session.scalar(select(func.max(Version.id)).where(Version.declaration_id == declaration.id))
    again = client.post(f"/declarations/{declaration.id}/submit",
                        data={"version_id": version_id, "recipients": [people["reviewer"].institution_id]})
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_service_refuses_a_second_submission(app, people, make_declaration):
    from app.accounts.models import User
    from app.submissions import services
    declaration = make_declaration("signon")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        d = db.session.get(Declaration, declaration.id)
        version = services.signing_version(d)
        services.submit(coordinator, d, version_id=version.id, institution_ids=[people["reviewer"].institution_id])
        with pytest.raises(services.AlreadySubmitted):
            services.submit(coordinator, d, version_id=version.id,
                            institution_ids=[people["reviewer"].institution_id])


def test_bad_submissions_keep_the_form_and_change_nothing(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    none_chosen = submit(client, declaration.id, [])
    assert none_chosen.status_code == 422
    assert "Choose at least one institution" in none_chosen.get_data(as_text=True)
    stale = client.post(f"/declarations/{declaration.id}/submit",
                        data={"version_id": "1", "recipients": [people["reviewer"].institution_id]})
    assert stale.status_code == 422 and "The text changed" in stale.get_data(as_text=True)
    unknown = submit(client, declaration.id, [999999])
    assert unknown.status_code == 422
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).phase == "signon"
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def test_only_sign_on_can_be_submitted(app, client, people, make_declaration):
    declaration = make_declaration("consultation")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/submit")
    assert "Only a declaration in sign-on can be submitted" in page.get_data(as_text=True)
    posted = client.post(f"/declarations/{declaration.id}/submit",
                         data={"version_id": "1", "recipients": [people["reviewer"].institution_id]})
    assert posted.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


@pytest.mark.parametrize("role", ["member", "representative", "expert", "reviewer", "admin"])
def test_only_coordinators_submit(client, people, make_declaration, role):
    declaration = make_declaration("signon", visibility="public")
    login(client, people[role].email)
    assert client.get(f"/declarations/{declaration.id}/submit").status_code == 403
    assert client.post(f"/declarations/{declaration.id}/submit",
                       data={"recipients": [people["reviewer"].institution_id]}).status_code == 403
    assert client.post(f"/declarations/{declaration.id}/close-signon").status_code == 403
    assert client.get(f"/declarations/{declaration.id}/signon").status_code == 403


def test_close_signon_stops_signing(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    assert close_signon(client, declaration.id).status_code == 303
    client.post("/logout")
    login(client, people["representative"].email)
    response = sign(client, declaration.id)
    assert response.status_code == 422 and "Sign-on closed" in response.get_data(as_text=True)


def test_withdrawal_after_submission_is_refused(app, client, submitted, people):
    from app.signatures.models import Signature
    declaration, submission = submitted
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id).where(
            Signature.organization_id == people["representative"].organization_id))
    login(client, people["representative"].email)
    client.post(f"/signatures/{signature_id}/withdraw", data={"reason": "changed our mind"})
    with app.app_context():
        assert db.session.get(Signature, signature_id).status == "active"


def test_a_submission_never_changes(app, submitted, people, client):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    with app.app_context():
        other = Institution(name="Anti-Narcotics Force", acronym="ANF")
        db.session.add(other)
        db.session.commit()
        other_institution = other.id
        recipient = db.session.get(SubmissionRecipient, (submission.id, people["reviewer"].institution_id))
        assert recipient.acknowledged_at is not None
        db.session.delete(recipient)
        with pytest.raises(ImmutableRecord):
            db.session.flush()
        db.session.rollback()
        row = db.session.get(Submission, submission.id)
        row.sha256 = "0" * 64
        with pytest.raises(ImmutableRecord):
            db.session.flush()
        db.session.rollback()
        row = db.session.get(Submission, submission.id)
        db.session.delete(row)
        with pytest.raises(ImmutableRecord):
            db.session.flush()
        db.session.rollback()
        # Below the ORM, the database itself refuses.
        for statement in (update(Submission).values(sha256="0" * 64),
                          update(SubmittedRecommendation).values(number=99),
                          text("DELETE FROM submission_signatures"),
                          # who it went to: not moved, not removed, and a receipt once logged stays
                          update(SubmissionRecipient).values(institution_id=other_institution),
                          text("DELETE FROM submission_recipients"),
                          update(SubmissionRecipient).values(acknowledged_at=datetime(2020, 1, 1))):
            with pytest.raises(Exception) as refused:
                db.session.execute(statement)
            assert "is part of a submission and cannot change" in str(refused.value)
            db.session.rollback()
        stored = db.session.get(Submission, submission.id)
        assert stored.sha256 == submission.sha256 == content_hash(stored.content)
        assert db.session.scalar(select(func.count()).select_from(SubmissionSignature)) == 3
        assert stored.institution_ids == [people["reviewer"].institution_id]
        # Filling in what is still empty is allowed: that is how the first publication is logged.
        db.session.execute(update(SubmissionRecipient).values(first_published_at=datetime(2026, 1, 1)))
        db.session.rollback()


def test_json_is_canonical_and_the_hash_recomputes(client, submitted, people):
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    response = client.get(f"/submissions/{submission.id}/dossier.json")
    assert response.status_code == 200 and response.headers["X-Dossier-SHA256"] == submission.sha256
    body = response.get_data()
    parsed = json.loads(body)
    assert canonical_json(parsed) == body  # canonical: what is served is its own canonical form
    assert content_hash(parsed["dossier"]) == parsed["sha256"] == submission.sha256
    assert client.get(f"/submissions/{submission.id}/dossier.json").get_data() == body  # deterministic


def _in_thread(work):
    """Run work() in its own thread (its own app context and database connection); returns the thread and
    a dict that receives "done" or "refused"."""
    result = {}

    def run():
        try:
            result["done"] = work()
        except RuleError as rule:
            result["refused"] = str(rule)
    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.mark.parametrize("action,first", [("sign", "submit"), ("sign", "sign"), ("withdraw", "submit"),
                                          ("withdraw", "withdraw")])
def test_signing_or_withdrawing_while_the_submission_is_made_leaves_the_dossier_true(app, people, make_declaration,
                                                                                     action, first):
    """Two requests at the same moment, each in its own transaction: the one that started second waits for
    the first to commit. No signature is ever active but missing from the dossier, nor withdrawn but in it."""
    from app.accounts.models import User
    from app.signatures import queries as signature_queries
    from app.signatures import services as signing
    from app.signatures.models import Signature
    from app.submissions import services as submissions
    declaration_id = make_declaration("signon").id
    representative = people["representative"].id
    if action == "withdraw":
        with app.test_request_context():
            declaration = db.session.get(Declaration, declaration_id)
            signing.sign(db.session.get(User, representative), declaration, capacity="organization",
                            version_id=signature_queries.signing_version(declaration).id, visibility="public")
            db.session.commit()
    started, release = threading.Event(), threading.Event()

    def hold_if_first(name):
        if first == name:
            started.set()
            release.wait(10)

    def submit_now():
        with app.test_request_context():
            declaration = db.session.get(Declaration, declaration_id)
            submission = submissions.submit(db.session.get(User, people["coordinator"].id), declaration,
                                            version_id=signature_queries.signing_version(declaration).id,
                                            institution_ids=[people["reviewer"].institution_id])
            hold_if_first("submit")
            db.session.commit()
            return submission.content["signatories"]["counts"]["total"]

    def change_now():
        with app.test_request_context():
            declaration = db.session.get(Declaration, declaration_id)
            user = db.session.get(User, representative)
            if action == "sign":
                signing.sign(user, declaration, capacity="organization",
                                version_id=signature_queries.signing_version(declaration).id, visibility="public")
            else:
                signature = db.session.scalar(select(Signature).where(Signature.declaration_id == declaration_id))
                signing.withdraw(user, signature, "no longer")
            hold_if_first(action)
            db.session.commit()
            return True

    one, one_result = _in_thread(submit_now if first == "submit" else change_now)
    assert started.wait(10)  # the first has written and holds its transaction open
    other, other_result = _in_thread(change_now if first == "submit" else submit_now)
    other.join(1.0)
    assert other.is_alive()  # the second waits for the first
    release.set()
    one.join(15)
    other.join(15)
    submit_result, change_result = (one_result, other_result) if first == "submit" else (other_result, one_result)
    with app.app_context():
        active = db.session.scalar(select(func.count(Signature.id)).where(Signature.declaration_id == declaration_id,
                                                                           Signature.status == "active"))
    assert submit_result["done"] == active  # the dossier counts exactly the signatures that stand
    if first == "submit":
        assert "refused" in change_result and active == (0 if action == "sign" else 1)
    else:
        assert change_result == {"done": True} and active == (1 if action == "sign" else 0)
