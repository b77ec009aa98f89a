import re

from app.declarations.models import Declaration
from app.extensions import db
from tests.helpers import login, post_phase, sign, signatures_of
from tests.signatures.test_open_signon import FORM, form


def _phase(client, declaration_id, target):
    response = post_phase(client, declaration_id, {"target": target, "deadline": ""})
    assert response.status_code == 302, response.status_code


def test_reopening_marks_signatures_as_earlier_and_reconfirmation_binds_the_new_version(
        app, client, people, signon, mailbox):
    with app.app_context():
        db.session.get(Declaration, signon.id).open_signon = True
        db.session.commit()
    login(client, "rep@example.org")
    sign(client, signon.id, **{f"reservation-{signon.recommendations[0]}": "Two years."})
    client.post("/logout")
    client.post(f"/declarations/{signon.id}/sign/open", data=form(app, signon.id))
    [message] = mailbox.wait_for(FORM["email"], containing="/sign/confirm/")
    client.post(re.search(r"http://localhost(/sign/confirm/\S+)", message["body"]).group(1))
    external = [s for s in signatures_of(app, signon.id) if s.open_request_id][0]
    login(client, "coordinator@example.org")
    client.post(f"/signatures/{external.id}/approve")

    _phase(client, signon.id, "revision")  # the coordinators reopen the text
    assert mailbox.wait_for("rep@example.org", containing="reopened")
    assert mailbox.wait_for(FORM["email"], containing="reopened")
    page = client.get(f"/declarations/{signon.id}/signatories").get_data(as_text=True)
    assert page.count("Signed an earlier version (3)") == 2
    client.post(f"/declarations/{signon.id}/recommendations/{signon.recommendations[2]}/delete")
    _phase(client, signon.id, "signon")  # version 5
    client.post("/logout")

    [reminder] = mailbox.wait_for("rep@example.org", containing="confirm your signature again")
    login(client, "rep@example.org")
    page = client.get(f"/declarations/{signon.id}/sign").get_data(as_text=True)
    assert "Confirm your signature on version 5" in page and "Two years." in page  # reservation carried over
    vid = re.search(r'name="version_id" type="hidden" value="(\d+)"', page).group(1)
    assert client.post(f"/declarations/{signon.id}/sign", data={
        "version_id": vid, "capacity": "organization", "visibility": "public",
        f"reservation-{signon.recommendations[0]}": "Two years."}).status_code == 303
    client.post("/logout")

    [again] = [m for m in mailbox.wait_for(FORM["email"], containing="/sign/confirm/")
               if "changed" in m["body"]]
    client.post(re.search(r"http://localhost(/sign/confirm/\S+)", again["body"]).group(1))

    rows = signatures_of(app, signon.id)
    assert [(r.status, r.replaces_id is not None) for r in rows] == [
        ("superseded", False), ("superseded", False), ("active", True), ("active", True)]
    with app.app_context():
        version = db.session.get(Declaration, signon.id).latest_version
        assert version.number == 5
        assert all(r.version_id == version.id and r.sha256 == version.sha256 for r in rows if r.status == "active")
    new_external = rows[3]
    assert new_external.approved_at is not None  # an approved organization stays approved
    page = client.get(f"/declarations/{signon.id}/signatories").get_data(as_text=True)
    assert "earlier version" not in page and "2 organizations" in page


def test_withdrawal_stays_possible_while_the_text_is_in_revision(app, client, people, signon):
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/logout")
    login(client, "coordinator@example.org")
    _phase(client, signon.id, "revision")
    client.post("/logout")
    login(client, "rep@example.org")
    [signature] = signatures_of(app, signon.id)
    client.post(f"/signatures/{signature.id}/withdraw")
    assert signatures_of(app, signon.id)[0].status == "withdrawn"
