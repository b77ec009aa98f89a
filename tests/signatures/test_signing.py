import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.declarations.models import Declaration
from app.extensions import db
from app.signatures.models import Reservation, Signature
from app.time import utcnow
from tests.helpers import login, sign, signatures_of, version_id, without_bdi


def test_sign_page_shows_the_frozen_version_its_hash_and_the_capacity(app, client, people, signon):
    login(client, "rep@example.org")
    page = without_bdi(client.get(f"/declarations/{signon.id}/sign"))
    with app.app_context():
        version = db.session.get(Declaration, signon.id).latest_version
        assert version.phase == "signon"
        assert version.sha256 in page
        assert f"Sign version {version.number}" in page
    assert "On behalf of Human Rights Action Forum" in page
    assert "Open shelters in every province." in page


def test_representative_signs_for_their_organization_with_version_hash_and_details(app, client, people, signon):
    login(client, "rep@example.org")
    response = sign(client, signon.id, visibility="alliance")
    assert response.status_code == 303
    [signature] = signatures_of(app, signon.id)
    with app.app_context():
        version = db.session.get(Declaration, signon.id).latest_version
        assert (signature.version_id, signature.sha256) == (version.id, version.sha256)
        rep = db.session.get(User, people["representative"].id)
        assert signature.organization_id == rep.organization_id and signature.user_id == rep.id
        assert (signature.capacity, signature.visibility, signature.status) == ("organization", "alliance", "active")
        assert signature.signer_name == rep.name
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "signature_added"))
        assert entry.details["sha256"] == version.sha256


def test_the_signature_keeps_the_name_and_designation_of_the_moment_of_signing(app, client, people, signon):
    with app.app_context():
        db.session.get(User, people["representative"].id).designation = "Director"
        db.session.commit()
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/account", data={"name": "A New Name", "designation": "Chair", "language": "en",
                                  "notification_mode": "immediate", "gender": "", "province": ""})
    [signature] = signatures_of(app, signon.id)
    assert signature.signer_designation == "Director"
    assert signature.signer_name != "A New Name"


def test_expert_signs_as_an_individual(app, client, people, signon):
    login(client, "expert@example.org")
    page = client.get(f"/declarations/{signon.id}/sign").get_data(as_text=True)
    assert "As an individual expert" in page
    assert sign(client, signon.id, capacity="individual").status_code == 303
    [signature] = signatures_of(app, signon.id)
    assert (signature.capacity, signature.organization_id, signature.user_id) == (
        "individual", None, people["expert"].id)


@pytest.mark.parametrize("who", ["member", "reviewer", "admin"])
def test_people_who_may_not_sign_get_403(client, people, signon, who):
    login(client, people[who].email)
    assert client.get(f"/declarations/{signon.id}/sign").status_code == 403
    assert client.post(f"/declarations/{signon.id}/sign", data={"capacity": "organization"}).status_code == 403


def test_representative_cannot_sign_as_an_individual_or_for_another_organization(app, client, people, signon,
                                                                                 make_organization, make_user):
    other = make_organization("Sindh Legal Aid Network")
    login(client, "rep@example.org")
    response = sign(client, signon.id, capacity="individual", organization_id=str(other.id))
    assert response.status_code == 422
    assert signatures_of(app, signon.id) == []
    sign(client, signon.id, organization_id=str(other.id))  # a tampered field is ignored
    [signature] = signatures_of(app, signon.id)
    assert signature.organization_id == people["representative"].organization_id


def test_a_double_submit_leaves_one_signature_and_a_friendly_answer(app, client, people, signon):
    login(client, "rep@example.org")
    vid = version_id(app, signon.id)
    form = {"version_id": str(vid), "capacity": "organization", "visibility": "public"}
    first = client.post(f"/declarations/{signon.id}/sign", data=form)
    second = client.post(f"/declarations/{signon.id}/sign", data=form)
    assert (first.status_code, second.status_code) == (303, 303)
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already signed" in page
    assert len(signatures_of(app, signon.id)) == 1


