import pytest
from sqlalchemy import func, select

from app.declarations.models import Declaration
from app.extensions import db
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import SubmissionRecipient
from tests.helpers import confirmed, login, publish_answers, submit


def answer(client, submission, recommendation_id, **data):
    # "Supported" needs a lead institution or a target date (app/responses/reasons.py).
    form = {"position": "supported", "explanation": "We agree.", "lead_institution": "", "target_date": "2099-12-31"}
    form.update(data)
    return client.post(f"/submissions/{submission.id}/recommendations/{recommendation_id}/answer", data=form)


def answers(app):
    with app.app_context():
        return db.session.execute(select(Answer.number, Answer.position, Answer.published_at.is_not(None))
                                  .order_by(Answer.id)).all()


@pytest.fixture
def acknowledged(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    return declaration, submission


def test_recipients_are_told_and_the_alliance_hears_of_receipt(app, client, submitted, people, mailbox):
    declaration, submission = submitted
    [notice] = mailbox.wait_for(people["reviewer"].email, containing="submitted to you")
    assert submission.sha256 in notice["body"]
    login(client, people["reviewer"].email)
    client.post(f"/submissions/{submission.id}/acknowledge")
    assert mailbox.wait_for(people["member"].email, containing="acknowledged receipt")
    with app.app_context():
        recipient = db.session.get(SubmissionRecipient, (submission.id, people["reviewer"].institution_id))
        assert recipient.acknowledged_at is not None and recipient.acknowledged_by_id == people["reviewer"].id
    again = client.post(f"/submissions/{submission.id}/acknowledge", follow_redirects=True)
    assert "already acknowledged" in again.get_data(as_text=True)
    client.post("/logout")
    login(client, people["member"].email)
    assert "receipt acknowledged on" in client.get(f"/submissions/{submission.id}").get_data(as_text=True)


def test_other_institutions_and_the_public_cannot_open_or_answer(app, client, submitted, people, make_user,
                                                                   make_declaration):
    declaration, submission = submitted
    outsider = make_user("reviewer")  # a reviewer of another ministry
    login(client, outsider.email)
    rec = declaration.recommendations[0]
    assert client.get(f"/submissions/{submission.id}/respond").status_code == 404
    # The declaration is public: they read only its dossier's public extract (see test_public_dossier.py).
    for path in (f"/submissions/{submission.id}/dossier.json", f"/submissions/{submission.id}/signatories.csv"):
        assert client.get(path).headers["X-Dossier-Extract"] == "public", path
    for path in (f"/submissions/{submission.id}/acknowledge", f"/submissions/{submission.id}/publish",
                 f"/submissions/{submission.id}/recommendations/{rec}/answer"):
        assert client.post(path, data={"position": "supported"}).status_code == 404, path
    client.post("/logout")
    for role in ("member", "coordinator"):
        login(client, people[role].email)
        assert client.get(f"/submissions/{submission.id}").status_code == 200
        assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 403
        assert answer(client, submission, rec).status_code == 403
        client.post("/logout")
    assert "public extract" in client.get(f"/submissions/{submission.id}").get_data(as_text=True)  # visitors too
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_answering_needs_acknowledgement_first(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    response = answer(client, submission, declaration.recommendations[0], explanation="Kept text")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Acknowledge receipt" in page and "Kept text" in page
    assert answers(app) == []


def test_drafts_stay_private_until_published_all_at_once(app, client, acknowledged, people, mailbox):
    declaration, submission = acknowledged
    first, second, third = declaration.recommendations
    assert answer(client, submission, first, explanation="A draft only the ministry sees").status_code == 303
    assert answer(client, submission, second, position="noted",
                  explanation="Shelters are the provinces' to fund.").status_code == 303
    assert answer(client, submission, first, position="partially",
                  explanation="A draft only the ministry sees").status_code == 303  # edits the same draft
    assert answers(app) == [(1, "partially", False), (1, "noted", False)]
    assert "A draft only the ministry sees" in client.get(f"/recommendations/{first}").get_data(as_text=True)
    client.post("/logout")
    for who in (None, "member", "coordinator"):
        if who:
            login(client, people[who].email)
        page = client.get(f"/recommendations/{first}").get_data(as_text=True)
        assert "A draft only the ministry sees" not in page and "No answer has been published yet" in page
        client.post("/logout")
    login(client, people["reviewer"].email)
    assert publish_answers(client, submission.id).status_code == 303
    assert answers(app) == [(1, "partially", True), (1, "noted", True)]
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).phase == "responded"
    [mail] = mailbox.wait_for(people["member"].email, containing="published 2 answers")
    assert "Recommendation 1: Partially supported" in mail["body"] and "A draft only the ministry sees" in mail["body"]
    assert "Recommendation 2: Noted" in mail["body"] and "Recommendation 3" not in mail["body"]
    client.post("/logout")
    page = client.get(f"/recommendations/{first}").get_data(as_text=True)  # a visitor: the declaration is public
    assert "A draft only the ministry sees" in page and "Partially supported" in page
    assert "Partially supported" in client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert third  # unanswered: nothing shown for it
    login(client, people["reviewer"].email)
    assert "has no draft answer to publish" in client.get(f"/submissions/{submission.id}/publish").get_data(
        as_text=True)


def test_an_edit_after_publication_is_a_new_revision_with_history(app, client, acknowledged, people):
    declaration, submission = acknowledged
    rec = declaration.recommendations[0]
    answer(client, submission, rec, position="noted", explanation="First answer: the provinces decide.")
    publish_answers(client, submission.id)
    answer(client, submission, rec, position="supported", explanation="Second answer")
    assert answers(app) == [(1, "noted", True), (2, "supported", False)]
    client.post("/logout")
    assert "Second answer" not in client.get(f"/recommendations/{rec}").get_data(as_text=True)
    login(client, people["reviewer"].email)
    publish_answers(client, submission.id)
    client.post("/logout")
    page = client.get(f"/recommendations/{rec}").get_data(as_text=True)
    assert page.index("Second answer") < page.index("1 earlier answer") < page.index("First answer")


def test_unknown_recommendation_and_bad_answers_change_nothing(app, client, acknowledged, people,
                                                                 make_declaration):
    declaration, submission = acknowledged
    other = make_declaration("signon")  # a recommendation of another declaration
    response = answer(client, submission, other.recommendations[0])
    assert response.status_code == 404
    assert "not part of this submission" in response.get_data(as_text=True)
    no_position = answer(client, submission, declaration.recommendations[0], position="", explanation="Keep me")
    assert no_position.status_code == 422 and "Keep me" in no_position.get_data(as_text=True)
    for lead in ("999999", "9223372036854775808", "99999999999999999999999", "abc", "-1"):
        bad_lead = answer(client, submission, declaration.recommendations[0], lead_institution=lead,
                          explanation="Keep me too")
        page = bad_lead.get_data(as_text=True)
        assert bad_lead.status_code == 422 and "Choose the lead institution from the list." in page
        assert "Keep me too" in page
    too_long = answer(client, submission, declaration.recommendations[0], explanation="x" * 5001)
    assert too_long.status_code == 422
    assert answers(app) == []


def test_a_closed_submission_takes_no_more_answers(app, client, acknowledged, people):
    declaration, submission = acknowledged
    client.post("/logout")
    login(client, people["coordinator"].email)
    warning = client.get(f"/submissions/{submission.id}/close").get_data(as_text=True)
    assert "3 recommendations without an answer" in warning
    assert confirmed(client, f"/submissions/{submission.id}/close", {"reason": "Review cycle over"}).status_code == 303
    again = client.post(f"/submissions/{submission.id}/close", data={"reason": ""})
    assert again.status_code == 422 and "was closed on" in again.get_data(as_text=True)
    client.post("/logout")
    login(client, people["reviewer"].email)
    response = answer(client, submission, declaration.recommendations[0], explanation="Too late")
    assert response.status_code == 422 and "was closed on" in response.get_data(as_text=True)
    assert answers(app) == []


def test_implementation_updates_and_assessments(app, client, acknowledged, people):
    from datetime import date, timedelta
    declaration, submission = acknowledged
    rec = declaration.recommendations[1]
    path = f"/submissions/{submission.id}/recommendations/{rec}/update"
    before = client.get(path).get_data(as_text=True)
    assert "Publish your answer to this recommendation first" in before and 'name="status"' not in before
    early = client.post(path, data={"status": "in_progress", "evidence": "Before any answer",
                                    "happened_on": date.today().isoformat()})
    assert early.status_code == 422
    assert "Publish your answer to this recommendation first" in early.get_data(as_text=True)
    assert "Before any answer" in early.get_data(as_text=True)
    answer(client, submission, rec, position="supported")
    early = client.post(path, data={"status": "in_progress", "happened_on": date.today().isoformat()})
    assert early.status_code == 422  # a draft is not enough
    publish_answers(client, submission.id)
    future = client.post(path, data={"status": "implemented", "evidence": "Shelter opened",
                                     "happened_on": (date.today() + timedelta(days=30)).isoformat()})
    assert future.status_code == 422 and "Shelter opened" in future.get_data(as_text=True)
    assert client.post(path, data={"status": "in_progress", "evidence": "Two shelters funded",
                                   "happened_on": date.today().isoformat()}).status_code == 303
    assert client.post(f"/submissions/{submission.id}/recommendations/{rec}/assessment",
                       data={"rating": "limited"}).status_code == 403
    client.post("/logout")
    login(client, people["coordinator"].email)
    assess = f"/submissions/{submission.id}/recommendations/{rec}/assessment"
    assert client.post(assess, data={"rating": "limited", "notes": "Only one is open"}).status_code == 303
    assert client.post(assess, data={"rating": "substantial", "notes": "Two open now"}).status_code == 303
    assert client.post(path, data={"status": "implemented", "happened_on": date.today().isoformat()}
                       ).status_code == 403  # updates are the government's
    client.post("/logout")
    page = client.get(f"/recommendations/{rec}").get_data(as_text=True)
    assert "Two shelters funded" in page and "Substantial" in page and "1 earlier assessment" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImplementationUpdate)) == 1
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2


