"""The answer form: whom the recommendation is addressed to (answering outside one's remit is an explicit choice,
stated in the published answer), a target date that lies ahead, and what the alliance said about the
recommendation beside it (the reservations of signers one may see named, the published comments, capped)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.comments.models import Comment
from app.extensions import db
from app.responses.models import Answer
from app.signatures.models import Reservation, Signature
from app.time import local_date, utcnow
from tests.helpers import login, publish_answers, submit, the_submission


def answer(client, submission, recommendation_id, **data):
    # "Supported" needs a lead institution or a target date (app/responses/reasons.py).
    form = {"position": "supported", "explanation": "We agree.", "lead_institution": "", "target_date": "2099-12-31"}
    form.update(data)
    return client.post(f"/submissions/{submission.id}/recommendations/{recommendation_id}/answer", data=form)


def plain(response) -> str:
    """The page's HTML without the isolating <bdi> around names, to read its sentences."""
    return re.sub(r"</?bdi>", "", response.get_data(as_text=True))


def site_today(app):
    with app.app_context():
        return local_date(utcnow())


def saved(app):
    with app.app_context():
        return db.session.execute(select(Answer.position, Answer.target_date).order_by(Answer.id)).all()


@pytest.fixture
def to_two_ministries(app, client, people, make_declaration, make_user):
    """A declaration whose recommendations are all addressed to the reviewer's ministry, submitted to it and to
    a second ministry; the second ministry's reviewer acknowledged receipt."""
    declaration = make_declaration("signon", visibility="public")
    outsider = make_user("reviewer", name="Reviewer of the FIA")
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id,
                                           outsider.institution_id]).status_code == 303
    client.post("/logout")
    login(client, outsider.email)
    submission = the_submission(app, declaration.id)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    return declaration, submission, outsider


def test_the_workspace_says_whom_each_recommendation_is_addressed_to(app, client, to_two_ministries, people):
    declaration, submission, outsider = to_two_ministries
    page = client.get(f"/submissions/{submission.id}/respond").get_data(as_text=True)
    addressee = submission.institution_names[people["reviewer"].institution_id]
    assert f"To: <bdi>{addressee}</bdi>" in page
    assert page.count("Not addressed to you") == 3


def test_answering_a_recommendation_addressed_to_another_institution_needs_an_explicit_choice(
        app, client, to_two_ministries, people, mailbox):
    declaration, submission, outsider = to_two_ministries
    first = declaration.recommendations[0]
    form_page = plain(client.get(f"/submissions/{submission.id}/recommendations/{first}/answer"))
    ministry = submission.institution_names[people["reviewer"].institution_id]
    assert f"This recommendation is addressed to {ministry}, not to" in form_page
    assert "Answer although it is not addressed to" in form_page
    refused = answer(client, submission, first, explanation="We will help all the same")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "We will help all the same" in text
    assert f"Recommendation 1 is addressed to {ministry}, not to" in text
    assert saved(app) == []
    assert answer(client, submission, first, explanation="We will help all the same",
                  outside_remit="y").status_code == 303
    assert publish_answers(client, submission.id).status_code == 303
    with app.app_context():
        name = db.session.get(type(people["reviewer"]), outsider.id).institution.name
    public = plain(client.get(f"/recommendations/{first}"))
    assert f"Answered by {name} although it is addressed to {ministry}." in public
    [mail] = mailbox.wait_for(people["member"].email, containing="published 1 answer")
    assert f"Answered by {name} although it is addressed to {ministry}." in mail["body"]


