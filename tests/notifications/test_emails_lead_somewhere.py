"""Emails that lead somewhere: each notification says why the person gets it, links to the exact place and to
the notification settings; bulk ones carry a one-click unsubscribe link (RFC 8058); the digest setting is
honoured for every kind; each in the recipient's language. Checked through the local SMTP server."""
import base64
import json
import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.declarations.models import Declaration
from app.declarations.services import change_phase
from app.extensions import db
from app.mail import services as mail_services
from app.mail.models import OutboxMessage
from app.mail.services import deliver, take_queued_ids
from app.notifications.unsubscribe import unsubscribe_token
from app.time import utcnow
from tests.comments.test_comments import _comment
from tests.helpers import login, sign
from tests.notifications.test_notifications import _reply
from tests.signatures.test_chase import alliance  # noqa: F401 - a fixture

SETTINGS = "http://localhost/account?lang=en#notification_mode"  # every link carries the mail's language


@pytest.fixture
def signon(make_declaration):
    return make_declaration("signon", visibility="public")


@pytest.fixture
def sent_headers(monkeypatch):
    """The headers of every email handed to SMTP, by recipient (the test mailbox keeps only their names)."""
    seen: dict[str, list[dict]] = {}
    build = mail_services._email

    def spy(message):
        email = build(message)
        seen.setdefault(message.recipient, []).append(dict(email.items()))
        return email
    monkeypatch.setattr(mail_services, "_email", spy)
    return seen


def _set(app, user, **fields):
    with app.app_context():
        person = db.session.get(User, user.id)
        for name, value in fields.items():
            setattr(person, name, value)
        db.session.commit()


def _mode(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).notification_mode


def _change_phase(app, declaration_id, target, **fields):
    """A coordinator moves the declaration on, through the service (the web form's confirmation step is
    tested with the declarations), and the mail it queues is sent."""
    with app.test_request_context():
        coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
        change_phase(coordinator, db.session.get(Declaration, declaration_id), target, **fields)
        db.session.commit()
        deliver(take_queued_ids())


def _open_consultation(app, make_declaration):
    """A coordinator opens a consultation: the whole alliance is told (a bulk notification)."""
    declaration = make_declaration(phase="drafting")
    _change_phase(app, declaration.id, "consultation", deadline=utcnow() + timedelta(days=5))
    return declaration


def _remind(client, declaration, organization):
    login(client, "coordinator@example.org")
    client.post(f"/declarations/{declaration.id}/chase", data={"organization_id": [str(organization.id)]})
    client.post("/logout")


def _digest(app):
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


# --- why, where, and the settings --------------------------------------------------------

def test_a_reply_notice_says_why_links_to_the_reply_and_ends_with_the_settings(
        app, client, people, consultation, mailbox, sent_headers):
    _reply(app, client, people, consultation)
    reply = _comment(app, "Answer")
    [message] = mailbox.to(people["member"].email)
    lines = message["body"].splitlines()
    assert (f"http://localhost/declarations/{consultation.id}/section/{consultation.sections[0]}/comments"
            f"?lang=en#c{reply.id}") in lines  # the reply itself
    assert "You get this because someone replied to a comment you wrote." in lines
    assert lines[-1] == SETTINGS
    # a personal notice, not a bulk one: no unsubscribe header
    assert "List-Unsubscribe" not in sent_headers[people["member"].email][0]


def test_a_bulk_notice_carries_one_click_unsubscribe_headers(app, client, people, make_declaration, mailbox,
                                                             sent_headers):
    declaration = _open_consultation(app, make_declaration)
    [message] = mailbox.to(people["member"].email)
    assert {"List-Unsubscribe", "List-Unsubscribe-Post"} <= set(message["headers"])  # as the SMTP server got it
    lines = message["body"].splitlines()
    assert f"http://localhost/declarations/{declaration.id}?lang=en" in lines
    assert "You get this because you are a member of Civil Society Alliance against Organized Crime." in lines
    assert lines[-1] == SETTINGS
    [headers] = sent_headers[people["member"].email]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with app.app_context():
        token = unsubscribe_token(db.session.get(User, people["member"].id))
    assert headers["List-Unsubscribe"] == f"<http://localhost/notifications/unsubscribe/{token}>"


