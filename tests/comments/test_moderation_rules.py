"""The finer moderation rules: edits under pre-moderation, replies under hidden comments, who decides."""
from datetime import timedelta

from sqlalchemy import select

from app.comments.models import Comment
from app.declarations.models import Declaration
from app.extensions import db
from app.search.models import SearchDocument
from app.search.services import search
from app.time import utcnow
from tests.comments.test_comments import _comment, post, thread_url
from tests.comments.test_moderation import _moderate
from tests.helpers import confirmed, login


def test_an_approved_comment_edited_under_pre_moderation_waits_again(app, client, people, make_declaration):
    d = make_declaration(moderation="pre")
    login(client, people["member"].email)
    post(client, thread_url(d), "Polite words")
    comment = _comment(app, "Polite words")
    client.post("/logout")
    login(client, people["coordinator"].email)
    _moderate(client, comment.id, "approve")
    client.post("/logout")
    login(client, people["member"].email)
    client.post(f"/comments/{comment.id}/edit", data={"body": "Rude words"})
    with app.app_context():
        assert db.session.get(Comment, comment.id).status == "pending"
    client.post("/logout")
    login(client, people["representative"].email)
    assert "Rude words" not in client.get(thread_url(d)).get_data(as_text=True)


def test_replies_under_a_hidden_comment_stay_under_its_placeholder_and_take_no_new_replies(app, client, people,
                                                                                        consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "To be hidden")
    parent = _comment(app, "To be hidden")
    client.post("/logout")
    login(client, people["representative"].email)
    post(client, thread_url(consultation), "A useful reply", parent_id=str(parent.id))
    client.post("/logout")
    login(client, people["coordinator"].email)
    _moderate(client, parent.id, "hide", "Personal attack")
    page = client.get(thread_url(consultation)).get_data(as_text=True)
    assert "To be hidden" not in page and "Hidden by a moderator on" in page and "A useful reply" in page
    client.post("/logout")
    login(client, people["member"].email)
    reply = _comment(app, "A useful reply")
    response = post(client, thread_url(consultation), "Reply in a hidden thread", parent_id=str(reply.id))
    assert response.status_code == 422


def test_a_reply_to_a_reply_notifies_the_person_answered(app, client, people, consultation, mailbox):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Start")
    client.post("/logout")
    login(client, people["representative"].email)
    post(client, thread_url(consultation), "Middle", parent_id=str(_comment(app, "Start").id))
    client.post("/logout")
    login(client, people["expert"].email)
    mailbox.clear()
    post(client, thread_url(consultation), "End", parent_id=str(_comment(app, "Middle").id))
    assert mailbox.to(people["representative"].email) and not mailbox.to(people["member"].email)


def test_coordinators_of_the_same_organization_leave_it_to_one_from_outside(app, client, people, make_user,
                                                                            consultation):
    org = type("O", (), {"id": people["member"].organization_id})()
    first = make_user("coordinator", organization=org, org_role="member", email="c1@example.org")
    make_user("coordinator", organization=org, org_role="member", email="c2@example.org")
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Own organization")
    comment = _comment(app, "Own organization")
    client.post("/logout")
    login(client, first.email)  # the other same-organization coordinator does not count as "another"
    assert _moderate(client, comment.id, "hide", "x").status_code == 403
    client.post("/logout")
    login(client, people["coordinator"].email)  # the coordinator from outside decides
    assert _moderate(client, comment.id, "hide", "x").status_code == 302


def test_a_coordinator_does_not_approve_their_own_comment_while_another_exists(app, client, people, make_user,
                                                                              make_declaration):
    d = make_declaration(moderation="pre")
    make_user("coordinator", email="other.coordinator@example.org")
    login(client, people["coordinator"].email)
    post(client, thread_url(d), "My own remark")
    assert _moderate(client, _comment(app, "My own remark").id, "approve").status_code == 403


def test_after_the_deadline_nothing_changes_in_the_consultation(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Before the deadline")
    comment = _comment(app, "Before the deadline")
    with app.app_context():
        db.session.get(Declaration, consultation.id).consultation_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Changed"}).status_code == 422
    confirmed(client, f"/comments/{comment.id}/delete")
    response = client.post(f"/declarations/{consultation.id}/recommendation/{consultation.recommendations[0]}/amend",
                           data={"text": "Late idea", "rationale": "Late"})
    assert response.status_code == 422 and "The consultation closed on" in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Comment, comment.id)
        assert row.body_source == "Before the deadline" and row.deleted_at is None


def test_search_checks_moderation_again_when_reading(app, people, consultation):
    """Even if an index row were left behind, a comment that is not published is never a result."""
    from app.accounts.models import User
    from app.comments.services import add_comment
    from app.declarations.models import Section
    with app.app_context():
        comment = add_comment(db.session.get(User, people["member"].id), db.session.get(Declaration, consultation.id),
                              body="Leftover kilns", section=db.session.get(Section, consultation.sections[0]))
        comment.status = "hidden"  # as if hidden without the index being updated
        db.session.commit()
        assert db.session.scalar(select(SearchDocument).where(SearchDocument.object_id == comment.id)) is not None
        assert search("kilns", db.session.get(User, people["coordinator"].id)) == []


def test_search_is_not_crowded_out_by_documents_the_reader_cannot_see(app, people, make_declaration):
    from app.accounts.models import User
    from app.declarations import services
    hidden = make_declaration(visibility="members", title="Members")
    public = make_declaration(visibility="public", title="Public")
    with app.app_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, hidden.id)
        declaration.phase = "drafting"
        for n in range(60):
            services.add_recommendation(coordinator, declaration, text=f"Shelters for everyone {n}", pillar="protect",
                                        themes=["victims"], addressees=[], convention_articles="")
        declaration.phase = "consultation"
        db.session.commit()
        results = search("shelters", None, limit=5)
    assert [r["declaration"].id for r in results] == [public.id]
