"""Outside signers are kept informed: once confirmed, an organization outside the alliance is emailed when a
coordinator approves or rejects its signature, and when the declaration is submitted."""
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.helpers import login, signatures_of, submit, the_submission
from tests.signatures.test_open_signon import FORM, _link, form


def _sign_from_outside(app, client, mailbox, declaration_id, language="en", **changes):
    """Fill in the public form (in this language) and open the emailed link; the signature is then pending."""
    client.post("/language", data={"language": language})
    client.post(f"/declarations/{declaration_id}/sign/open", data=form(app, declaration_id, changes))
    email = changes.get("email", FORM["email"])
    assert client.post(_link(mailbox, email)).status_code == 200
    client.post("/language", data={"language": "en"})
    return [s for s in signatures_of(app, declaration_id) if s.open_request_id][-1]


def _decide(client, signature, decision, **data):
    login(client, "coordinator@example.org")
    response = client.post(f"/signatures/{signature.id}/{decision}", data=data)
    assert response.status_code == 303
    client.post("/logout")


def test_an_approved_outside_signer_is_told_with_a_link_to_the_list(app, client, people, open_signon, mailbox):
    signature = _sign_from_outside(app, client, mailbox, open_signon.id)
    mailbox.clear()
    _decide(client, signature, "approve")
    [message] = mailbox.wait_for(FORM["email"])
    assert message["subject"] == "Your signature is approved: Declaration on trafficking"
    body = message["body"]
    assert "Hello Shabana Ali," in body
    assert "approved the signature of Hazara Women's Collective" in body and "will be part of" in body
    # (each link carries the mail's language, app.links.with_language)
    assert f"http://localhost/declarations/{open_signon.id}/signatories?lang=en#sig-{signature.id}" in body
    assert f"http://localhost/declarations/{open_signon.id}?lang=en" in body.splitlines()  # the declaration itself
    assert "You get this because you signed" in body
    # the link leads where it says: the organization is listed there, for anyone
    page = client.get(f"/declarations/{open_signon.id}/signatories").get_data(as_text=True)
    assert f'id="sig-{signature.id}"' in page


def test_an_approved_signer_who_asked_not_to_be_named_is_not_promised_a_name_in_the_list(
        app, client, people, open_signon, mailbox):
    signature = _sign_from_outside(app, client, mailbox, open_signon.id, visibility="coordinators")
    mailbox.clear()
    _decide(client, signature, "approve")
    [message] = mailbox.wait_for(FORM["email"])
    assert "not named in the public list" in message["body"]
    assert f"/declarations/{open_signon.id}/signatories?lang=en#organizations" in message["body"]


def test_a_rejected_outside_signer_gets_the_reason_and_whom_to_ask(app, client, people, open_signon, mailbox):
    signature = _sign_from_outside(app, client, mailbox, open_signon.id)
    mailbox.clear()
    _decide(client, signature, "reject", reason="We could not find this organization's registration.")
    [message] = mailbox.wait_for(FORM["email"])
    assert message["subject"] == "Your signature was not approved: Declaration on trafficking"
    body = message["body"]
    assert "did not approve the signature of Hazara Women's Collective" in body
    assert "Reason: We could not find this organization's registration." in body
    coordinator = people["coordinator"]
    assert coordinator.name in body and coordinator.email in body  # who to ask
    assert "Reply-To" in message["headers"]  # and a reply reaches them


def test_with_a_secretariat_address_the_rejected_signer_is_given_that_not_a_coordinators(app, client, people,
                                                                                        open_signon, mailbox):
    app.config["CONTACT_EMAIL"] = "secretariat@alliance.example.org"
    signature = _sign_from_outside(app, client, mailbox, open_signon.id)
    mailbox.clear()
    _decide(client, signature, "reject", reason="Not a registered organization.")
    [message] = mailbox.wait_for(FORM["email"])
    assert "secretariat@alliance.example.org" in message["body"]
    assert people["coordinator"].email not in message["body"]
    assert "Reply-To" in message["headers"]
    with app.app_context():  # the reply goes to the secretariat too
        kept = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == FORM["email"])
                                  .order_by(OutboxMessage.id.desc())).first()
        assert kept.headers["Reply-To"] == "secretariat@alliance.example.org"


