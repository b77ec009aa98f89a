"""No success message reaches a person for work that was rolled back: views flash before the request's single
commit (app/__init__.py, finish_unit_of_work), so a commit that fails must take the message back before the
error page is drawn and before the session cookie is written."""
import sqlite3

import psycopg
import pytest
from flask import flash, render_template_string
from sqlalchemy import event, func, select

from app.comments.models import Comment
from app.extensions import db
from app.organizations.models import Organization
from tests.helpers import login

PUBLISHED = "Your comment has been published."
UPDATED = "Your comment has been updated."


def _comments(app, body=None):
    with app.app_context():
        query = select(func.count()).select_from(Comment)
        if body is not None:
            query = query.where(Comment.body_source == body)
        return db.session.scalar(query)


class FailingCommit:
    """Makes the next commit fail, once: either the driver's COMMIT (the connection dropped) or a hook
    that runs before it (any error in the ORM's flush)."""

    def __init__(self, app, how):
        self.app, self.how = app, how
        with app.app_context():
            self.engine = db.engine
            self.error = psycopg.OperationalError if self.engine.dialect.name == "postgresql" \
                else sqlite3.OperationalError

    def __enter__(self):
        if self.how == "driver":
            self.original = self.engine.dialect.do_commit
            self.engine.dialect.do_commit = self._driver
        else:
            event.listen(db.session, "before_commit", self._hook)
        return self

    def _driver(self, _dbapi_connection):
        raise self.error("connection lost during COMMIT (injected)")

    def _hook(self, _session):
        raise RuntimeError("the commit failed (injected)")

    def __exit__(self, *_exc):
        if self.how == "driver":
            self.engine.dialect.do_commit = self.original
        else:
            event.remove(db.session, "before_commit", self._hook)


@pytest.fixture
def production_errors(make_app):
    """The app as production runs it: an exception becomes the error page instead of reaching the test."""
    return make_app(PROPAGATE_EXCEPTIONS=False)


def _thread(consultation):
    return f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments"


@pytest.mark.parametrize("how", ["driver", "hook"])
def test_a_comment_whose_commit_fails_is_not_announced_as_posted_on_the_error_page_or_the_next_page(
        production_errors, people, consultation, how):
    app = production_errors
    client = app.test_client()
    login(client, people["member"].email)
    with FailingCommit(app, how):
        failed = client.post(_thread(consultation), data={"body": "Shelters need funding."})
    assert failed.status_code in (500, 503)
    assert PUBLISHED not in failed.get_data(as_text=True)
    assert _comments(app) == 0
    following = client.get(_thread(consultation))
    assert following.status_code == 200
    assert PUBLISHED not in following.get_data(as_text=True)
    assert "Shelters need funding." not in following.get_data(as_text=True)


def test_a_message_for_work_that_was_kept_survives_a_later_request_that_failed(production_errors, people,
                                                                                consultation):
    """The first comment is in and its message waits for the next page; the edit that follows fails: the
    pages that follow say once that the comment was published, never that it was updated."""
    app = production_errors
    client = app.test_client()
    login(client, people["member"].email)
    posted = client.post(_thread(consultation), data={"body": "First words."})
    assert posted.status_code in (302, 303)
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    with FailingCommit(app, "driver"):
        failed = client.post(f"/comments/{comment_id}/edit", data={"body": "Second words."})
    assert failed.status_code in (500, 503)
    shown = failed.get_data(as_text=True) + client.get(_thread(consultation)).get_data(as_text=True)
    assert shown.count(PUBLISHED) == 1
    assert UPDATED not in shown
    assert _comments(app, "Second words.") == 0 and _comments(app, "First words.") == 1


def test_a_page_that_showed_its_message_before_the_commit_failed_is_replaced_by_the_error_page_alone(
        production_errors, people):
    """A view that flashes and draws a page at once (the page takes the message), then the commit fails."""
    app = production_errors

    @app.route("/test-only/flash-and-render", methods=["POST"])
    def flash_and_render():
        db.session.add(Organization(name="Written, then rolled back", type="ngo"))
        flash("The organization has been saved.", "success")
        return render_template_string("{% extends 'base.html' %}{% block content %}done{% endblock %}")

    client = app.test_client()
    login(client, people["member"].email)
    with FailingCommit(app, "driver"):
        failed = client.post("/test-only/flash-and-render")
    assert failed.status_code in (500, 503)
    assert "has been saved" not in failed.get_data(as_text=True)
    assert "has been saved" not in client.get("/account").get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(Organization).where(Organization.name == "Written, then rolled back"))


def test_a_refusal_message_is_kept_when_the_request_then_fails(production_errors, people):
    """What did not happen stays true whatever happened next: only messages about done work are taken back."""
    app = production_errors

    @app.route("/test-only/refuse-then-fail", methods=["POST"])
    def refuse_then_fail():
        db.session.add(Organization(name="Rolled back", type="ngo"))
        flash("The deadline has passed.", "error")
        flash("Everything else was saved.", "success")
        return "", 303, {"Location": "/account"}

    client = app.test_client()
    login(client, people["member"].email)
    with FailingCommit(app, "hook"):
        failed = client.post("/test-only/refuse-then-fail")
    page = failed.get_data(as_text=True) + client.get("/account").get_data(as_text=True)
    assert "The deadline has passed." in page
    assert "Everything else was saved." not in page
