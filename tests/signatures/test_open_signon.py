import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.declarations.models import Declaration
from app.extensions import db
from app.signatures.models import OpenSignonRequest, Signature
from app.signatures.open_signon import email_key, name_key
from app.time import utcnow
from tests.helpers import login, signatures_of, submit

FORM = {"organization_name": "Hazara Women's Collective", "organization_type": "ngo", "country": "Pakistan",
        "province": "balochistan", "website": "https://hwc.example.org", "signer_name": "Shabana Ali",
        "signer_designation": "Coordinator", "email": "Shabana@Outside.example.org", "visibility": "public",
        "authorised": "y"}


def form(app, declaration_id, changes=None) -> dict:
    """The public form's fields, for the version now open for signing."""
    with app.app_context():
        version_id = db.session.get(Declaration, declaration_id).latest_version.id
    return {**FORM, "version_id": str(version_id), **(changes or {})}


def _link(mailbox, address) -> str:
    [message] = mailbox.wait_for(address, containing="/sign/confirm/")
    return re.search(r"http://localhost(/sign/confirm/\S+)", message["body"]).group(1)


def test_the_form_is_404_until_coordinators_open_it(app, client, signon):
    assert client.get(f"/declarations/{signon.id}/sign/open").status_code == 404
    assert client.post(f"/declarations/{signon.id}/sign/open", data=form(app, signon.id)).status_code == 404


def test_only_a_public_declaration_can_be_opened(app, client, people, make_declaration):
    members_only = make_declaration("signon", visibility="members")
    login(client, "coordinator@example.org")
    response = client.post(f"/declarations/{members_only.id}/open-signon", data={"enabled": "1"},
                           follow_redirects=True)
    assert "Only a public declaration" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Declaration, members_only.id).open_signon is False


def test_only_coordinators_open_the_form(client, people, signon):
    login(client, "rep@example.org")
    assert client.post(f"/declarations/{signon.id}/open-signon", data={"enabled": "1"}).status_code == 403


def test_outside_organization_signs_after_confirming_and_approval(app, client, people, open_signon, mailbox):
    form_page = client.get(f"/declarations/{open_signon.id}/sign/open").get_data(as_text=True)
    assert "Open shelters in every province." in form_page  # the text being signed is on the page
    response = client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert signatures_of(app, open_signon.id) == []  # nothing signed before the link is opened
    link = _link(mailbox, "Shabana@Outside.example.org")

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200 and "Confirm my signature" in confirm_page.get_data(as_text=True)
    assert signatures_of(app, open_signon.id) == []  # a GET (a link preview) signs nothing
    assert client.post(link).status_code == 200
    [signature] = signatures_of(app, open_signon.id)
    assert (signature.status, signature.approved_at, signature.signer_name) == ("active", None, "Shabana Ali")
    [notice] = mailbox.wait_for("coordinator@example.org", containing="waits for your approval")
    assert "Hazara Women's Collective" in notice["body"] and "status=pending" in notice["body"]
    again = client.post(link)
    assert "already been used" in again.get_data(as_text=True)
    assert len(signatures_of(app, open_signon.id)) == 1

    assert "Hazara Women" not in client.get(f"/declarations/{open_signon.id}/signatories").get_data(as_text=True)
    login(client, "coordinator@example.org")
    pending = client.get(f"/declarations/{open_signon.id}/signatories?status=pending").get_data(as_text=True)
    assert "Hazara Women" in pending and "Awaiting approval" in pending
    assert client.post(f"/signatures/{signature.id}/approve").status_code == 303
    client.post("/logout")
    assert "Hazara Women" in client.get(f"/declarations/{open_signon.id}/signatories").get_data(as_text=True)


def test_rejection_needs_a_reason_and_keeps_the_row(app, client, people, open_signon, mailbox):
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    client.post(_link(mailbox, FORM["email"]))
    [signature] = signatures_of(app, open_signon.id)
    login(client, "coordinator@example.org")
    client.post(f"/signatures/{signature.id}/reject", data={"reason": ""})
    assert signatures_of(app, open_signon.id)[0].status == "active"
    client.post(f"/signatures/{signature.id}/reject", data={"reason": "Not a real organization."})
    [rejected] = signatures_of(app, open_signon.id)
    assert (rejected.status, rejected.end_reason) == ("rejected", "Not a real organization.")
    response = client.post(f"/signatures/{signature.id}/approve", follow_redirects=True)
    assert "Only a pending signature" in response.get_data(as_text=True)


def test_members_signatures_cannot_be_approved_or_rejected_by_others(app, client, people, open_signon, mailbox):
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    client.post(_link(mailbox, FORM["email"]))
    [signature] = signatures_of(app, open_signon.id)
    login(client, "rep@example.org")
    assert client.post(f"/signatures/{signature.id}/approve").status_code == 403


def test_the_honeypot_answers_like_success_and_keeps_nothing(app, client, open_signon, mailbox):
    response = client.post(f"/declarations/{open_signon.id}/sign/open",
                           data=form(app, open_signon.id, {"fax": "+1 555"}))
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(OpenSignonRequest.id)) is None
    assert mailbox.to(FORM["email"]) == []


