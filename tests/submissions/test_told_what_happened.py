"""What signers are told is what happened: a signature left out of the dossier is told so, why and whom to
ask; whoever signs, confirms again or withdraws gets a receipt of exactly what."""
import re

from sqlalchemy import select

from app.declarations.models import Declaration
from app.extensions import db
from tests.helpers import login, sign, submit
from tests.signatures.test_open_signon import _link
from tests.signatures.test_open_signon import form as open_form


def _receipts(mailbox, person):
    return [m for m in mailbox.to(person.email) if m["subject"].startswith("Your signature")]


def _subjects(mailbox, address):
    return [m["subject"] for m in mailbox.to(address)]


def test_a_signer_left_out_of_the_dossier_is_told_so_and_why(app, client, people, make_declaration,
                                                             make_organization, make_user, mailbox):
    declaration = make_declaration("signon", visibility="public")
    pending = make_organization("Unverified Youth Network", verified=False)
    rep = make_user(organization=pending, org_role="representative", email="pending-rep@example.org")
    for person in (people["representative"], rep):
        login(client, person.email)
        assert sign(client, declaration.id).status_code in (302, 303)
        client.post("/logout")
    mailbox.clear()
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code == 303

    [notice] = mailbox.to(rep.email)
    assert "not in the submitted dossier" in notice["subject"]
    assert "Unverified Youth Network (UYN) had not been verified" in notice["body"]
    assert "write to" in notice["body"] and people["coordinator"].email in notice["body"]
    assert "because you speak for Unverified Youth Network" in notice["body"]
    assert not [s for s in _subjects(mailbox, rep.email) if s.startswith("Submitted to government")]
    # The representative whose signature counts gets the ordinary notice.
    assert any(s.startswith("Submitted to government") for s in _subjects(mailbox, people["representative"].email))


def test_an_outside_signature_not_approved_in_time_is_told_so(app, client, people, make_declaration, mailbox):
    declaration = make_declaration("signon", visibility="public")
    with app.app_context():
        db.session.get(Declaration, declaration.id).open_signon = True
        db.session.commit()
    client.post(f"/declarations/{declaration.id}/sign/open", data=open_form(app, declaration.id))
    assert client.post(_link(mailbox, "Shabana@Outside.example.org")).status_code == 200
    mailbox.clear()
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code == 303
    [notice] = mailbox.to("Shabana@Outside.example.org")
    assert "not in the submitted dossier" in notice["subject"]
    assert "had not approved your signature" in notice["body"]


def test_whoever_signs_gets_a_receipt_of_exactly_what(app, client, people, make_declaration, mailbox):
    declaration = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    with app.app_context():
        version = db.session.get(Declaration, declaration.id).latest_version
        number, sha256 = version.number, version.sha256
        first = version.content["recommendations"][0]
    response = sign(client, declaration.id, visibility="coordinators",
                    **{f"reservation-{first['id']}": "We cannot support the death penalty clause."})
    assert response.status_code in (302, 303)
    assert not _receipts(mailbox, people["representative"])  # it waits for the next `flask mail send`
    assert app.test_cli_runner().invoke(args=["mail", "send"]).exit_code == 0
    [receipt] = _receipts(mailbox, people["representative"])
    assert receipt["subject"].startswith("Your signature:")
    body = receipt["body"]
    assert sha256 in body and f"Version: {number}" in body and "Human Rights Action Forum" in body
    assert "Coordinators only" in body
    assert re.search(rf"Recommendation {first['number']}: We cannot support the death penalty clause", body)
    assert f"/declarations/{declaration.id}/history" in body


def test_withdrawing_gets_a_receipt_and_a_person_who_chose_no_email_gets_none(app, client, people,
                                                                               make_declaration, mailbox):
    from app.accounts.models import User
    from app.signatures.models import Signature
    declaration = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    sign(client, declaration.id)
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id).where(Signature.declaration_id == declaration.id))
    mailbox.clear()
    assert client.post(f"/signatures/{signature_id}/withdraw", data={"reason": "Board decision"}).status_code in (
        302, 303)
    assert app.test_cli_runner().invoke(args=["mail", "send"]).exit_code == 0
    [receipt] = [m for m in _receipts(mailbox, people["representative"]) if "withdrawn" in m["subject"]]
    assert "Board decision" in receipt["body"]
    with app.app_context():
        db.session.get(User, people["representative"].id).notification_mode = "none"
        db.session.commit()
    mailbox.clear()
    sign(client, declaration.id)
    assert app.test_cli_runner().invoke(args=["mail", "send"]).exit_code == 0
    assert not _receipts(mailbox, people["representative"])
