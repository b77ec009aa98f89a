"""The alliance's assessment is on the completion scale (choices.COMPLETION: no evidence, not started, limited,
substantial, complete). Ratings stored before it (agrees, partly, disagrees) stay as they were and are shown with
their own labels wherever ratings are shown or counted; no new assessment takes them."""
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.accounts.models import User
from app.choices import COMPLETION
from app.errors import RuleError
from app.extensions import db
from app.responses import services
from app.responses.models import Assessment
from app.submissions.models import Submission, SubmittedRecommendation
from tests.helpers import login


def _items(app, submission_id) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(SubmittedRecommendation.id).where(
            SubmittedRecommendation.submission_id == submission_id).order_by(SubmittedRecommendation.number)))


def _stored(app, item_id, rating, author_id):
    """An assessment as it was stored, whatever the words of its time."""
    with app.app_context():
        db.session.add(Assessment(item_id=item_id, rating=rating, author_id=author_id))
        db.session.commit()


def _assessments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Assessment))


def test_the_form_offers_the_completion_scale_in_its_order(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    page = client.get(f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/assessment")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert [radio["value"] for radio in soup.select("input[name=rating]")] == list(COMPLETION)
    labels = [soup.select_one(f"label[for={radio['id']}]").get_text(strip=True)
              for radio in soup.select("input[name=rating]")]
    assert labels == ["No evidence available", "Not started", "Limited", "Substantial", "Complete"]


@pytest.mark.parametrize("rating", ["agrees", "partly", "disagrees", "implemented", ""])
def test_a_rating_off_the_scale_is_refused_with_the_notes_kept(app, client, submitted, people, rating):
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    path = f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/assessment"
    response = client.post(path, data={"rating": rating, "notes": "Seen in Quetta, kept."})
    assert response.status_code == 422
    assert "Seen in Quetta, kept." in response.get_data(as_text=True)
    assert _assessments(app) == 0
    with app.test_request_context():  # the service's own check, whoever calls it
        coordinator = db.session.get(User, people["coordinator"].id)
        with pytest.raises(RuleError):
            services.assess(coordinator, db.session.get(Submission, submission.id), declaration.recommendations[0],
                            rating=rating, notes="")


def test_a_rating_on_the_scale_is_published(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    rec = declaration.recommendations[0]
    response = client.post(f"/submissions/{submission.id}/recommendations/{rec}/assessment",
                           data={"rating": "substantial", "notes": "Two of three units open."})
    assert response.status_code == 303
    page = client.get(f"/recommendations/{rec}").get_data(as_text=True)
    assert re.search(r'class="badge assessment-substantial">Substantial<', page)


def test_earlier_ratings_keep_their_own_labels_wherever_ratings_are_shown(app, client, submitted, people):
    declaration, submission = submitted
    first, second, third = _items(app, submission.id)
    coordinator = people["coordinator"].id
    _stored(app, first, "partly", coordinator)  # from before the scale, and still the latest
    _stored(app, second, "disagrees", coordinator)  # from before the scale …
    _stored(app, second, "complete", coordinator)  # … and on it since: the latter stands
    _stored(app, third, "no_evidence", coordinator)
    recommendation = client.get(f"/recommendations/{declaration.recommendations[0]}").get_data(as_text=True)
    assert "The alliance partly agrees" in recommendation
    later = client.get(f"/recommendations/{declaration.recommendations[1]}").get_data(as_text=True)
    assert "Complete" in later and "The alliance disagrees" in later  # the earlier one, in the history
    tracker = BeautifulSoup(client.get("/tracker").get_data(as_text=True), "html.parser")
    alliance = [cell.get_text(strip=True) for cell in tracker.select("td[data-label=Alliance]")]
    assert alliance == ["The alliance partly agrees", "Complete", "No evidence available"]
    login(client, people["coordinator"].email)
    statistics = BeautifulSoup(client.get(f"/submissions/{submission.id}/statistics").get_data(as_text=True),
                               "html.parser")
    table = statistics.find("caption", string=re.compile("completion scale")).find_parent("table")
    counted = {row.th.get_text(strip=True): row.select_one("td.num").get_text(strip=True)
               for row in table.select("tbody tr")}
    assert counted == {"No evidence available": "1", "Not started": "0", "Limited": "0", "Substantial": "0",
                       "Complete": "1", "The alliance partly agrees": "1"}  # "disagrees" is no longer the latest
