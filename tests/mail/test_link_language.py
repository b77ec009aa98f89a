"""Emailed links carry the mail's language (issue 23, #6): a sign-on confirmation written in Urdu opens in Urdu
in a browser that has never seen the site, and that browser stays in Urdu."""
import re

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.links import with_language
from app.mail.models import OutboxMessage
from tests.helpers import login
from tests.signatures.test_open_signon import form

SITE = "http://localhost"
SITE_LINK = re.compile(re.escape(SITE) + r"[^\s<>\"')]*")


@pytest.mark.parametrize(("text", "expected"), [
    (f"Open {SITE}/sign/confirm/abc.", f"Open {SITE}/sign/confirm/abc?lang=ur."),
    (f"{SITE}/declarations/3/signatories?status=pending#r2, then",
     f"{SITE}/declarations/3/signatories?status=pending&lang=ur#r2, then"),
    (f"({SITE}/verify)", f"({SITE}/verify?lang=ur)"),
    (f"{SITE}/x?lang=en ۔", f"{SITE}/x?lang=ur ۔"),  # the mail's language wins; Urdu full stop stays outside
    (f"{SITE}", f"{SITE}/?lang=ur"),
    ("https://example.org/page and http://localhost.example/x", "https://example.org/page and "
                                                                 "http://localhost.example/x"),  # other sites
])
def test_every_link_to_the_site_gets_the_language_and_nothing_else_changes(app, text, expected):
    with app.app_context():
        assert with_language(text, "ur") == expected


def _confirmation_link(mailbox, address) -> str:
    [message] = mailbox.wait_for(address, containing="/sign/confirm/")
    return re.search(re.escape(SITE) + r"(/sign/confirm/\S+)", message["body"]).group(1)


def test_a_sign_on_confirmation_from_an_urdu_mail_opens_in_urdu_in_a_new_browser(app, make_declaration, mailbox):
    declaration = make_declaration("signon", visibility="public")
    with app.app_context():
        db.session.get(Declaration, declaration.id).open_signon = True
        db.session.commit()
    signer = app.test_client()
    signer.post("/language", data={"language": "ur"})
    signer.post(f"/declarations/{declaration.id}/sign/open", data=form(app, declaration.id))
    link = _confirmation_link(mailbox, "Shabana@Outside.example.org")
    assert "lang=ur" in link

    phone = app.test_client()  # another browser, English by its own settings
    page = phone.get(link, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page
    later = phone.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in later  # kept in this browser's session


def test_every_mail_sent_carries_its_language_in_every_link(app, client, people, submitted, mailbox):
    with app.app_context():
        db.session.execute(update(User).where(User.id == people["member"].id).values(language="ur"))
        db.session.commit()
    client.post("/reset", data={"email": people["member"].email})
    login(client, people["coordinator"].email)
    client.post("/invitations/new", data={"email": "newcomer@example.org", "role": "member"})
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body)).all()
        languages = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    links = [link for body in bodies for link in SITE_LINK.findall(body)]
    assert len(bodies) >= 3 and len(links) >= 3, bodies
    assert [link for link in links if not re.search(r"[?&]lang=(en|ur)\b", link)] == []
    member_mail = languages.get(people["member"].email)
    assert member_mail is not None and "lang=ur" in member_mail.body


def test_a_language_chosen_on_a_page_opened_from_a_mail_holds(app, client, people, mailbox):
    client.post("/reset", data={"email": people["member"].email})
    [message] = mailbox.wait_for(people["member"].email, containing="/reset/")
    link = re.search(re.escape(SITE) + r"(/reset/\S+)", message["body"]).group(1)
    assert "lang=en" in link
    assert '<html lang="en"' in client.get(link).get_data(as_text=True)
    switched = client.post("/language", data={"language": "ur", "next": link})
    assert "lang=" not in switched.headers["Location"]  # back to the page, without the mail's language
    assert '<html lang="ur"' in client.get(switched.headers["Location"]).get_data(as_text=True)
    sent = client.post(link, data={"password": "short", "confirm": "short"})  # the form posts to ?lang=en
    assert '<html lang="ur"' in sent.get_data(as_text=True)
