from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.accounts.models import User
from app.comments.models import Comment, ModerationDecision
from app.declarations.models import Section
from app.extensions import db
from tests.comments.test_comments import _comment, post, thread_url
from tests.helpers import confirmed, login


def _moderate(client, comment_id, action, reason=""):
    return client.post(f"/moderation/comments/{comment_id}", data={"action": action, "reason": reason})


def test_a_hidden_comment_disappears_everywhere_and_the_author_gets_the_reason(app, client, people, consultation,
                                                                               mailbox):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Mentions the witness by name")
    comment = _comment(app, "Mentions the witness by name")
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert "1 comment" in client.get(f"/declarations/{consultation.id}").get_data(as_text=True)
    response = _moderate(client, comment.id, "hide")
    assert response.status_code == 302 and _comment(app, "Mentions the witness by name").status == "published"
    assert _moderate(client, comment.id, "hide", "It identifies a protected witness.").status_code == 302

    assert "Mentions the witness" not in client.get(thread_url(consultation)).get_data(as_text=True)
    assert "0 comments" in client.get(f"/declarations/{consultation.id}").get_data(as_text=True)
    assert "Mentions the witness" not in client.get("/search?q=witness").get_data(as_text=True)
    [message] = mailbox.to(people["member"].email)
    assert "It identifies a protected witness." in message["body"]
    history = client.get("/moderation/history").get_data(as_text=True)
    assert "It identifies a protected witness." in history

    assert _moderate(client, comment.id, "restore").status_code == 302
    assert "Mentions the witness" in client.get(thread_url(consultation)).get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(ModerationDecision.action).order_by(ModerationDecision.id)).all()
    assert actions == ["hide", "restore"]


def test_pre_moderated_comments_are_approved_or_rejected_from_one_queue(app, client, people, make_declaration,
                                                                        mailbox):
    first, second = make_declaration(moderation="pre", title="One"), make_declaration(moderation="pre", title="Two")
    login(client, people["member"].email)
    post(client, thread_url(first), "Approve me")
    post(client, thread_url(second), "Reject me")
    client.post("/logout")
    login(client, people["coordinator"].email)
    queue = client.get("/moderation").get_data(as_text=True)
    assert "Approve me" in queue and "Reject me" in queue
    _moderate(client, _comment(app, "Approve me").id, "approve")
    _moderate(client, _comment(app, "Reject me").id, "reject", "Off topic.")
    assert "Approve me" in client.get(thread_url(first)).get_data(as_text=True)
    assert "Reject me" not in client.get(thread_url(second)).get_data(as_text=True)
    assert "Nothing to moderate." in client.get("/moderation").get_data(as_text=True)
    assert len(mailbox.to(people["member"].email)) >= 2


def test_an_action_that_does_not_fit_the_state_changes_nothing(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Published already")
    comment = _comment(app, "Published already")
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = _moderate(client, comment.id, "approve")
    assert "has changed since the queue was loaded" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ModerationDecision)) is None


def test_members_cannot_moderate(client, people, consultation):
    login(client, people["representative"].email)
    assert client.get("/moderation").status_code == 403
    assert _moderate(client, 1, "hide", "x").status_code == 403


def test_a_coordinator_does_not_moderate_their_own_organization_while_another_exists(app, client, people, make_user,
                                                                                     consultation):
    own_org = people["member"].organization_id
    coordinator = make_user("coordinator", organization=type("O", (), {"id": own_org})(), org_role="member",
                            email="coord2@example.org")
    login(client, people["member"].email)
    post(client, thread_url(consultation), "From our own organization")
    comment = _comment(app, "From our own organization")
    client.post("/logout")
    login(client, coordinator.email)
    assert _moderate(client, comment.id, "hide", "Reason").status_code == 403
    client.post("/logout")
    login(client, people["coordinator"].email)  # the other coordinator may
    assert _moderate(client, comment.id, "hide", "Reason").status_code == 302
    with app.app_context():  # once alone, the coordinator may moderate their own organization
        db.session.get(User, people["coordinator"].id).platform_role = None
        db.session.commit()
    client.post("/logout")
    login(client, coordinator.email)
    assert _moderate(client, comment.id, "restore").status_code == 302
    with app.app_context():
        assert db.session.get(Comment, comment.id).status == "published"


