"""Silence is visible (issue 27): once an institution's date for answers has passed, every recommendation addressed
to it still without a published answer says "No answer from <institution> N days after the deadline" — on the
dossier (the public extract too), the recommendation's page and the tracker — and a receipt not acknowledged
after its date says so on the dossier. Each disappears once the work is done."""
import re
from datetime import timedelta

from flask import render_template
from sqlalchemy import update

from app.extensions import db
from app.institutions.models import Institution
from app.submissions.models import RecipientDeadline, Submission, SubmittedRecommendation
from app.submissions.views import _dossier_context
from app.time import local_date, utcnow
from tests.helpers import login, publish_answers, submit, the_submission


def plain(response) -> str:
    return re.sub(r"</?bdi[^>]*>", "", response.get_data(as_text=True))


def set_dates(app, submission_id, **days):
    with app.app_context():
        db.session.execute(update(RecipientDeadline).where(RecipientDeadline.submission_id == submission_id).values(
            **{key: local_date(utcnow()) + timedelta(days=value) for key, value in days.items()}))
        db.session.commit()


def institution_name(app, people):
    with app.app_context():
        return db.session.get(Institution, people["reviewer"].institution_id).name


def test_a_visitor_sees_the_silence_of_a_public_dossier_until_the_answers_come(app, client, submitted, people):
    declaration, submission = submitted
    first, second, third = declaration.recommendations
    name = institution_name(app, people)
    pages = {"dossier": f"/submissions/{submission.id}", "recommendation": f"/recommendations/{first}",
             "tracker": f"/tracker?declaration={declaration.id}"}
    for label, path in pages.items():  # before the dates: nothing is late
        assert "after the deadline" not in plain(client.get(path)), label
    set_dates(app, submission.id, acknowledge_by=-4, answer_by=-3)
    dossier = plain(client.get(pages["dossier"]))
    assert "public extract" in dossier
    assert f"{name} has not acknowledged receipt, 4 days after the deadline" in dossier
    assert dossier.count(f"No answer from {name} 3 days after the deadline") == 1 + 3  # the institution, each rec
    assert f"No answer from {name} 3 days after the deadline: 3 recommendations addressed to it have no published " \
           "answer." in dossier
    assert f"No answer from {name} 3 days after the deadline" in plain(client.get(pages["recommendation"]))
    assert plain(client.get(pages["tracker"])).count(f"No answer from {name} 3 days after the deadline") == 3

    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    assert client.post(f"/submissions/{submission.id}/recommendations/{first}/answer", data={
        "position": "noted", "explanation": "Prosecution units are the provinces' to set up.",
        "lead_institution": "", "target_date": ""}).status_code == 303
    assert f"No answer from {name}" in plain(client.get(pages["recommendation"]))  # a draft is not an answer
    assert publish_answers(client, submission.id).status_code == 303
    client.post("/logout")
    dossier = plain(client.get(pages["dossier"]))
    assert "has not acknowledged receipt" not in dossier
    assert dossier.count(f"No answer from {name} 3 days after the deadline") == 1 + 2
    assert "after the deadline: 2 recommendations addressed to it have no published answer." in dossier
    assert "No answer from" not in plain(client.get(pages["recommendation"]))
    assert plain(client.get(pages["tracker"])).count("No answer from") == 2


def test_one_day_after_the_deadline_is_said_in_the_singular(app, client, submitted, people):
    declaration, submission = submitted
    set_dates(app, submission.id, acknowledge_by=-1, answer_by=-1)
    page = plain(client.get(f"/submissions/{submission.id}"))
    assert "has not acknowledged receipt, 1 day after the deadline" in page
    assert "1 day after the deadline" in page and "1 days" not in page


def test_a_recommendation_addressed_to_another_institution_is_not_counted_against_this_one(
        app, client, people, make_declaration, make_user):
    declaration = make_declaration("signon", visibility="public")
    other = make_user("reviewer")
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id, other.institution_id]
                  ).status_code == 303
    submission = the_submission(app, declaration.id)
    client.post("/logout")
    with app.app_context():  # every recommendation is addressed to the reviewer's ministry only
        other_name = db.session.get(Institution, other.institution_id).name
        assert db.session.query(SubmittedRecommendation).filter_by(submission_id=submission.id).count() == 3
    set_dates(app, submission.id, acknowledge_by=-2, answer_by=-2)
    dossier = plain(client.get(f"/submissions/{submission.id}"))
    assert f"No answer from {institution_name(app, people)} 2 days after the deadline" in dossier
    assert f"No answer from {other_name}" not in dossier  # it owes no answer
    assert f"{other_name} has not acknowledged receipt, 2 days after the deadline" in dossier  # but owes receipt


def test_a_members_only_dossier_keeps_its_silence_within_the_alliance(app, client, people, make_declaration):
    declaration = make_declaration("signon", visibility="members")
    login(client, people["coordinator"].email)
    submit(client, declaration.id, [people["reviewer"].institution_id])
    submission = the_submission(app, declaration.id)
    set_dates(app, submission.id, acknowledge_by=-2, answer_by=-2)
    assert "No answer from" in plain(client.get(f"/submissions/{submission.id}"))  # the coordinator
    client.post("/logout")
    visitor = client.get(f"/submissions/{submission.id}")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    assert "No answer from" not in plain(client.get("/tracker"))


def test_the_pdf_stays_the_dossier_as_submitted(app, client, submitted, people):
    declaration, submission = submitted
    set_dates(app, submission.id, acknowledge_by=-2, answer_by=-2)
    login(client, people["coordinator"].email)
    html = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "No answer from" in html
    with app.test_request_context():
        pdf_html = render_template("submissions/dossier_pdf.html", **_dossier_context(
            db.session.get(Submission, submission.id), True))
    assert "No answer from" not in pdf_html and "after the deadline" not in pdf_html
