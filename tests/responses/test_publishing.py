"""Publishing answers is irreversible: it starts from a confirmation page that lists each draft (recommendation,
position, whose draft, last saved), publishes the ticked ones together as the page showed them, and tells the
alliance once. The confirming POST carries what the person saw: `publish_answer` (the ticked answer ids) and
`seen_updated_<answer id>` (each listed draft's last-saved stamp)."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.responses.models import Answer
from tests.helpers import login, publish_answers

# "Noted" needs a reason: the colleague's draft gives one.
COLLEAGUES = "The colleague's reason: shelters are the provinces' to fund."


def answer(client, submission, recommendation_id, **data):
    # "Supported" needs a lead institution or a target date (app/responses/reasons.py).
    form = {"position": "supported", "explanation": "We agree.", "lead_institution": "", "target_date": "2099-12-31"}
    form.update(data)
    return client.post(f"/submissions/{submission.id}/recommendations/{recommendation_id}/answer", data=form)


def published_numbers(app):
    with app.app_context():
        return sorted(db.session.scalars(select(Answer.id).where(Answer.published_at.is_not(None))))


def answers_mail(mailbox, person):
    return [m for m in mailbox.to(person.email) if "published answers" in m["subject"]]


def draft_ids(app):
    with app.app_context():
        return dict(db.session.execute(select(Answer.explanation, Answer.id).where(Answer.published_at.is_(None))
                                       .order_by(Answer.id)).tuples().all())


@pytest.fixture
def two_drafts(app, client, submitted, people, make_user):
    """The reviewer and a colleague of the same ministry each saved a draft answer."""
    declaration, submission = submitted
    colleague = make_user("reviewer", institution=SimpleNamespace(id=people["reviewer"].institution_id),
                          name="Colleague Nadia", email="colleague@example.org")
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    first, second, _third = declaration.recommendations
    assert answer(client, submission, first, explanation="Mine").status_code == 303
    other = app.test_client()
    login(other, colleague.email)
    assert answer(other, submission, second, position="noted", explanation=COLLEAGUES).status_code == 303
    return declaration, submission, other


def test_the_publish_button_leads_to_a_page_listing_every_draft_with_whose_it_is(app, client, two_drafts, people):
    declaration, submission, _other = two_drafts
    workspace = client.get(f"/submissions/{submission.id}/respond").get_data(as_text=True)
    assert f'href="/submissions/{submission.id}/publish"' in workspace
    assert f'action="/submissions/{submission.id}/publish"' not in workspace  # no one-click form any more
    page = re.sub(r"</?bdi>", "", client.get(f"/submissions/{submission.id}/publish").get_data(as_text=True))
    assert "Create specialised prosecution units." in page and "Open shelters in every province." in page
    assert "Recommendation 1" in page and "Recommendation 2" in page
    assert f"Draft by {people['reviewer'].name}, last saved" in page and "Draft by Colleague Nadia, last saved" in page
    assert "Supported" in page and "Noted" in page
    assert len(re.findall(r'name="publish_answer" value="\d+" id="publish-\d+" checked', page)) == 2
    assert len(re.findall(r'name="seen_updated_\d+" value="[^"]+"', page)) == 2
    assert published_numbers(app) == []  # opening the page publishes nothing


def test_a_post_without_what_the_confirmation_page_showed_publishes_nothing(app, client, two_drafts, mailbox,
                                                                           people):
    declaration, submission, _other = two_drafts
    bare = client.post(f"/submissions/{submission.id}/publish")
    assert bare.status_code == 422 and "Nothing was published" in bare.get_data(as_text=True)
    ids = list(draft_ids(app).values())
    ticked_unseen = client.post(f"/submissions/{submission.id}/publish", data={"publish_answer": ids})
    assert ticked_unseen.status_code == 422
    nothing_ticked = publish_answers(client, submission.id, only=[])
    assert nothing_ticked.status_code == 422 and "no draft answer was ticked" in nothing_ticked.get_data(as_text=True)
    assert published_numbers(app) == []
    assert not answers_mail(mailbox, people["member"])


def test_the_reviewer_publishes_the_chosen_drafts_only_and_the_alliance_is_told_once(app, client, two_drafts,
                                                                                     people, mailbox):
    declaration, submission, _other = two_drafts
    mine = draft_ids(app)["Mine"]
    response = publish_answers(client, submission.id, only=[mine])
    assert response.status_code == 303
    assert "1 answer published. It is shown" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert published_numbers(app) == [mine]
    assert list(draft_ids(app)) == [COLLEAGUES]  # the colleague's draft stays a draft
    [mail] = mailbox.wait_for(people["member"].email, containing="published 1 answer")
    assert "published 1 answer on" in mail["body"] and "Recommendation 1: Supported" in mail["body"]
    assert "Recommendation 2" not in mail["body"] and COLLEAGUES not in mail["body"]
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "answers_published")).all()
        assert entry.details["answers"] == [mine] and entry.details["recommendations"] == [1]
    assert len(answers_mail(mailbox, people["member"])) == 1


def test_a_draft_saved_again_after_the_page_was_shown_stops_the_whole_publication(app, client, two_drafts,
                                                                                  mailbox, people):
    declaration, submission, other = two_drafts
    page = client.get(f"/submissions/{submission.id}/publish").get_data(as_text=True)
    seen = dict(re.findall(r'name="(seen_updated_\d+)" value="([^"]*)"', page))
    # Meanwhile the colleague rewrites their draft.
    assert answer(other, submission, declaration.recommendations[1], position="not_supported",
                  explanation="Rewritten: the provinces decide on this.").status_code == 303
    refused = client.post(f"/submissions/{submission.id}/publish",
                          data={**seen, "publish_answer": list(draft_ids(app).values())})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Nothing was published" in text
    assert "recommendation 2 was saved again by Colleague Nadia" in text
    assert "Changed since you opened this page" in text and "Not supported" in text
    assert published_numbers(app) == [] and not answers_mail(mailbox, people["member"])
    # Shown again with what stands now; confirming that publishes it.
    assert publish_answers(client, submission.id).status_code == 303
    assert len(published_numbers(app)) == 2


def test_a_draft_published_by_a_colleague_meanwhile_stops_the_publication(app, client, two_drafts):
    declaration, submission, other = two_drafts
    page = client.get(f"/submissions/{submission.id}/publish").get_data(as_text=True)
    seen = dict(re.findall(r'name="(seen_updated_\d+)" value="([^"]*)"', page))
    ids = list(draft_ids(app).values())
    colleague_first = publish_answers(other, submission.id, only=[draft_ids(app)[COLLEAGUES]])
    assert colleague_first.status_code == 303
    refused = client.post(f"/submissions/{submission.id}/publish", data={**seen, "publish_answer": ids})
    assert refused.status_code == 422
    assert "recommendation 2 was published by someone else" in refused.get_data(as_text=True)
    assert len(published_numbers(app)) == 1  # only the colleague's


def test_the_counts_in_the_workspace_use_the_singular_for_one(app, client, two_drafts):
    declaration, submission, _other = two_drafts
    publish_answers(client, submission.id, only=[draft_ids(app)["Mine"]])
    page = client.get(f"/submissions/{submission.id}/respond").get_data(as_text=True)
    assert "1 draft answer ·" in page and "1 published ·" in page and "3 recommendations" in page
    assert "1 draft answers" not in page
    assert "Publish 1 draft answer…" in page
    stats = client.get(f"/submissions/{submission.id}/statistics").get_data(as_text=True)
    assert "1 of 3 recommendations has a published answer." in stats