def test_a_signature_reminder_says_why_and_links_to_the_sign_page(app, client, people, signon, alliance,  # noqa: F811
                                                                  mailbox, sent_headers):
    _remind(client, signon, alliance.two)
    [message] = mailbox.to("zainab@example.org")
    lines = message["body"].splitlines()
    assert f"http://localhost/declarations/{signon.id}/sign?lang=en" in lines
    assert "You get this because you are a representative of Sindh Legal Aid Network." in lines
    assert lines[-1] == SETTINGS
    assert "List-Unsubscribe" in sent_headers["zainab@example.org"][0]


def test_the_reopened_notice_says_whose_signature_it_is(app, client, people, signon, mailbox):
    login(client, people["representative"].email)
    sign(client, signon.id)
    client.post("/logout")
    _change_phase(app, signon.id, "revision")
    [message] = mailbox.wait_for(people["representative"].email, containing="reopened")
    assert ("You get this because you speak for Human Rights Action Forum (HRAF), which signed “Declaration "
            "on trafficking”.") in message["body"]
    assert message["body"].splitlines()[-1] == SETTINGS


# --- one-click unsubscribe ---------------------------------------------------------------

def _link(app, user) -> str:
    with app.app_context():
        return f"/notifications/unsubscribe/{unsubscribe_token(db.session.get(User, user.id))}"


def test_the_one_click_post_unsubscribes_without_login_and_is_recorded(app, people):
    client = app.test_client()  # no session, no CSRF token: as a mail provider's POST comes
    response = client.post(_link(app, people["member"]), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more notification emails" in response.get_data(as_text=True)
    assert _mode(app, people["member"]) == "none"
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notifications_unsubscribed"))
        assert (entry.target_id, entry.details["before"], entry.details["after"]) == (
            people["member"].id, "immediate", "none")
    assert client.post(_link(app, people["member"])).status_code == 200  # again: still fine, nothing new
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "notifications_unsubscribed")).all()) == 1


