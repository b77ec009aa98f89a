"""Racing actions on the government's answers, each request in its own transaction (its own thread and
database connection): whatever the order, what was published is exactly what stands."""
import threading

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.errors import RuleError
from app.extensions import db
from app.responses import services as responses
from app.responses.models import Answer
from app.submissions.models import Submission
from tests.helpers import login

ORIGINAL = "We support specialised units; the ministry will report yearly."
LATER = "A different text typed in a second tab."


def _in_thread(work):
    result = {}

    def run():
        try:
            result["done"] = work()
        except RuleError as rule:
            result["refused"] = str(rule)
    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.fixture
def drafted(app, client, submitted, people):
    """The reviewer acknowledged receipt and saved a draft answer to the first recommendation."""
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    recommendation_id = submission.content["text"]["recommendations"][0]["id"]
    assert client.post(f"/submissions/{submission.id}/recommendations/{recommendation_id}/answer",
                       data={"position": "supported", "explanation": ORIGINAL, "lead_institution": "",
                             "target_date": ""}).status_code == 303
    return declaration, submission, recommendation_id


def test_a_draft_save_racing_the_publication_never_rewrites_the_published_answer(app, people, drafted, mailbox):
    """Publish holds its transaction open; the save, started meanwhile, waits for it; once the answer is
    published the save must not change it (it is refused, and the form keeps the text to save again)."""
    declaration, submission, recommendation_id = drafted
    reviewer_id = people["reviewer"].id
    published, release = threading.Event(), threading.Event()

    def publish_now():
        with app.test_request_context():
            responses.publish(db.session.get(User, reviewer_id), db.session.get(Submission, submission.id),
                              declaration=db.session.get(Submission, submission.id).declaration)
            published.set()
            release.wait(10)
            db.session.commit()
            return True

    def save_now():
        with app.test_request_context():
            answer = responses.save_answer(db.session.get(User, reviewer_id), db.session.get(Submission, submission.id),
                                           recommendation_id, position="noted", explanation=LATER,
                                           lead_institution_id=None, target_date=None)
            db.session.commit()
            return answer.number

    first, first_result = _in_thread(publish_now)
    assert published.wait(10)  # the answers are published and the transaction is still open
    second, second_result = _in_thread(save_now)
    second.join(1.0)
    release.set()
    first.join(15)
    second.join(15)
    assert first_result == {"done": True}
    with app.app_context():
        rows = db.session.execute(select(Answer.number, Answer.explanation, Answer.published_at.is_not(None))
                                  .order_by(Answer.number)).all()
    assert rows[0] == (1, ORIGINAL, True)  # the published answer is exactly what was published
    if "done" in second_result:  # the save came after the publication: a new draft revision, not a rewrite
        assert rows[1:] == [(2, LATER, False)]
    else:
        assert "published the answers a moment ago" in second_result["refused"] and len(rows) == 1
