"""Our XSS corpus (tests/xss_corpus.py, 300 payloads) through the sanitizer one by one, and through every
field a person can write and every page and export that shows it, in batches: every long text field
gets all the payloads of its batch, and each short field (titles, headings, names) one of them in turn.
What is shown, parsed as a browser would: no script element, no on* attribute, no style, no URL with a
scheme other than http, https or mailto."""
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.amendments.models import Amendment
from app.comments.models import Comment
from app.declarations.models import Recommendation, Section
from app.extensions import db
from app.markup import render_markdown
from tests.helpers import login, post_phase
from tests.test_markup import unsafe_parts
from tests.xss_corpus import PAYLOADS

BATCH = 10
BATCHES = [PAYLOADS[n:n + BATCH] for n in range(0, len(PAYLOADS), BATCH)]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc")


def assert_inert(html: str, where: str):
    """Parsed as a page: no script or other active element, no handler or style, no dangerous URL."""
    soup = BeautifulSoup(html, "html.parser")
    active = soup.find_all(["script", "iframe", "svg", "math", "object", "embed", "style", "base", "meta", "form",
                            "input", "template", "link"])
    # The page's own form elements and stylesheet link are allowed; anything else means user markup got in.
    active = [t for t in active if not (t.name in ("form", "input", "link", "meta", "template") and _ours(t))]
    assert not active, (where, [str(t)[:120] for t in active])
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not name.lower().startswith("on"), (where, tag.name, name)
            assert name.lower() != "style", (where, tag.name)
            if name.lower() in URL_ATTRIBUTES:
                scheme = urlsplit(text.strip()).scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), (where, tag.name, name, text)


def _ours(tag) -> bool:
    """The site's own form controls, stylesheet and meta tags (they carry no user text in a URL)."""
    if tag.name == "link":
        return tag.get("href", "").startswith("/static/")
    if tag.name == "meta":
        return "http-equiv" not in tag.attrs or tag["http-equiv"].lower() != "refresh"
    if tag.name == "form":
        return tag.get("action", "").startswith("/") or tag.get("action") in (None, "", "#recommendations")
    return True


MAIL_HEADERS = {"Subject", "From", "To", "Date", "Message-ID", "Content-Type", "Content-Transfer-Encoding",
                "MIME-Version", "Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post", "Reply-To",
                "X-Auto-Response-Suppress", "Precedence"}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitizer_leaves_every_payload_inert(payload):
    assert not unsafe_parts(render_markdown(payload)), payload


def test_the_corpus_is_at_least_two_hundred_distinct_payloads():
    assert len(PAYLOADS) >= 200 and len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("batch", BATCHES, ids=[f"payloads {n * BATCH + 1}-{n * BATCH + len(b)}"
                                                 for n, b in enumerate(BATCHES)])
def test_every_field_and_page_shows_the_payloads_inert(app, client, people, make_declaration, mailbox, batch):
    text = "\n\n".join(batch)
    short = [p.replace("\n", " ")[:180] for p in batch]
    declaration = make_declaration(phase="revision", visibility="public")
    login(client, people["coordinator"].email)
    with app.app_context():
        section = db.session.get(Section, declaration.sections[0])
        rec = db.session.get(Recommendation, declaration.recommendations[0])
        bases = section.current_revision_id, rec.current_revision_id
    assert client.post(f"/declarations/{declaration.id}/settings", data={
        "edit_count": "0", "kind": "declaration", "title": "T " + short[0], "summary": "S " + text[:1900],
        "moderation": "post", "visibility": "public"}).status_code in (302, 303)
    client.post(f"/declarations/{declaration.id}/section/{declaration.sections[0]}/edit",
                data={"base_revision_id": bases[0], "heading": "H " + short[1], "body": "Body " + text})
    client.post(f"/declarations/{declaration.id}/recommendation/{declaration.recommendations[0]}/edit",
                data={"base_revision_id": bases[1], "text": "Rec " + text[:4900], "pillar": "pursue",
                      "themes": ["drugs"]})
    client.post(f"/declarations/{declaration.id}/events/new", data={
        "title": "E " + short[2], "held_on": "2026-10-01", "participants_in_person": "3", "venue": "V " + short[3],
        "organizers": "O " + short[4], "notes": "N " + text})
    post_phase(client, declaration.id, {"target": "consultation",
                                                                "deadline": "2099-01-01T10:00"})
    client.post("/logout")
    login(client, people["member"].email)
    client.post("/account", data={"name": "Name " + short[5][:100], "designation": short[6][:100], "gender": "",
                                  "province": "", "language": "en", "notification_mode": "immediate"})
    thread = f"/declarations/{declaration.id}/section/{declaration.sections[0]}/comments"
    client.post(thread, data={"body": "Comment " + text[:4900]})
    client.post(f"/declarations/{declaration.id}/section/{declaration.sections[1]}/amend",
                data={"text": "Amendment " + text, "rationale": "Because " + text[:4900]})
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.declaration_id == declaration.id))
        amendment = db.session.scalar(select(Amendment).where(Amendment.declaration_id == declaration.id))
        assert comment is not None and amendment is not None  # the texts went in: what follows checks them
        comment_id, amendment_id = comment.id, amendment.id
        for stored in (db.session.get(Section, declaration.sections[0]).current.body_html, comment.body_html,
                       amendment.text_html, amendment.rationale_html,
                       db.session.get(Recommendation, declaration.recommendations[0]).current.text_html):
            assert not unsafe_parts(stored), stored[:300]
    client.post(f"/comments/{comment_id}/flag", data={"reason": "Flag " + text[:400]})
    client.post("/logout")
    rep = people["representative"]
    login(client, rep.email)
    client.post(f"/organizations/{rep.organization_id}/edit", data={
        "name": "Org " + short[7][:150], "acronym": "", "type": "ngo", "province": "", "description": "D " + text})
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post(f"/moderation/comments/{comment_id}", data={"action": "hide", "reason": "Hide " + text[:900]})
    pages = [f"/declarations/{declaration.id}", thread, f"/amendments/{amendment_id}",
             f"/declarations/{declaration.id}/history", f"/declarations/{declaration.id}/events",
             f"/declarations/{declaration.id}/edit", "/declarations", "/moderation", "/moderation/history",
             f"/organizations/{rep.organization_id}", "/organizations", "/search?q=Body", "/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path)
    export = client.get(f"/declarations/{declaration.id}/comments.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"  # served as data, never as a page
    client.post("/logout")
    login(client, people["admin"].email)
    for path in ("/admin/audit", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path)
    # The emails that carried these texts (the consultation's opening, the flag, the moderation decision)
    # are plain text only, with no header a payload's line breaks could have added.
    assert mailbox.wait_for(people["member"].email, "T ")
    for message in mailbox.messages:
        assert message["parts"] == ["text/plain"], message["parts"]
        assert set(message["headers"]) <= MAIL_HEADERS, message["headers"]
        assert "\n" not in message["subject"] and "\r" not in message["subject"]


@pytest.mark.parametrize("html", ['<p><img src=x onerror="alert(1)"></p>', "<script>alert(1)</script>",
                                  '<a href="javascript:alert(1)">x</a>', '<a href=" JavaScript:alert(1)">x</a>',
                                  '<div style="color:red">x</div>', '<iframe srcdoc="x"></iframe>'])
def test_the_page_check_catches_what_it_looks_for(html):
    with pytest.raises(AssertionError):
        assert_inert(f"<html><body>{html}</body></html>", "self-test")
