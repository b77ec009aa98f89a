"""Racing actions on the government's answers, each request in its own transaction (its own thread and
database connection): whatever the order, what was published is exactly what stands."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.responses import services as responses
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import Submission
from app.web.pages import attempt
from tests.helpers import login, publish_answers, race

ORIGINAL = "We support specialised units; the ministry will report yearly."
LATER = "A different text typed in a second tab."


@pytest.fixture
def drafted(app, client, submitted, people):
    """The reviewer acknowledged receipt and saved a draft answer to the first recommendation."""
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    recommendation_id = submission.content["text"]["recommendations"][0]["id"]
    assert client.post(f"/submissions/{submission.id}/recommendations/{recommendation_id}/answer",
                       data={"position": "supported", "explanation": ORIGINAL, "lead_institution": "",
                             "target_date": "2099-12-31"}).status_code == 303
    return declaration, submission, recommendation_id


def test_a_draft_save_racing_the_publication_never_rewrites_the_published_answer(app, people, drafted, mailbox):
    """Publish holds its transaction open; the save, started meanwhile, waits for it; once the answer is
    published the save must not change it (it is refused, and the form keeps the text to save again)."""
    declaration, submission, recommendation_id = drafted
    reviewer_id = people["reviewer"].id

    def publish_now():
        submission_row = db.session.get(Submission, submission.id)
        return responses.publish(db.session.get(User, reviewer_id), submission_row, submission_row.declaration)

    def save_now():
        return responses.save_answer(db.session.get(User, reviewer_id), db.session.get(Submission, submission.id),
                                     recommendation_id, position="noted", explanation=LATER,
                                     lead_institution_id=None, target_date=None).number

    first_result, second_result = race(app, publish_now, save_now)
    assert first_result == {"done": 1}
    with app.app_context():
        rows = db.session.execute(select(Answer.number, Answer.explanation, Answer.published_at.is_not(None))
                                  .order_by(Answer.number)).all()
    assert rows[0] == (1, ORIGINAL, True)  # the published answer is exactly what was published
    if "done" in second_result:  # the save came after the publication: a new draft revision, not a rewrite
        assert rows[1:] == [(2, LATER, False)]
    else:
        assert "published the answers a moment ago" in second_result["refused"] and len(rows) == 1


@pytest.fixture
def published(app, client, drafted):
    """The reviewer's answer to the first recommendation is published: updates and assessments may follow."""
    declaration, submission, recommendation_id = drafted
    assert publish_answers(client, submission.id).status_code == 303
    return submission, recommendation_id


def _close(app, submission_id, coordinator_id):
    def close():
        with attempt():
            responses.close_followup(db.session.get(User, coordinator_id), db.session.get(Submission, submission_id),
                                     "The ministry's term ended.")
        return "closed"
    return close


def _addition(kind, submission_id, recommendation_id, actor_id):
    def add():
        actor, submission = db.session.get(User, actor_id), db.session.get(Submission, submission_id)
        with attempt():
            if kind == "update":
                return responses.post_update(actor, submission, recommendation_id, status="in_progress",
                                             evidence="A unit was set up.", happened_on=date(2026, 11, 1)).id
            if kind == "assessment":
                return responses.assess(actor, submission, recommendation_id, rating="limited", notes="Slow.").id
            return responses.save_answer(actor, submission, recommendation_id, position="noted", explanation=LATER,
                                         lead_institution_id=None, target_date=None).number
    return add


@pytest.mark.parametrize("kind,actor", [("update", "reviewer"), ("assessment", "coordinator"),
                                        ("answer", "reviewer")])
def test_nothing_is_added_after_the_follow_up_closed_by_a_racing_request(app, people, published, kind, actor):
    """The coordinator closes the follow-up and holds the transaction open; an update, assessment or new
    draft answer started meanwhile waits for it and is then refused: nothing lands after the closure."""
    submission, recommendation_id = published
    with app.test_request_context():
        counts_before = _counts(submission.id)
    closed, added = race(app, _close(app, submission.id, people["coordinator"].id),
                         _addition(kind, submission.id, recommendation_id, people[actor].id))
    assert closed == {"done": "closed"}
    assert "was closed" in added.get("refused", ""), added
    with app.test_request_context():
        assert _counts(submission.id) == counts_before


@pytest.mark.parametrize("kind,actor", [("update", "reviewer"), ("assessment", "coordinator")])
def test_an_addition_that_started_first_stands_and_the_closure_follows(app, people, published, kind, actor):
    submission, recommendation_id = published
    added, closed = race(app, _addition(kind, submission.id, recommendation_id, people[actor].id),
                         _close(app, submission.id, people["coordinator"].id))
    assert "done" in added and closed == {"done": "closed"}


def _counts(submission_id):
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (
        ImplementationUpdate, Assessment, Answer))
