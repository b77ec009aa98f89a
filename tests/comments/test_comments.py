from datetime import timedelta

from sqlalchemy import select

from app.comments.models import Comment
from app.declarations.models import Declaration
from app.extensions import db
from app.time import utcnow
from tests.helpers import confirmed, login, post_phase


def thread_url(d, kind="section", index=0):
    items = d.sections if kind == "section" else d.recommendations
    return f"/declarations/{d.id}/{kind}/{items[index]}/comments"


def post(client, url, body, **extra):
    return client.post(url, data={"body": body, **extra})


def _comment(app, body):
    with app.app_context():
        return db.session.scalar(select(Comment).where(Comment.body_source == body))


def test_a_member_comments_on_a_section_and_it_is_published(app, client, people, consultation):
    login(client, people["member"].email)
    response = post(client, thread_url(consultation), "Please cite **article 6**.")
    assert response.status_code == 302
    page = client.get(thread_url(consultation)).get_data(as_text=True)
    assert "Please cite <strong>article 6</strong>." in page
    comment = _comment(app, "Please cite **article 6**.")
    assert comment.status == "published" and comment.version_number == 1
    assert comment.organization_id == people["member"].organization_id


def test_replies_nest_under_what_they_answer_three_levels_deep_and_deeper_replies_join_the_third(
        app, client, people, consultation, mailbox):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "First")
    first = _comment(app, "First")
    client.post("/logout")
    login(client, people["representative"].email)
    post(client, thread_url(consultation), "Second", parent_id=str(first.id))
    second = _comment(app, "Second")
    post(client, thread_url(consultation), "Third", parent_id=str(second.id))
    third = _comment(app, "Third")
    post(client, thread_url(consultation), "Fourth", parent_id=str(third.id))
    assert second.parent_id == first.id and third.parent_id == second.id
    assert _comment(app, "Fourth").parent_id == second.id  # beside "Third", which it answers
    assert mailbox.to(people["member"].email)  # the author of the first comment is told about the reply


def test_a_reply_must_belong_to_the_same_text(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation, index=0), "On the preamble")
    other = _comment(app, "On the preamble")
    response = post(client, thread_url(consultation, index=1), "Misplaced", parent_id=str(other.id))
    assert response.status_code == 422
    assert _comment(app, "Misplaced") is None


def test_with_pre_moderation_a_comment_waits_and_its_author_sees_it(app, client, people, make_declaration):
    d = make_declaration(moderation="pre")
    login(client, people["member"].email)
    post(client, thread_url(d), "Waiting for approval")
    page = client.get(thread_url(d)).get_data(as_text=True)
    assert "Waiting for approval" in page and "awaiting moderation" in page
    client.post("/logout")
    login(client, people["representative"].email)
    assert "Waiting for approval" not in client.get(thread_url(d)).get_data(as_text=True)
    assert "0 comments" in client.get(f"/declarations/{d.id}").get_data(as_text=True)


