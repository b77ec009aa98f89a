import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.declarations.models import Declaration, Recommendation, RecommendationRevision, Section, SectionRevision
from app.extensions import db
from tests.helpers import confirmed, login

REC = {"text": "Fund shelters.", "pillar": "protect", "themes": ["victims"], "convention_articles": ""}


def test_a_coordinator_creates_a_declaration_and_adds_text(app, client, people):
    login(client, people["coordinator"].email)
    response = client.post("/declarations/new", data={"kind": "declaration", "title": "Lahore Declaration",
                                                      "summary": "", "moderation": "pre", "visibility": "public"})
    assert response.status_code == 302
    with app.app_context():
        declaration = db.session.scalar(select(Declaration).where(Declaration.title == "Lahore Declaration"))
        assert declaration.phase == "drafting" and declaration.moderation == "pre"
    assert client.post(f"/declarations/{declaration.id}/section/new",
                       data={"heading": "Preamble", "body": "We **demand**."}).status_code == 302
    assert client.post(f"/declarations/{declaration.id}/recommendation/new",
                       data={**REC, "addressees": [str(people["reviewer"].institution_id)]}).status_code == 302
    page = client.get(f"/declarations/{declaration.id}/edit").get_data(as_text=True)
    assert "We <strong>demand</strong>." in page and "Fund shelters." in page


def test_members_and_reviewers_cannot_create_declarations(client, people):
    for role in ("member", "representative", "reviewer", "admin"):
        login(client, people[role].email)
        assert client.get("/declarations/new").status_code == 403
        client.post("/logout")


def test_every_save_is_a_new_immutable_revision(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    section_id = d.sections[0]
    login(client, people["coordinator"].email)
    for n in range(2):
        with app.app_context():
            base = db.session.get(Section, section_id).current_revision_id
        response = client.post(f"/declarations/{d.id}/section/{section_id}/edit",
                               data={"base_revision_id": str(base), "heading": "Preamble", "body": f"Text number {n}"})
        assert response.status_code == 302
    with app.app_context():
        revisions = db.session.scalars(select(SectionRevision).where(SectionRevision.section_id == section_id)
                                       .order_by(SectionRevision.number)).all()
        assert [r.number for r in revisions] == [1, 2, 3]
        assert revisions[0].body_source == "We, the organizations, **demand** action."
        assert revisions[0].body_html == "<p>We, the organizations, <strong>demand</strong> action.</p>"


def test_a_save_from_a_stale_revision_gets_the_conflict_page_with_both_texts(app, people, make_declaration):
    d = make_declaration(phase="drafting")
    section_id = d.sections[0]
    alice, bob = app.test_client(), app.test_client()
    login(alice, people["coordinator"].email)
    login(bob, people["coordinator"].email)
    with app.app_context():
        base = db.session.get(Section, section_id).current_revision_id
    url = f"/declarations/{d.id}/section/{section_id}/edit"
    assert alice.post(url, data={"base_revision_id": base, "heading": "Preamble",
                                 "body": "Alice's words"}).status_code == 302
    response = bob.post(url, data={"base_revision_id": base, "heading": "Preamble", "body": "Bob's words"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this text" in body and "Alice&#39;s words" in body and "Bob&#39;s words" in body
    with app.app_context():
        assert db.session.get(Section, section_id).current.body_source == "Alice's words"
        current = db.session.get(Section, section_id).current_revision_id
    # Saving again from the conflict page (which carries the new base) replaces the text knowingly.
    assert bob.post(url, data={"base_revision_id": current, "heading": "Preamble",
                               "body": "Bob's words"}).status_code == 302


def test_recommendations_are_reordered_and_deleted_with_history_kept(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    first, second, third = d.recommendations
    assert client.post(f"/declarations/{d.id}/recommendation/{second}/up").status_code == 302
    confirmed(client, f"/declarations/{d.id}/recommendation/{third}/delete")
    with app.app_context():
        order = db.session.scalars(select(Recommendation.id).where(Recommendation.declaration_id == d.id,
                                                                   Recommendation.deleted_at.is_(None))
                                   .order_by(Recommendation.position)).all()
        assert order == [second, first]
        assert db.session.scalar(select(func.count()).select_from(RecommendationRevision)
                                 .where(RecommendationRevision.recommendation_id == third)) == 1
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "recommendation_moved" in actions and "recommendation_deleted" in actions


def test_the_text_cannot_be_changed_during_consultation(app, client, people, consultation):
    login(client, people["coordinator"].email)
    section_id = consultation.sections[0]
    with app.app_context():
        base = db.session.get(Section, section_id).current_revision_id
    response = client.post(f"/declarations/{consultation.id}/section/{section_id}/edit",
                           data={"base_revision_id": base, "heading": "Preamble", "body": "Changed"})
    assert response.status_code == 422
    assert "only be changed while drafting or in revision" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Section, section_id).current_revision_id == base


def test_a_co_drafter_may_edit_and_other_members_may_not(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["member"].email)
    assert client.get(f"/declarations/{d.id}/edit").status_code == 404  # drafts are not revealed
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post(f"/declarations/{d.id}/drafters", data={"drafters": [str(people["expert"].id)]})
    client.post("/logout")
    login(client, people["expert"].email)
    assert client.post(f"/declarations/{d.id}/section/new", data={"heading": "Annex", "body": "By the expert."}
                       ).status_code == 302
    assert client.post(f"/declarations/{d.id}/drafters", data={"drafters": []}).status_code == 403


def test_a_recommendation_needs_a_pillar_and_a_theme_and_keeps_the_text(client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    response = client.post(f"/declarations/{d.id}/recommendation/new", data={"text": "Kept wording", "pillar": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kept wording" in body and "Choose at least one theme." in body


@pytest.mark.parametrize("path", ["/declarations/999999", "/declarations/999999/edit",
                                  "/declarations/1/section/999999/edit",
                                  "/declarations/1/recommendation/999999/comments"])
def test_unknown_ids_give_404(client, people, consultation, path):
    login(client, people["coordinator"].email)
    assert client.get(path).status_code == 404


def test_an_item_of_another_declaration_gives_404(client, people, make_declaration):
    first, second = make_declaration(title="First"), make_declaration(title="Second")
    login(client, people["coordinator"].email)
    assert client.get(f"/declarations/{first.id}/section/{second.sections[0]}/comments").status_code == 404