def test_a_wrong_form_keeps_the_text_and_says_what_to_fix(app, client, open_signon):
    response = client.post(f"/declarations/{open_signon.id}/sign/open",
                           data=form(app, open_signon.id, {"email": "not-an-email", "authorised": ""}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Hazara Women&#39;s Collective" in page and "not-an-email" in page
    assert "Only someone authorised" in page
    with app.app_context():
        assert db.session.scalar(select(OpenSignonRequest.id)) is None


def test_an_expired_or_unknown_link_signs_nothing(app, client, open_signon, mailbox):
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    link = _link(mailbox, FORM["email"])
    with app.app_context():
        db.session.scalar(select(OpenSignonRequest)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(link).status_code == 404
    response = client.post(link)
    assert response.status_code == 404 and "has expired" in response.get_data(as_text=True)
    assert client.post("/sign/confirm/not-a-token").status_code == 404
    assert signatures_of(app, open_signon.id) == []


def test_likely_duplicates_are_flagged_to_coordinators(app, client, people, open_signon, mailbox):
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    client.post(_link(mailbox, FORM["email"]))
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id, {
        "organization_name": "HAZARA  women's collective!", "email": "shabana+2@outside.example.org"}))
    client.post(_link(mailbox, "shabana+2@outside.example.org"))
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id, {
        "organization_name": "human rights action forum", "email": "x@y.example.org"}))
    client.post(_link(mailbox, "x@y.example.org"))
    login(client, "coordinator@example.org")
    page = client.get(f"/declarations/{open_signon.id}/signatories").get_data(as_text=True)
    assert page.count("Possibly the same as") == 3
    assert "Possibly the same as: Human Rights Action Forum" in page


def test_emails_and_names_are_normalised():
    assert email_key(" Sh.Abana+news@GoogleMail.com ") == "shabana@gmail.com"
    assert email_key("A.B+x@Example.org") == "a.b@example.org"
    assert name_key("  Hazara  Women’s  Collective! ") == name_key("hazara women s collective")
    assert name_key("Associação Cívica") == "associacao civica"


@pytest.fixture
def limited_client(app, make_app):
    # Built after `app`, so the shared limiter is configured by this app (see tests/accounts/test_login.py).
    return make_app(RATELIMIT_ENABLED=True, OPEN_SIGNON_LIMITS="2 per minute").test_client()


def test_the_form_is_rate_limited_per_address_and_per_email(app, limited_client, open_signon):
    url = f"/declarations/{open_signon.id}/sign/open"
    for n in range(2):
        response = limited_client.post(url, data=form(app, open_signon.id, {"email": f"a{n}@x.example.org"}))
        assert response.status_code == 200
    response = limited_client.post(url, data=form(app, open_signon.id, {"email": "a3@x.example.org"}))
    assert response.status_code == 429
    for n in range(2):
        response = limited_client.post(url, data=form(app, open_signon.id, {"email": f"Same+{n}@z.example.org"}),
                                       environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})
        assert response.status_code == 200
    response = limited_client.post(url, data=form(app, open_signon.id, {"email": "same@z.example.org"}),
                                   environ_base={"REMOTE_ADDR": "10.1.0.9"})
    assert response.status_code == 429
    with app.app_context():
        assert db.session.query(Signature).count() == 0


def test_after_submission_a_pending_outside_signature_can_be_neither_approved_nor_rejected(
        app, client, people, open_signon, mailbox):
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    client.post(_link(mailbox, FORM["email"]))
    [signature] = signatures_of(app, open_signon.id)
    login(client, "coordinator@example.org")
    assert submit(client, open_signon.id, [people["reviewer"].institution_id]).status_code == 303
    for decision, data in (("approve", {}), ("reject", {"reason": "Too late."})):
        response = client.post(f"/signatures/{signature.id}/{decision}", data=data, follow_redirects=True)
        assert "its signatures can no longer change" in response.get_data(as_text=True)
    [unchanged] = signatures_of(app, open_signon.id)
    assert (unchanged.status, unchanged.approved_at) == ("active", None)


def test_a_used_link_opened_again_says_what_became_of_the_signature(app, client, people, open_signon, mailbox):
    client.post(f"/declarations/{open_signon.id}/sign/open", data=form(app, open_signon.id))
    link = _link(mailbox, FORM["email"])
    assert client.post(link).status_code == 200
    waiting = client.get(link)
    assert waiting.status_code == 200
    assert "already used" in waiting.get_data(as_text=True)
    assert "waiting for a coordinator" in waiting.get_data(as_text=True)
    [signature] = signatures_of(app, open_signon.id)
    login(client, "coordinator@example.org")
    assert client.post(f"/signatures/{signature.id}/approve").status_code == 303
    client.post("/logout")
    assert "approved it and it is counted" in client.get(link).get_data(as_text=True)
    assert client.get("/sign/confirm/not-a-real-token").status_code == 404