def test_an_author_edits_within_15_minutes_but_not_after(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Original")
    comment = _comment(app, "Original")
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Corrected"}).status_code == 302
    with app.app_context():
        row = db.session.get(Comment, comment.id)
        assert row.body_source == "Corrected" and row.edited_at is not None
        row.created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Too late"})
    assert response.status_code == 422 and "15 minutes" in response.get_data(as_text=True)


def test_nobody_else_edits_or_deletes_a_comment(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Mine")
    comment = _comment(app, "Mine")
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Theirs"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403


def test_a_deleted_comment_leaves_a_tombstone_so_replies_keep_their_place(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Parent text")
    parent = _comment(app, "Parent text")
    client.post("/logout")
    login(client, people["representative"].email)
    post(client, thread_url(consultation), "The reply", parent_id=str(parent.id))
    client.post("/logout")
    login(client, people["member"].email)
    assert confirmed(client, f"/comments/{parent.id}/delete").status_code == 302
    page = client.get(thread_url(consultation)).get_data(as_text=True)
    assert "Parent text" not in page and "deleted by its author" in page and "The reply" in page


def test_anyone_logged_in_may_flag_with_a_reason(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Flag me")
    comment = _comment(app, "Flag me")
    client.post("/logout")
    login(client, people["reviewer"].email)  # cannot see a members-only declaration, so cannot flag in it
    assert client.get(f"/comments/{comment.id}/flag").status_code == 404
    client.post("/logout")
    login(client, people["representative"].email)
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": ""})
    assert response.status_code == 422
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "Names a victim"}).status_code == 302
    client.post("/logout")
    login(client, people["coordinator"].email)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Flag me" in page and "Names a victim" in page


def test_a_comment_shows_the_version_it_was_written_on_in_later_versions(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Written on one")
    client.post("/logout")
    login(client, people["coordinator"].email)
    post_phase(client, consultation.id, {"target": "revision"})
    page = client.get(thread_url(consultation)).get_data(as_text=True)
    assert "written on version 1" in page


def test_long_threads_are_paginated(app, client, people, consultation):
    from app.accounts.models import User
    from app.comments.services import add_comment
    from app.declarations.models import Section
    with app.app_context():
        member = db.session.get(User, people["member"].id)
        declaration = db.session.get(Declaration, consultation.id)
        section = db.session.get(Section, consultation.sections[0])
        for n in range(45):
            add_comment(member, declaration, body=f"Numbered comment {n:02d}", section=section)
        db.session.commit()
    login(client, people["member"].email)
    first = client.get(thread_url(consultation)).get_data(as_text=True)
    third = client.get(thread_url(consultation) + "?page=3").get_data(as_text=True)
    assert "Numbered comment 00" in first and "Numbered comment 44" not in first and "Page 1 of 3" in first
    assert "Numbered comment 44" in third


def test_an_empty_or_overlong_comment_is_refused_and_kept(client, people, consultation):
    login(client, people["member"].email)
    long = "x" * 5001
    response = post(client, thread_url(consultation), long)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert long in body and "5,001 characters; the limit is 5,000." in body
    assert post(client, thread_url(consultation), "").status_code == 422


def test_visitors_must_log_in_to_comment(client, make_declaration):
    d = make_declaration(visibility="public")
    page = client.get(thread_url(d)).get_data(as_text=True)
    assert "Log in to comment." in page
    response = post(client, thread_url(d), "Anonymous")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_reviewers_cannot_comment_on_a_public_declaration(client, people, make_declaration):
    d = make_declaration(visibility="public")
    login(client, people["reviewer"].email)
    assert post(client, thread_url(d), "From government").status_code == 403


def _close_consultation(app, declaration_id):
    with app.app_context():
        db.session.get(Declaration, declaration_id).consultation_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()


def test_after_the_consultation_closes_deleting_is_refused_with_a_message_and_not_offered(app, client, people,
                                                                                          consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Written while it was open")
    comment = _comment(app, "Written while it was open")
    assert f'href="/comments/{comment.id}/delete"' in client.get(thread_url(consultation)).get_data(as_text=True)
    _close_consultation(app, consultation.id)
    page = client.get(thread_url(consultation)).get_data(as_text=True)
    assert "Written while it was open" in page and f'href="/comments/{comment.id}/delete"' not in page
    assert ">Edit<" not in page
    response = confirmed(client, f"/comments/{comment.id}/delete", follow_redirects=True)
    assert response.status_code == 200 and "consultation closed" in response.get_data(as_text=True)
    assert _comment(app, "Written while it was open").deleted_at is None


def test_the_edit_window_is_told_in_the_plural_form_its_length_needs(app, client, people, consultation, monkeypatch):
    from app.comments import services

    monkeypatch.setattr(services, "EDIT_WINDOW", timedelta(minutes=1))
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Original")
    comment = _comment(app, "Original")
    assert "can be edited for 1 minute after posting." in client.get(f"/comments/{comment.id}/edit").get_data(
        as_text=True)
    with app.app_context():
        db.session.get(Comment, comment.id).created_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Too late"})
    assert response.status_code == 422
    assert "Comments can be edited for 1 minute after posting." in response.get_data(as_text=True)