def test_the_addressed_institution_answers_without_any_choice(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    client.post(f"/submissions/{submission.id}/acknowledge")
    page = client.get(f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/answer")
    assert "Answer although it is not addressed" not in page.get_data(as_text=True)
    assert answer(client, submission, declaration.recommendations[0]).status_code == 303
    publish_answers(client, submission.id)
    assert "although it is addressed to" not in client.get(
        f"/recommendations/{declaration.recommendations[0]}").get_data(as_text=True)


def test_a_target_date_in_the_past_is_refused_with_the_text_kept(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    client.post(f"/submissions/{submission.id}/acknowledge")
    first = declaration.recommendations[0]
    past = answer(client, submission, first, explanation="Keep these words", target_date="2020-01-01")
    text = past.get_data(as_text=True)
    assert past.status_code == 422 and "Keep these words" in text
    assert "The target date 2020-01-01 is in the past. Give today or a later date, or leave it empty." in text
    assert saved(app) == []
    assert answer(client, submission, first, target_date=site_today(app).isoformat()).status_code == 303
    assert saved(app) == [("supported", site_today(app))]


def test_a_revision_may_keep_the_target_date_an_earlier_revision_gave(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    client.post(f"/submissions/{submission.id}/acknowledge")
    first = declaration.recommendations[0]
    answer(client, submission, first, target_date=(site_today(app) + timedelta(days=1)).isoformat())
    publish_answers(client, submission.id)
    passed = site_today(app) - timedelta(days=3)  # the date has passed since it was set
    with app.app_context():
        db.session.execute(update(Answer).values(target_date=passed))
        db.session.commit()
    assert answer(client, submission, first, position="noted", explanation="The provinces decide on this, not us.",
                  target_date=passed.isoformat()).status_code == 303
    assert answer(client, submission, first, target_date=(passed - timedelta(days=1)).isoformat()
                  ).status_code == 422


def _said(app, declaration, people, comments=3):
    """Reservations on the first recommendation by each signer of the submitted fixture (public organization,
    alliance-only expert, coordinators-only organization), and published, hidden and deleted comments on it."""
    first = declaration.recommendations[0]
    with app.app_context():
        for signature in db.session.scalars(select(Signature)):
            db.session.add(Reservation(signature_id=signature.id, recommendation_id=first,
                                       text=f"Reservation of {signature.visibility} signer"))
        for n in range(comments):
            db.session.add(Comment(declaration_id=declaration.id, recommendation_id=first,
                                   author_id=people["member"].id, body_source=f"Comment {n:02d}",
                                   body_html=f"<p>Comment {n:02d}</p>", version_number=1, status="published"))
        db.session.add(Comment(declaration_id=declaration.id, recommendation_id=first, author_id=people["member"].id,
                               body_source="A hidden one", body_html="<p>A hidden one</p>", version_number=1,
                               status="hidden"))
        db.session.commit()
    return first


def test_the_answer_form_shows_the_reservations_of_signers_the_reviewer_sees_named_and_the_comments(
        app, client, submitted, people):
    declaration, submission = submitted
    first = _said(app, declaration, people)
    login(client, people["reviewer"].email)
    client.post(f"/submissions/{submission.id}/acknowledge")
    page = client.get(f"/submissions/{submission.id}/recommendations/{first}/answer").get_data(as_text=True)
    said = page[page.index("What the alliance said"):page.index('class="wide-form"')]
    assert "<details>" in said and "2 reservations by signers" in said
    assert "Reservation of public signer" in said and "Reservation of alliance signer" in said
    assert "Reservation of coordinators signer" not in page and "Safe Haven Society" not in page
    assert "3 published comments from the consultation" in said
    assert "Comment 00" in said and "Comment 02" in said and "A hidden one" not in said


def test_the_answer_form_shows_at_most_twenty_comments_and_how_many_there_are(app, client, submitted, people):
    declaration, submission = submitted
    first = _said(app, declaration, people, comments=25)
    login(client, people["reviewer"].email)
    page = client.get(f"/submissions/{submission.id}/recommendations/{first}/answer").get_data(as_text=True)
    assert "25 published comments from the consultation" in page
    assert "Comment 19" in page and "Comment 20" not in page
    assert "The first 20 of 25 comments are shown." in page
    assert f"/declarations/{declaration.id}/recommendation/{first}/comments" in page


def test_comments_of_a_members_only_declaration_stay_with_the_alliance(app, client, people, make_declaration):
    declaration = make_declaration("signon", visibility="members")
    login(client, people["coordinator"].email)
    submit(client, declaration.id, [people["reviewer"].institution_id])
    client.post("/logout")
    first = _said(app, declaration, people)
    submission = the_submission(app, declaration.id)
    login(client, people["reviewer"].email)
    page = client.get(f"/submissions/{submission.id}/recommendations/{first}/answer").get_data(as_text=True)
    assert "What the alliance said" in page and "Comment 00" not in page