def test_two_representatives_of_one_organization_sign_once(app, client, people, signon, make_user):
    colleague = make_user(organization=SimpleNamespace(id=people["representative"].organization_id),
                          org_role="representative")
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/logout")
    login(client, colleague.email)
    page = without_bdi(client.get(f"/declarations/{signon.id}/sign"))
    assert "Signature of Human Rights Action Forum" in page and "Sign version" not in page
    response = client.post(f"/declarations/{signon.id}/sign", data={
        "version_id": str(version_id(app, signon.id)), "capacity": "organization", "visibility": "public"})
    assert response.status_code == 303
    assert "already signed version 3" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert len(signatures_of(app, signon.id)) == 1


@pytest.mark.parametrize("field", ["organization_id", "user_id"])
def test_the_database_refuses_a_second_active_signature(app, people, signon, field):
    with app.app_context():
        version = db.session.get(Declaration, signon.id).latest_version
        expert = field == "user_id"
        values = dict(declaration_id=signon.id, version_id=version.id, sha256=version.sha256,
                      capacity="individual" if expert else "organization",
                      organization_id=None if expert else people["representative"].organization_id,
                      user_id=people["expert" if expert else "representative"].id, signer_name="X",
                      visibility="public")
        db.session.add(Signature(**values))
        db.session.commit()
        db.session.add(Signature(**values, status="withdrawn"))  # withdrawn ones do not count
        db.session.commit()
        db.session.add(Signature(**values))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_reservations_are_recorded_per_recommendation(app, client, people, signon):
    login(client, "rep@example.org")
    first, second = signon.recommendations[:2]
    response = sign(client, signon.id, **{f"reservation-{first}": "Two years.", "reservation-999999": "Tampered."})
    assert response.status_code == 422
    assert "refers to a recommendation that is not part of this text" in response.get_data(as_text=True)
    assert signatures_of(app, signon.id) == []
    sign(client, signon.id, **{f"reservation-{first}": "  We would allow two years.  ", f"reservation-{second}": " ",
                               "reservation-x": "not a field"})
    with app.app_context():
        rows = db.session.scalars(select(Reservation)).all()
        assert [(r.recommendation_id, r.text) for r in rows] == [(first, "We would allow two years.")]


def test_an_overlong_reservation_keeps_the_text_and_signs_nothing(app, client, people, signon):
    login(client, "rep@example.org")
    text = "Too long. " * 250
    response = sign(client, signon.id, **{f"reservation-{signon.recommendations[0]}": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2,499 characters; the limit is 2,000." in page and "Too long. Too long." in page
    assert signatures_of(app, signon.id) == []


def test_signing_a_stale_version_is_refused(app, client, people, signon):
    login(client, "rep@example.org")
    response = sign(client, signon.id, version_id=str(version_id(app, signon.id) - 1))
    assert response.status_code == 422
    assert "The text changed while you were reading it" in response.get_data(as_text=True)
    assert signatures_of(app, signon.id) == []


def test_signing_is_closed_outside_sign_on_and_after_the_deadline(app, client, people, make_declaration, signon):
    revision = make_declaration("revision", visibility="public")
    login(client, "rep@example.org")
    response = client.post(f"/declarations/{revision.id}/sign", data={"capacity": "organization",
                                                                      "visibility": "public"})
    assert response.status_code == 422 and "Signing is open only during sign-on" in response.get_data(as_text=True)
    with app.app_context():
        db.session.get(Declaration, signon.id).signon_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = sign(client, signon.id)
    assert response.status_code == 422 and "Sign-on closed on" in response.get_data(as_text=True)
    assert signatures_of(app, signon.id) == signatures_of(app, revision.id) == []


def test_withdraw_keeps_the_signature_as_withdrawn_and_signing_again_makes_a_new_one(app, client, people, signon):
    login(client, "rep@example.org")
    sign(client, signon.id)
    [signature] = signatures_of(app, signon.id)
    response = client.post(f"/signatures/{signature.id}/withdraw", data={"reason": "Board said no."})
    assert response.status_code == 303
    [withdrawn] = signatures_of(app, signon.id)
    assert (withdrawn.status, withdrawn.end_reason, withdrawn.ended_by_id) == (
        "withdrawn", "Board said no.", people["representative"].id)
    assert client.post(f"/signatures/{signature.id}/withdraw").status_code == 303  # again: a message, no change
    sign(client, signon.id)
    rows = signatures_of(app, signon.id)
    assert [r.status for r in rows] == ["withdrawn", "active"]
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "signature_withdrawn")).details[
            "reason"] == "Board said no."


