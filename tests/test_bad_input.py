"""Dangerous input through every text field: what is stored and what is shown stays harmless."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.amendments.models import Amendment
from app.comments.models import Comment
from app.declarations.models import Declaration, Recommendation, Section
from app.extensions import db
from tests.helpers import login, post_phase
from tests.test_markup import DANGEROUS, unsafe_parts

PAYLOADS = DANGEROUS


def assert_harmless(html: str):
    """No script, no event handlers, no dangerous URLs, no svg/math/iframe in the page."""
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "iframe", "svg", "math", "object", "embed", "style"]), soup.find_all("script")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on") and name.lower() != "style", (tag.name, name)
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name in ("href", "src", "action"):
                assert not text.strip().lower().startswith(("javascript:", "data:", "vbscript:")), text


def assert_stored_clean(value: str):
    """Stored HTML has only allowed elements and safe links; dangerous text may remain, shown as text."""
    assert not unsafe_parts(value), value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_fields_store_and_show_only_clean_html(app, client, people, make_declaration, payload):
    d = make_declaration(phase="revision")
    login(client, people["coordinator"].email)
    with app.app_context():
        section = db.session.get(Section, d.sections[0])
        rec = db.session.get(Recommendation, d.recommendations[0])
        bases = section.current_revision_id, rec.current_revision_id
    client.post(f"/declarations/{d.id}/section/{d.sections[0]}/edit",
                data={"base_revision_id": bases[0], "heading": "H " + payload, "body": "Body " + payload})
    client.post(f"/declarations/{d.id}/recommendation/{d.recommendations[0]}/edit",
                data={"base_revision_id": bases[1], "text": "Rec " + payload, "pillar": "pursue",
                      "themes": ["drugs"]})
    post_phase(client, d.id, {"target": "consultation", "deadline": "2099-01-01T10:00"})
    client.post("/logout")
    login(client, people["member"].email)
    thread = f"/declarations/{d.id}/section/{d.sections[0]}/comments"
    client.post(thread, data={"body": "Comment " + payload})
    client.post(f"/declarations/{d.id}/section/{d.sections[1]}/amend",
                data={"text": "Amendment " + payload, "rationale": "Because " + payload})
    with app.app_context():
        section = db.session.get(Section, d.sections[0])
        rec = db.session.get(Recommendation, d.recommendations[0])
        comment = db.session.scalar(select(Comment).where(Comment.declaration_id == d.id))
        amendment = db.session.scalar(select(Amendment).where(Amendment.declaration_id == d.id))
        # Every save went through: the checks below look at the dangerous text, not the fixture's.
        assert section.current.number == 2 and rec.current.number == 2
        assert comment.body_source == "Comment " + payload and amendment.rationale_source == "Because " + payload
        for stored in (section.current.body_html, rec.current.text_html, comment.body_html, amendment.text_html,
                       amendment.rationale_html):
            assert_stored_clean(stored)
        amendment_id, comment_id = amendment.id, comment.id
    # Reasons typed by people: a flag, then a moderator's decision and an amendment decision.
    client.post("/logout")
    login(client, people["representative"].email)
    client.post(f"/comments/{comment_id}/flag", data={"reason": "Flag " + payload[:400]})
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert "Flag " in client.get("/moderation").get_data(as_text=True)
    assert_harmless(client.get("/moderation").get_data(as_text=True))
    client.post(f"/moderation/comments/{comment_id}", data={"action": "hide", "reason": "Hide " + payload[:900]})
    client.post(f"/moderation/comments/{comment_id}", data={"action": "restore"})
    assert_harmless(client.get("/moderation/history").get_data(as_text=True))
    post_phase(client, d.id, {"target": "revision"})
    client.post(f"/amendments/{amendment_id}/reject", data={"reason": "No " + payload})
    with app.app_context():
        assert db.session.get(Amendment, amendment_id).decision_reason == "No " + payload.strip()
    for path in (f"/declarations/{d.id}", thread, f"/amendments/{amendment_id}", f"/declarations/{d.id}/history",
                 f"/declarations/{d.id}/compare?from=1&to=2", "/search?q=Body"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_harmless(response.get_data(as_text=True))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_fields_are_escaped_when_shown(app, client, people, make_organization, payload):
    login(client, people["coordinator"].email)
    client.post("/declarations/new", data={"kind": "declaration", "title": "T " + payload, "summary": "S " + payload,
                                           "moderation": "post", "visibility": "public"})
    with app.app_context():
        declaration = db.session.scalar(select(Declaration).order_by(Declaration.id.desc()))
        assert declaration.title == "T " + payload.strip()  # stored as typed, escaped when shown
    response = client.post(f"/declarations/{declaration.id}/events/new",
                           data={"title": "E " + payload[:190], "held_on": "2026-10-01", "participants_in_person": "3",
                                 "venue": "V " + payload[:190], "organizers": "O " + payload[:290],
                                 "notes": "N " + payload})
    assert response.status_code == 302
    for path in (f"/declarations/{declaration.id}/edit", f"/declarations/{declaration.id}/events", "/declarations"):
        assert_harmless(client.get(path).get_data(as_text=True))
    client.post("/logout")
    rep = people["representative"]
    login(client, rep.email)
    client.post("/account", data={"name": "Name " + payload[:100], "designation": "", "gender": "", "province": "",
                                  "language": "en", "notification_mode": "immediate"})
    client.post(f"/organizations/{rep.organization_id}/edit",
                data={"name": "Org " + payload[:150], "acronym": "", "type": "ngo", "province": "",
                      "description": "D " + payload})
    for path in ("/account", f"/organizations/{rep.organization_id}", "/organizations", "/"):
        assert_harmless(client.get(path).get_data(as_text=True))