def test_the_moderated_text_stays_in_the_record_when_the_author_deletes_the_comment(app, client, people,
                                                                                    consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Names the informant in Quetta")
    comment = _comment(app, "Names the informant in Quetta")
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert _moderate(client, comment.id, "hide", "It endangers a person.").status_code == 302
    client.post("/logout")
    login(client, people["member"].email)
    assert confirmed(client, f"/comments/{comment.id}/delete").status_code == 302
    client.post("/logout")
    login(client, people["coordinator"].email)
    history = client.get("/moderation/history").get_data(as_text=True)
    assert "Names the informant in Quetta" in history and "since deleted by its author" in history
    with app.app_context():
        [decision] = db.session.scalars(select(ModerationDecision)).all()
        assert decision.text == "Names the informant in Quetta"
        assert db.session.get(Comment, comment.id).body_source == ""  # gone from the public thread


def test_the_queue_is_paged_oldest_first_and_says_how_many_wait(app, client, people, make_declaration):
    declaration = make_declaration(moderation="pre")
    with app.app_context():
        section_id = db.session.scalar(select(Section.id).where(Section.declaration_id == declaration.id).limit(1))
        db.session.execute(insert(Comment), [
            {"declaration_id": declaration.id, "section_id": section_id, "author_id": people["member"].id,
             "organization_id": people["member"].organization_id, "body_source": f"Held {n:02d}",
             "body_html": f"<p>Held {n:02d}</p>", "version_number": 1, "status": "pending",
             "created_at": datetime(2026, 1, 1) + timedelta(minutes=n)} for n in range(30)])
        db.session.commit()
    login(client, people["coordinator"].email)
    first = client.get("/moderation").get_data(as_text=True)
    assert "30 comments wait for a decision." in first
    assert "Held 00" in first and "Held 24" in first and "Held 25" not in first
    assert first.count('class="moderation-form"') == 25
    assert 'href="/moderation?page=2"' in first
    second = client.get("/moderation?page=2").get_data(as_text=True)
    assert "Held 25" in second and "Held 29" in second and "Held 24" not in second
    assert "Held 29" in client.get("/moderation?page=99999").get_data(as_text=True)  # the last page
    assert "Held 00" in client.get("/moderation?page=abc").get_data(as_text=True)


def test_another_coordinator_is_one_outside_the_comments_organization_who_did_not_write_it(
        app, people, make_user, make_organization, consultation):
    from app.comments import services
    home = make_organization("Coastal Women's Network")
    me = make_user("coordinator", organization=home)
    colleague = make_user("coordinator", organization=home)
    writer = make_user(organization=home, org_role="member")
    with app.app_context():
        actor = db.session.get(User, me.id)
        people_coordinator = db.session.get(User, people["coordinator"].id)

        def comment(author, organization):
            return Comment(author_id=author.id, organization_id=organization.id if organization else None)

        # the fixture's coordinator (no organization) is another coordinator for a comment from `home`
        assert services.another_coordinator_exists(actor, comment(writer, home))
        people_coordinator.active = False  # now only a colleague of the same organization is left
        db.session.flush()
        assert not services.another_coordinator_exists(actor, comment(writer, home))
        assert services.another_coordinator_exists(actor, comment(writer, None))  # the colleague, for a comment
        assert not services.another_coordinator_exists(actor, comment(colleague, None))  # … they did not write
        people_coordinator.active = True
        db.session.flush()
        assert not services.another_coordinator_exists(actor, comment(people_coordinator, home))  # wrote it
        groups = services.other_coordinators(actor)
        assert {(o, n) for o, n, _lowest in groups} == {(None, 1), (home.id, 1)}
        db.session.rollback()
