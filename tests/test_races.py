"""Two requests acting on the same object at the same moment, each in its own transaction (its own thread
and database connection): the first writes and holds its transaction open, the second starts meanwhile
and must wait, then find the object moved on and be refused — never undo or overwrite the first. Runs on
SQLite and, in the PostgreSQL stage, on PostgreSQL (where the second waits on the row lock).

Pairs covered here: a moderator's decision against the author's edit and delete, two moderators deciding
the same comment, two coordinators deciding the same amendment (accept against reject) and hiding it, and
two coordinators moving the same declaration. The government's answers: tests/responses/test_races.py;
signatures against the submission: tests/submissions/test_submit.py and tests/signatures/test_races.py.
"""
import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.amendments import services as amendments
from app.amendments.models import Amendment
from app.comments import services as comments
from app.comments.models import Comment, ModerationDecision
from app.declarations import services as declarations
from app.declarations.models import Declaration, Section
from app.extensions import db
from tests.helpers import race


def _person(people, role):
    return db.session.get(User, people[role].id)


@pytest.fixture
def comment_id(app, people, consultation):
    """A published comment of the member on the first section."""
    with app.app_context():
        declaration = db.session.get(Declaration, consultation.id)
        comment = comments.add_comment(_person(people, "member"), declaration, body="The original words",
                                       section=db.session.get(Section, consultation.sections[0]))
        db.session.commit()
        return comment.id


def _hide(people, comment_id):
    return lambda: comments.moderate(_person(people, "coordinator"), db.session.get(Comment, comment_id), "hide",
                                     "It names a witness.").action


def _edit(people, comment_id):
    return lambda: comments.edit_comment(_person(people, "member"), db.session.get(Comment, comment_id),
                                         "Words typed in a second tab")


def _delete(people, comment_id):
    return lambda: comments.delete_comment(_person(people, "member"), db.session.get(Comment, comment_id))


def _comment(app, comment_id):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        decisions = db.session.scalars(select(ModerationDecision.action)).all()
        return comment.status, comment.body_source, comment.deleted_at is not None, decisions


@pytest.mark.parametrize("order", ["hide first", "edit first"])
def test_a_moderators_hide_and_the_authors_edit(app, people, comment_id, order):
    hide, edit = _hide(people, comment_id), _edit(people, comment_id)
    first, second = race(app, *((hide, edit) if order == "hide first" else (edit, hide)))
    assert "done" in first and "refused" in second
    status, body, deleted, decisions = _comment(app, comment_id)
    if order == "hide first":  # the hidden text is the one the moderator saw; the edit did not change it
        assert (status, body, decisions) == ("hidden", "The original words", ["hide"])
    else:  # the moderator's queue was out of date: nothing was decided on a text they had not read
        assert (status, body, decisions) == ("published", "Words typed in a second tab", [])


@pytest.mark.parametrize("order", ["hide first", "delete first"])
def test_a_moderators_hide_and_the_authors_delete(app, people, comment_id, order):
    hide, delete = _hide(people, comment_id), _delete(people, comment_id)
    first, second = race(app, *((hide, delete) if order == "hide first" else (delete, hide)))
    status, body, deleted, decisions = _comment(app, comment_id)
    if order == "hide first":
        # The author may still withdraw a hidden comment; the record keeps what was moderated.
        assert "done" in first and "done" in second and decisions == ["hide"] and deleted
        with app.app_context():
            assert db.session.scalar(select(ModerationDecision.text)) == "The original words"
    else:
        assert "done" in first and "refused" in second and deleted and decisions == []


def test_two_moderators_deciding_the_same_comment(app, people, comment_id):
    first, second = race(app, _hide(people, comment_id), _hide(people, comment_id))
    assert first == {"done": "hide"} and "refused" in second
    assert _comment(app, comment_id)[3] == ["hide"]  # one decision on record, not two


@pytest.fixture
def amendment_id(app, people, consultation):
    """An amendment to the first section, proposed in consultation; the declaration is now in revision."""
    with app.app_context():
        declaration = db.session.get(Declaration, consultation.id)
        amendment = amendments.propose(_person(people, "member"), declaration,
                                       db.session.get(Section, consultation.sections[0]),
                                       text="A better preamble.", rationale="Clearer.")
        declarations.change_phase(_person(people, "coordinator"), declaration, "revision")
        db.session.commit()
        return amendment.id


def test_an_amendment_accepted_and_rejected_at_once(app, people, amendment_id):
    def accept():
        return amendments.accept(_person(people, "coordinator"), db.session.get(Amendment, amendment_id)).number

    def reject():
        amendments.reject(_person(people, "coordinator"), db.session.get(Amendment, amendment_id), "Not needed.")
        return "rejected"
    first, second = race(app, accept, reject)
    assert "done" in first and "refused" in second
    with app.app_context():
        assert db.session.get(Amendment, amendment_id).status == "accepted"


def test_an_amendment_hidden_twice_at_once(app, people, amendment_id):
    def hide():
        amendments.set_hidden(_person(people, "coordinator"), db.session.get(Amendment, amendment_id), True,
                              "Personal data.")
        return True
    first, second = race(app, hide, hide)
    assert first == {"done": True} and "refused" in second


def test_two_coordinators_moving_the_same_declaration(app, people, consultation):
    def close():  # both tabs show the consultation and close it
        declaration = db.session.get(Declaration, consultation.id)
        return declarations.change_phase(_person(people, "coordinator"), declaration, "revision").number
    first, second = race(app, close, close)
    assert "done" in first and "refused" in second
    with app.app_context():
        declaration = db.session.get(Declaration, consultation.id)
        assert declaration.phase == "revision" and [v.number for v in declaration.versions] == [1, 2]


def test_the_race_helper_itself_sees_a_lost_update(app, people, comment_id):
    """Two plain ORM writes by id, without a condition, both succeed: the helper can tell a guarded write
    from an unguarded one (the guarded ones above are refused)."""
    def overwrite(text):
        def work():
            db.session.get(Comment, comment_id).body_source = text
            db.session.flush()
            return text
        return work
    first, second = race(app, overwrite("one"), overwrite("two"))
    assert first == {"done": "one"} and second == {"done": "two"}
    assert _comment(app, comment_id)[1] == "two"  # the first write is lost: what a conditional update prevents