def test_only_the_signer_side_may_withdraw(app, client, people, signon, make_organization, make_user):
    login(client, "rep@example.org")
    sign(client, signon.id)
    [signature] = signatures_of(app, signon.id)
    client.post("/logout")
    other_rep = make_user(organization=make_organization("Other NGO"), org_role="representative")
    for person in (people["member"], people["coordinator"], other_rep):
        login(client, person.email)
        assert client.post(f"/signatures/{signature.id}/withdraw").status_code == 403
        client.post("/logout")
    assert signatures_of(app, signon.id)[0].status == "active"


def test_unknown_signature_is_404(client, people):
    login(client, "rep@example.org")
    assert client.post("/signatures/424242/withdraw").status_code == 404


def test_the_home_page_lists_what_waits_for_ones_signature(client, people, signon):
    login(client, "rep@example.org")
    page = client.get("/").get_data(as_text=True)
    assert "Waiting for your signature" in page and f"/declarations/{signon.id}/sign" in page
    sign(client, signon.id)
    assert "Waiting for your signature" not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, "member@example.org")  # a member who is not a representative signs nothing
    assert "Waiting for your signature" not in client.get("/").get_data(as_text=True)


def test_signing_again_after_a_withdrawal_offers_the_withdrawn_reservations_and_visibility(app, client, people,
                                                                                          signon):
    login(client, "rep@example.org")
    first = signon.recommendations[0]
    assert sign(client, signon.id, visibility="alliance", **{f"reservation-{first}": "Two years, not one."}
                ).status_code == 303
    [signature] = signatures_of(app, signon.id)
    assert client.post(f"/signatures/{signature.id}/withdraw", data={"reason": "Board review."}).status_code in (
        302, 303)
    page = client.get(f"/declarations/{signon.id}/sign").get_data(as_text=True)
    assert "Two years, not one." in page  # the reservation is offered again, not lost
    assert re.search(r'value="alliance"[^>]*checked|checked[^>]*value="alliance"', page)


def test_a_repeated_signing_post_is_answered_from_reads_alone(app, client, people, signon):
    """The checks run before attempt(): a repeat (a double click, a retry after a lost answer) takes no
    savepoint, no write lock and writes nothing; the first sending reads the version and the signer's
    signature in one query (bench/signing.py counts what this saves)."""
    login(client, "rep@example.org")
    page = client.get(f"/declarations/{signon.id}/sign").get_data(as_text=True)
    form = {"version_id": re.search(r'name="version_id" type="hidden" value="(\d+)"', page).group(1),
            "capacity": "organization", "visibility": "public"}
    statements = []
    with app.app_context():
        def remember(_conn, _cursor, sql, _params, _context, _many):
            statements.append(" ".join(sql.split()).upper())
        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            assert client.post(f"/declarations/{signon.id}/sign", data=form).status_code == 303
            first = list(statements)
            statements.clear()
            repeat = client.post(f"/declarations/{signon.id}/sign", data=form)
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
    assert repeat.status_code == 303
    assert "already signed" in client.get(repeat.headers["Location"]).get_data(as_text=True)
    assert sum(s.startswith("SELECT VERSIONS.ID") for s in first) == 1
    assert sum(s.startswith("INSERT INTO SIGNATURES") for s in first) == 1
    assert not [s for s in statements if s.startswith(("SAVEPOINT", "INSERT", "UPDATE", "DELETE", "BEGIN"))]
    assert len(signatures_of(app, signon.id)) == 1
