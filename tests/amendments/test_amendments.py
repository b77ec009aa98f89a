from sqlalchemy import select

from app.amendments.models import Amendment
from app.declarations.models import Recommendation, RecommendationRevision, Section
from app.extensions import db
from tests.helpers import login, post_phase


def propose(client, d, kind="recommendation", index=1, text="Open shelters in every district.", rationale="Closer."):
    items = d.recommendations if kind == "recommendation" else d.sections
    return client.post(f"/declarations/{d.id}/{kind}/{items[index]}/amend", data={"text": text, "rationale": rationale})


def _amendment(app):
    with app.app_context():
        return db.session.scalar(select(Amendment).order_by(Amendment.id.desc()))


def _close(client, d):
    return post_phase(client, d.id, {"target": "revision"})


def test_a_member_proposes_and_others_discuss(app, client, people, consultation):
    login(client, people["member"].email)
    response = propose(client, consultation)
    assert response.status_code == 302
    amendment = _amendment(app)
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "<del>province</del>" in page and "<ins>district</ins>" in page and "Closer." in page
    client.post("/logout")
    login(client, people["representative"].email)
    assert client.post(f"/amendments/{amendment.id}", data={"body": "We agree with this change."}).status_code == 302
    assert "We agree with this change." in client.get(f"/amendments/{amendment.id}").get_data(as_text=True)


def test_a_proposal_that_changes_nothing_is_refused(client, people, consultation):
    login(client, people["member"].email)
    response = propose(client, consultation, text="Open shelters in every province.")
    assert response.status_code == 422 and "same as the current text" in response.get_data(as_text=True)


def test_accepting_makes_a_revision_credited_to_the_proposer(app, client, people, consultation, mailbox):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = client.post(f"/amendments/{amendment.id}/accept")
    assert "revision phase" in client.get(response.headers["Location"]).get_data(as_text=True)
    _close(client, consultation)
    assert client.post(f"/amendments/{amendment.id}/accept").status_code == 302
    with app.app_context():
        rec = db.session.get(Recommendation, consultation.recommendations[1])
        assert rec.current.text_source == "Open shelters in every district."
        assert rec.current.author_id == people["member"].id and rec.current.amendment_id == amendment.id
        assert rec.current.pillar == "protect"
        assert db.session.get(Amendment, amendment.id).status == "accepted"
    assert any("accepted" in m["subject"] for m in mailbox.to(people["member"].email))


def test_a_changed_target_asks_for_a_manual_merge(app, client, people, consultation):
    login(client, people["member"].email)
    propose(client, consultation, kind="section", index=1, text="Trafficking is rising in Sindh.")
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    _close(client, consultation)
    section_id = consultation.sections[1]
    with app.app_context():
        base = db.session.get(Section, section_id).current_revision_id
    client.post(f"/declarations/{consultation.id}/section/{section_id}/edit",
                data={"base_revision_id": base, "heading": "Context", "body": "Trafficking is rising, say reports."})
    response = client.post(f"/amendments/{amendment.id}/accept")
    assert response.headers["Location"].endswith(f"/amendments/{amendment.id}/merge")
    merge = client.get(f"/amendments/{amendment.id}/merge")
    assert merge.status_code == 409 and "say reports" in merge.get_data(as_text=True)
    with app.app_context():
        current = db.session.get(Section, section_id).current_revision_id
    client.post(f"/amendments/{amendment.id}/merge",
                data={"base_revision_id": current, "text": "Trafficking is rising in Sindh, say reports."})
    with app.app_context():
        section = db.session.get(Section, section_id)
        assert section.current.body_source == "Trafficking is rising in Sindh, say reports."
        assert section.current.author_id == people["member"].id


def test_rejecting_needs_a_reason_which_the_proposer_sees(app, client, people, consultation, mailbox):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post(f"/amendments/{amendment.id}/reject", data={"reason": "Too early"})
    assert _amendment(app).status == "pending"  # decided only once the consultation is closed
    _close(client, consultation)
    client.post(f"/amendments/{amendment.id}/reject", data={"reason": ""})
    assert _amendment(app).status == "pending"
    client.post(f"/amendments/{amendment.id}/reject", data={"reason": "Districts are too many to fund."})
    assert _amendment(app).status == "rejected"
    assert any("Districts are too many" in m["body"] for m in mailbox.to(people["member"].email))
    response = client.post(f"/amendments/{amendment.id}/accept")  # decided already: nothing changes
    assert "already been decided" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(RecommendationRevision).where(
            RecommendationRevision.amendment_id == amendment.id)) is None


def test_members_cannot_decide_and_proposals_close_with_the_consultation(app, client, people, consultation):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    assert client.post(f"/amendments/{amendment.id}/accept").status_code == 403
    client.post("/logout")
    login(client, people["coordinator"].email)
    _close(client, consultation)
    client.post("/logout")
    login(client, people["member"].email)
    response = propose(client, consultation, text="Another idea")
    assert response.status_code == 422 and "only during consultation" in response.get_data(as_text=True)


def test_a_coordinator_takes_down_an_abusive_amendment_and_the_proposer_is_told(app, client, people, consultation,
                                                                               mailbox):
    login(client, people["member"].email)
    propose(client, consultation, text="Abusive words", rationale="Abuse")
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post(f"/amendments/{amendment.id}/hide", data={"reason": ""})
    assert _amendment(app).hidden_at is None  # a reason is needed
    client.post(f"/amendments/{amendment.id}/hide", data={"reason": "Insults a survivor."})
    assert _amendment(app).hidden_at is not None
    assert "taken down" in client.get(f"/declarations/{consultation.id}/amendments").get_data(as_text=True)
    assert any("Insults a survivor." in m["body"] for m in mailbox.to(people["member"].email))
    client.post("/logout")
    login(client, people["representative"].email)
    assert client.get(f"/amendments/{amendment.id}").status_code == 404
    assert "Abuse" not in client.get(f"/declarations/{consultation.id}/amendments").get_data(as_text=True)
