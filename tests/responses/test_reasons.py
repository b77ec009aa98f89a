"""Reasons for every "no" (issue 27): "partially supported", "noted" and "not supported" need an explanation that
says why (at least 20 characters, in at least three different words), "supported" a lead institution or a target
date. Refused with the text kept and the message beside the field to fix; the service refuses whoever calls it,
and publishing refuses a draft that slipped past."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.errors import RuleError
from app.extensions import db
from app.responses import services as responses
from app.responses.models import Answer
from app.submissions.models import Submission
from app.time import utcnow
from tests.helpers import login, publish_answers


@pytest.fixture
def answering(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    path = f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/answer"
    return declaration, submission, path


def post(client, path, **data):
    return client.post(path, data={"position": "", "explanation": "", "lead_institution": "", "target_date": "",
                                   **data})


def saved(app):
    with app.app_context():
        return db.session.execute(select(Answer.position, Answer.explanation)).all()


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("position,label", [("partially", "Partially supported"), ("noted", "Noted"),
                                            ("not_supported", "Not supported")])
@pytest.mark.parametrize("explanation", ["", "   Noted.   ", "See the annex here"])  # empty, short, 18 letters
def test_a_position_short_of_support_without_a_reason_is_refused_with_the_text_kept(
        app, client, answering, position, label, explanation):
    declaration, submission, path = answering
    response = post(client, path, position=position, explanation=explanation, target_date="2099-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"“{label}” needs a reason: explain in at least 20 characters why" in field_error(html, "explanation")
    assert 'href="#explanation"' in html  # the summary leads to the field
    if explanation.strip():
        assert explanation.strip() in html
    assert re.search(rf'<input checked id="position-\d" name="position"[^>]* value="{position}"', html)
    assert saved(app) == []


@pytest.mark.parametrize("explanation", ["." * 25, "a" * 24, "no no no no no no no no no", "12345 67890 12345 67890",
                                         "ok. ok. ok. ok. ok. ok. ok."])
def test_a_reason_of_dots_or_one_word_repeated_is_no_reason(app, client, answering, explanation):
    declaration, submission, path = answering
    response = post(client, path, position="noted", explanation=explanation)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and saved(app) == []
    assert "“Noted” needs a reason in words" in field_error(html, "explanation") and explanation in html


def test_a_reason_in_urdu_is_a_reason(app, client, answering):
    declaration, submission, path = answering
    reason = "وزارت اس تجویز پر صوبوں سے مشاورت کر رہی ہے۔"
    assert post(client, path, position="noted", explanation=reason).status_code == 303
    assert saved(app) == [("noted", reason)]


@pytest.mark.parametrize("position", ["partially", "noted", "not_supported"])
def test_a_position_short_of_support_with_its_reason_is_saved(app, client, answering, position):
    declaration, submission, path = answering
    reason = "The provinces run the shelters; the ministry funds half."
    assert post(client, path, position=position, explanation=reason).status_code == 303
    assert saved(app) == [(position, reason)]


def test_supported_needs_a_lead_institution_or_a_target_date(app, client, answering, people):
    declaration, submission, path = answering
    refused = post(client, path, position="supported", explanation="We agree and will act.")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "“Supported” needs a lead institution or a target date" in field_error(html, "lead_institution")
    assert "We agree and will act." in html and saved(app) == []
    assert post(client, path, position="supported", lead_institution=str(people["reviewer"].institution_id)
                ).status_code == 303  # no explanation needed for support
    assert post(client, path, position="supported", target_date=(utcnow().date() + timedelta(days=90)).isoformat()
                ).status_code == 303
    assert [position for position, _text in saved(app)] == ["supported"]  # the same draft, saved twice


def test_the_service_refuses_whoever_calls_it(app, answering, people):
    declaration, submission, _path = answering
    with app.test_request_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        row = db.session.get(Submission, submission.id)
        with pytest.raises(RuleError, match="needs a reason"):
            responses.save_answer(reviewer, row, declaration.recommendations[0], position="not_supported",
                                  explanation="No.", lead_institution_id=None, target_date=None)
        with pytest.raises(RuleError, match="needs a lead institution or a target date"):
            responses.save_answer(reviewer, row, declaration.recommendations[0], position="supported",
                                  explanation="Yes, fully.", lead_institution_id=None, target_date=None)
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_draft_without_what_its_position_needs_is_not_published(app, client, answering, mailbox, people):
    """A draft saved before the rule (or written around the form) is caught when it would become public."""
    declaration, submission, path = answering
    second = f"/submissions/{submission.id}/recommendations/{declaration.recommendations[1]}/answer"
    assert post(client, path, position="noted", explanation="Shelters are the provinces' to fund.").status_code == 303
    assert post(client, second, position="supported", target_date="2099-01-01").status_code == 303
    with app.app_context():  # as a draft saved before the rules existed
        db.session.execute(update(Answer).where(Answer.position == "noted").values(explanation="Noted."))
        db.session.execute(update(Answer).where(Answer.position == "supported").values(target_date=None))
        db.session.commit()
    page = client.get(f"/submissions/{submission.id}/publish").get_data(as_text=True)
    assert page.count("Open the draft to add it: as it is, it cannot be published.") == 2
    assert "“Noted” needs a reason" in page and "“Supported” needs a lead institution or a target date" in page
    assert not re.search(r'name="publish_answer" value="\d+" id="publish-\d+" checked', page)  # left unticked
    refused = publish_answers(client, submission.id)  # ticked all the same
    assert refused.status_code == 422
    assert ("Nothing was published: the draft answers to recommendations 1, 2 lack what their positions need"
            in refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.published_at.is_not(None))) == 0
    assert not mailbox.wait_for(people["member"].email, containing="published", timeout=0.2)
