"""What the unique indexes and conditional updates decide when two requests meet."""
import pytest

from app.accounts.models import User
from app.declarations.models import Declaration
from app.errors import RuleError
from app.extensions import db
from app.signatures import open_signon, reminders
from app.signatures import services as signing
from app.signatures.models import Signature, SignatureReminder
from app.time import local_date, utcnow
from tests.helpers import login, post_phase, sign, signatures_of


def test_a_reminder_sent_a_moment_ago_by_someone_else_is_skipped_not_a_500(app, people, signon, mailbox,
                                                                            monkeypatch):
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, signon.id)
        organization_id = people["representative"].organization_id
        stale = reminders._due(declaration, {organization_id})  # read before the other coordinator's reminder lands
        assert stale
        db.session.add(SignatureReminder(declaration_id=signon.id, organization_id=organization_id,
                                         sent_on=local_date(utcnow()), sent_by_id=coordinator.id))
        db.session.commit()
        monkeypatch.setattr(reminders, "_due", lambda _declaration, _ids: stale)
        assert reminders.send_reminders(coordinator, declaration, [organization_id]) == (0, 1)
        db.session.commit()
        assert db.session.query(SignatureReminder).count() == 1
    assert mailbox.to("rep@example.org") == []


def test_withdrawing_a_signature_that_was_replaced_meanwhile_is_refused(app, client, people, signon):
    login(client, "rep@example.org")
    sign(client, signon.id)
    with app.test_request_context():
        signature = db.session.scalar(db.select(Signature))  # loaded while still active
        with db.engine.begin() as other_request:  # which got there first, on its own connection
            other_request.execute(db.update(Signature).values(status="superseded"))
        assert signature.status == "active"
        with pytest.raises(RuleError):
            signing.withdraw(db.session.get(User, people["representative"].id), signature, "")
        db.session.rollback()
    assert [s.status for s in signatures_of(app, signon.id)] == ["superseded"]


def test_an_open_request_made_on_an_older_version_cannot_sign_the_new_one(app, client, people, signon, mailbox):
    from tests.signatures.test_open_signon import FORM, _link, form
    with app.app_context():
        db.session.get(Declaration, signon.id).open_signon = True
        db.session.commit()
    client.post(f"/declarations/{signon.id}/sign/open", data=form(app, signon.id))
    link = _link(mailbox, FORM["email"])
    login(client, "coordinator@example.org")
    for target in ("revision", "signon"):  # the text is reopened and sign-on opens on a new version
        post_phase(client, signon.id, {"target": target, "deadline": ""})
    client.post("/logout")
    response = client.post(link)
    assert response.status_code == 422 and "The text has changed since you asked to sign" in response.get_data(
        as_text=True)
    assert signatures_of(app, signon.id) == []


def test_visitors_see_which_organizations_signed_but_not_who_signed_for_them(app, client, people, signon):
    login(client, "rep@example.org")
    sign(client, signon.id)
    client.post("/logout")
    rep_name = people["representative"].name
    assert rep_name not in client.get(f"/declarations/{signon.id}/signatories").get_data(as_text=True)
    login(client, "member@example.org")
    assert rep_name in client.get(f"/declarations/{signon.id}/signatories").get_data(as_text=True)


def test_a_long_unusual_organization_name_fits_its_comparison_key():
    assert len(open_signon.name_key("\ufdfa" * 200)) <= 200