def test_tracker_filters_and_statistics(app, client, acknowledged, people):
    from datetime import date
    declaration, submission = acknowledged
    first, second, third = declaration.recommendations
    answer(client, submission, first, position="supported")
    answer(client, submission, second, position="not_supported", explanation="Shelters are the provinces' to fund.")
    publish_answers(client, submission.id)
    client.post(f"/submissions/{submission.id}/recommendations/{first}/update",
                data={"status": "implemented", "happened_on": date.today().isoformat()})
    stats = client.get(f"/submissions/{submission.id}/statistics").get_data(as_text=True)
    assert "2 of 3 recommendations have a published answer" in stats
    client.post("/logout")

    def listed(**query):
        page = client.get("/tracker", query_string=query).get_data(as_text=True)
        return [n for n in (1, 2, 3) if f">Recommendation {n}</a>" in page]
    assert listed() == [1, 2, 3]
    assert listed(position="not_supported") == [2]
    assert listed(status="implemented") == [1]
    assert listed(pillar="prevent") == [3]
    assert listed(theme="victims") == [2]
    assert listed(institution=people["reviewer"].institution_id) == [1, 2, 3]
    assert listed(position="bogus") == [1, 2, 3]  # an unknown value filters nothing


def test_members_only_declarations_stay_out_of_the_public_tracker(app, client, people, make_declaration):
    declaration = make_declaration("signon", visibility="members")
    login(client, people["coordinator"].email)
    submit(client, declaration.id, [people["reviewer"].institution_id])
    client.post("/logout")
    assert "Recommendation 1" not in client.get("/tracker").get_data(as_text=True)
    assert client.get(f"/recommendations/{declaration.recommendations[0]}").status_code == 302
    login(client, people["reviewer"].email)  # the recipient may read it
    assert client.get(f"/recommendations/{declaration.recommendations[0]}").status_code == 200