def test_the_contact_address_and_name_saved_in_the_settings_reach_the_rejected_signer_in_their_language(
        app, client, people, open_signon, mailbox):
    app.config["CONTACT_EMAIL"] = "first-value@alliance.example.org"  # the environment's, until an admin saves
    login(client, people["admin"].email)
    assert client.post("/admin/settings", data={
        "name_en": "Pakistan Alliance for Justice", "name_ur": "پاکستان اتحاد برائے انصاف",
        "contact_email": "secretariat@paj.example.org", "consultation_days": "21", "signon_days": "14",
        "acknowledge_days": "14", "answer_days": "90"}).status_code == 303
    client.post("/logout")
    signature = _sign_from_outside(app, client, mailbox, open_signon.id, language="ur")
    mailbox.clear()
    _decide(client, signature, "reject", reason="Duplicate.")
    [message] = mailbox.wait_for(FORM["email"])
    assert "secretariat@paj.example.org" in message["body"] and "first-value@" not in message["body"]
    assert "پاکستان اتحاد برائے انصاف" in message["body"] and "Pakistan Alliance" not in message["body"]
    with app.app_context():
        kept = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == FORM["email"])
                                  .order_by(OutboxMessage.id.desc())).first()
        assert kept.headers["Reply-To"] == "secretariat@paj.example.org"


def test_a_refused_decision_emails_no_one(app, client, people, open_signon, mailbox):
    signature = _sign_from_outside(app, client, mailbox, open_signon.id)
    mailbox.clear()
    login(client, "coordinator@example.org")
    client.post(f"/signatures/{signature.id}/reject", data={"reason": ""})  # no reason: refused
    client.post("/logout")
    assert mailbox.to(FORM["email"]) == []


def test_an_urdu_signer_is_written_to_in_urdu(app, client, people, open_signon, mailbox):
    signature = _sign_from_outside(app, client, mailbox, open_signon.id, language="ur")
    mailbox.clear()
    _decide(client, signature, "reject", reason="Duplicate.")
    [message] = mailbox.wait_for(FORM["email"])
    # Strings already in the Urdu catalogue show the locale is forced to the signer's language
    # (the coordinator's session is in English).
    assert "السلام علیکم Shabana Ali،" in message["body"]
    assert "وجہ: Duplicate." in message["body"]


def test_submission_tells_each_counted_outside_signer_the_hash_and_where_to_check_it(
        app, client, people, open_signon, mailbox):
    approved = _sign_from_outside(app, client, mailbox, open_signon.id)
    _decide(client, approved, "approve")
    _sign_from_outside(app, client, mailbox, open_signon.id, email="pending@elsewhere.example.org",
                       organization_name="Still Pending Trust")  # never approved: not in the submission
    rejected = _sign_from_outside(app, client, mailbox, open_signon.id, language="ur",
                                  email="rejected@elsewhere.example.org", organization_name="Rejected Network")
    _decide(client, rejected, "reject", reason="Not an organization.")
    mailbox.clear()

    login(client, "coordinator@example.org")
    assert submit(client, open_signon.id, [people["reviewer"].institution_id]).status_code == 303
    client.post("/logout")
    submission = the_submission(app, open_signon.id)

    [message] = mailbox.wait_for(FORM["email"], containing="Submitted")
    assert message["subject"] == "Submitted to the government: Declaration on trafficking"
    body = message["body"]
    assert "submitted “Declaration on trafficking” to the government on" in body
    assert "with the signature of Hazara Women's Collective" in body
    assert submission.sha256 in body
    assert f"http://localhost/submissions/{submission.id}?lang=en" in body.splitlines()
    assert "http://localhost/verify?lang=en" in body.splitlines()
    assert "Ministry" in body  # to whom it went
    # The one never approved is told it is not in the dossier, and why (not that it was submitted with it).
    [left_out] = mailbox.to("pending@elsewhere.example.org")
    assert "not in the submitted dossier" in left_out["subject"] and "had not approved" in left_out["body"]
    assert mailbox.to("rejected@elsewhere.example.org") == []
    # the hash in the email is the one /verify knows
    page = client.post("/verify", data={"sha256": submission.sha256}).get_data(as_text=True)
    assert submission.title in page


def test_an_urdu_signer_hears_of_the_submission_in_urdu(app, client, people, open_signon, mailbox):
    signature = _sign_from_outside(app, client, mailbox, open_signon.id, language="ur")
    _decide(client, signature, "approve")
    mailbox.clear()
    login(client, "coordinator@example.org")
    assert submit(client, open_signon.id, [people["reviewer"].institution_id]).status_code == 303
    [message] = mailbox.wait_for(FORM["email"])
    assert message["body"].startswith("السلام علیکم Shabana Ali،")
