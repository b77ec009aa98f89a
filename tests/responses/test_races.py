"""Racing actions on the government's answers, each request in its own transaction (its own thread and
database connection): whatever the order, what was published is exactly what stands."""
import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.responses import services as responses
from app.responses.models import Answer
from app.submissions.models import Submission
from tests.helpers import login, race

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
                             "target_date": ""}).status_code == 303
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