def test_the_one_click_post_needs_no_csrf_token_even_with_csrf_on(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    assert app.test_client().post(_link(app, people["member"])).status_code == 200
    assert _mode(app, people["member"]) == "none"


def test_opening_the_link_only_asks(app, client, people):
    response = client.get(_link(app, people["member"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Stop notification emails" in page and 'method="post"' in page
    assert _mode(app, people["member"]) == "immediate"  # a mail scanner opening links unsubscribes no one


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature changed
    lambda token: token.split(".")[0] + ".x",
    lambda token: "not-a-token",
])
def test_a_tampered_link_changes_nothing(app, client, people, tamper):
    link = _link(app, people["member"])
    bad = "/notifications/unsubscribe/" + tamper(link.rsplit("/", 1)[1])
    for method in (client.get, client.post):
        response = method(bad)
        assert response.status_code == 404
        assert "not valid" in response.get_data(as_text=True)
    assert _mode(app, people["member"]) == "immediate"


def test_a_link_for_one_person_cannot_be_made_into_one_for_another(app, client, people):
    # The signed part names the person: swapping the id in it breaks the signature.
    token = _link(app, people["member"]).rsplit("/", 1)[1]
    payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["user"] = people["coordinator"].id
    forged = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
    assert client.post(f"/notifications/unsubscribe/{forged}.{signature}").status_code == 404
    assert _mode(app, people["coordinator"]) == "immediate"


def test_other_signed_tokens_are_not_unsubscribe_links(app, client, people):
    with app.app_context():
        other = URLSafeSerializer(app.config["SECRET_KEY"], salt="something-else").dumps(
            {"user": people["member"].id, "mode": "none"})
    assert client.post(f"/notifications/unsubscribe/{other}").status_code == 404
    assert _mode(app, people["member"]) == "immediate"


def test_the_one_click_post_is_rate_limited_per_link(app, make_app, people):
    limited = make_app(RATELIMIT_ENABLED=True, TOKEN_LIMITS="2 per minute")
    client = limited.test_client()
    link = _link(limited, people["member"])
    assert [client.post(link).status_code for _ in range(3)] == [200, 200, 429]


def test_an_unsubscribed_person_gets_no_more_bulk_mail(app, client, people, make_declaration, mailbox):
    app.test_client().post(_link(app, people["member"]))
    _open_consultation(app, make_declaration)
    assert mailbox.to(people["member"].email) == []
    assert mailbox.to(people["representative"].email)  # the others still do


# --- the digest setting is honoured ------------------------------------------------------

def test_a_daily_digest_person_gets_bulk_notices_and_reminders_only_in_the_digest(
        app, client, people, make_declaration, signon, alliance, mailbox, sent_headers):  # noqa: F811
    zainab = alliance.reps[0]
    for person in (people["member"], zainab):
        _set(app, person, notification_mode="daily")
    declaration = _open_consultation(app, make_declaration)
    _remind(client, signon, alliance.two)
    assert mailbox.to(people["member"].email) == [] and mailbox.to(zainab.email) == []
    assert mailbox.to("ali@example.org")  # the other representative chose immediate email

    _digest(app)
    [member_digest] = mailbox.to(people["member"].email)
    assert "Consultation open: Declaration on trafficking" in member_digest["body"]
    assert f"  http://localhost/declarations/{declaration.id}?lang=en" in member_digest["body"].splitlines()
    assert "You get this because you chose a daily digest" in member_digest["body"]
    assert member_digest["body"].splitlines()[-1] == SETTINGS
    assert "List-Unsubscribe" in sent_headers[people["member"].email][0]
    [zainab_digest] = mailbox.to(zainab.email)
    assert "Please sign: Declaration on trafficking" in zainab_digest["body"]
    assert f"  http://localhost/declarations/{signon.id}/sign?lang=en" in zainab_digest["body"].splitlines()


def test_none_means_no_reminder_and_no_digest(app, client, people, signon, alliance, mailbox):  # noqa: F811
    for person in alliance.reps:
        _set(app, person, notification_mode="none")
    _remind(client, signon, alliance.two)
    _digest(app)
    assert mailbox.to("zainab@example.org") == [] and mailbox.to("ali@example.org") == []


def test_the_digest_follows_the_setting_of_today(app, client, people, make_declaration, mailbox):
    _set(app, people["member"], notification_mode="daily")
    _open_consultation(app, make_declaration)
    app.test_client().post(_link(app, people["member"]))  # then unsubscribed from the digest's own link
    assert "0 digest(s) written" in _digest(app)
    assert mailbox.to(people["member"].email) == []
    assert "0 digest(s) written" in _digest(app)  # and those notifications are not waiting any more


# --- language ----------------------------------------------------------------------------

def test_an_urdu_member_gets_urdu_notices_and_digests(app, client, people, make_declaration, mailbox):
    _set(app, people["member"], language="ur")
    _set(app, people["representative"], language="ur", notification_mode="daily")
    _open_consultation(app, make_declaration)  # the coordinator works in English
    [message] = mailbox.to(people["member"].email)
    assert message["subject"] == "مشاورت شروع ہو گئی: Declaration on trafficking"
    assert message["body"].startswith(f"السلام علیکم {people['member'].name}،")
    _digest(app)
    [digest] = mailbox.to(people["representative"].email)
    assert digest["subject"].startswith("آپ کا Sanad خلاصہ")
    assert "آپ کے پچھلے خلاصے کے بعد سے" in digest["body"]


def test_the_unsubscribe_page_speaks_the_persons_language(app, client, people):
    _set(app, people["member"], language="ur")
    page = client.get(_link(app, people["member"])).get_data(as_text=True)
    assert 'dir="rtl"' in page


def test_the_sent_copy_keeps_no_usable_unsubscribe_link(app, client, people, make_declaration, mailbox):
    _open_consultation(app, make_declaration)
    assert mailbox.to(people["member"].email)
    with app.app_context():
        kept = [m.headers for m in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == people["member"].email))]
    assert kept and all(re.fullmatch(r"<http://localhost/notifications/unsubscribe/\[removed\]>",
                                     headers["List-Unsubscribe"]) for headers in kept)
