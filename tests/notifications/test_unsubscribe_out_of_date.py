"""An unsubscribe link stops working once the person has changed their notification settings after it was
sent: an old email cannot turn off what they have just turned back on. The link then answers, changing
nothing, that it is out of date, and points to the settings page."""
import re

from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.unsubscribe import SALT
from tests.helpers import login
from tests.notifications.test_emails_lead_somewhere import (  # noqa: F401 - sent_headers is a fixture
    _mode,
    _open_consultation,
    sent_headers,
)

OUT_OF_DATE = "This unsubscribe link is out of date"
SETTINGS = 'href="/account#notification_mode"'


def _mailed_links(sent_headers, person) -> list[str]:  # noqa: F811
    """The unsubscribe links of the emails the person was sent, as paths."""
    return [re.fullmatch(r"<http://localhost(/notifications/unsubscribe/[^>]+)>", headers["List-Unsubscribe"])
            .group(1) for headers in sent_headers[person.email]]


def _save_settings(client, person, mode: str):
    """The person saves their settings page, choosing how to be notified."""
    login(client, person.email)
    response = client.post("/account", data={"name": person.name, "designation": "", "gender": "",
                                             "province": "", "language": "en", "notification_mode": mode})
    assert response.status_code == 302
    client.post("/logout")


def test_an_old_link_cannot_turn_off_notifications_turned_back_on(app, client, people, make_declaration,
                                                                 sent_headers):  # noqa: F811
    member = people["member"]
    _open_consultation(app, make_declaration)
    [link] = _mailed_links(sent_headers, member)
    mail_program = app.test_client()  # a mail provider's one-click POST: no session
    assert mail_program.post(link).status_code == 200
    assert _mode(app, member) == "none"
    _save_settings(client, member, "immediate")  # they want the emails after all

    for method in (mail_program.get, mail_program.post):
        response = method(link)
        page = response.get_data(as_text=True)
        assert response.status_code == 410
        assert OUT_OF_DATE in page and SETTINGS in page and "Stop notification emails" not in page
        assert _mode(app, member) == "immediate"
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "notifications_unsubscribed")).all()) == 1


def test_a_link_is_out_of_date_once_the_settings_are_saved_even_if_never_used(app, client, people,
                                                                             make_declaration,
                                                                             sent_headers):  # noqa: F811
    member = people["member"]
    _open_consultation(app, make_declaration)
    [link] = _mailed_links(sent_headers, member)
    _save_settings(client, member, "daily")
    assert app.test_client().post(link).status_code == 410
    assert _mode(app, member) == "daily"


def test_the_next_email_carries_a_link_that_works(app, client, people, make_declaration,
                                                  sent_headers):  # noqa: F811
    member = people["member"]
    _open_consultation(app, make_declaration)
    _save_settings(client, member, "immediate")
    _open_consultation(app, make_declaration)
    old, new = _mailed_links(sent_headers, member)
    assert old != new
    assert app.test_client().post(old).status_code == 410
    response = app.test_client().post(new)
    assert response.status_code == 200 and "no more notification emails" in response.get_data(as_text=True)
    assert _mode(app, member) == "none"
    assert app.test_client().post(new).status_code == 200  # sent again by the mail program: still fine


def _link_from_before_versions(app, person) -> str:
    """An unsubscribe link as mailed before links carried the version of the settings."""
    with app.app_context():
        token = URLSafeSerializer(app.config["SECRET_KEY"], salt=SALT).dumps({"user": person.id, "mode": "none"})
    return f"/notifications/unsubscribe/{token}"


def test_a_link_from_before_links_carried_the_settings_works_until_the_settings_are_saved(app, client, people):
    representative, member = people["representative"], people["member"]
    assert app.test_client().post(_link_from_before_versions(app, representative)).status_code == 200
    assert _mode(app, representative) == "none"  # never saved their settings: the link is still good
    _save_settings(client, member, "daily")
    assert app.test_client().post(_link_from_before_versions(app, member)).status_code == 410
    assert _mode(app, member) == "daily"


def test_the_out_of_date_page_speaks_the_persons_language(app, client, people, make_declaration,
                                                          sent_headers):  # noqa: F811
    member = people["member"]
    _open_consultation(app, make_declaration)
    [link] = _mailed_links(sent_headers, member)
    login(client, member.email)
    client.post("/account", data={"name": member.name, "designation": "", "gender": "", "province": "",
                                  "language": "ur", "notification_mode": "immediate"})
    client.post("/logout")
    response = app.test_client().get(link)
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert 'dir="rtl"' in page and "اشتراک ختم کرنے کا یہ لنک پرانا ہو چکا ہے" in page
