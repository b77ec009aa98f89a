"""Answers on time (issue 27): at submission the coordinator gives each institution a date to acknowledge receipt by
and a date for answers (the settings suggest them); a coordinator moves them later, audited; a submission made
before there were deadlines says so and can be given some; the institution's reviewers see the dates counted
from today."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.declarations.models import Declaration
from app.errors import RuleError
from app.extensions import db
from app.submissions import services
from app.submissions.models import RecipientDeadline, Submission
from app.time import local_date, utcnow
from tests.helpers import login, submit, the_submission


def today(app):
    with app.app_context():
        return local_date(utcnow())


def deadline_of(app, submission_id, institution_id):
    with app.app_context():
        row = db.session.get(RecipientDeadline, (submission_id, institution_id))
        if row is not None:
            db.session.expunge(row)
        return row


def set_deadline(app, submission_id, institution_id, **values):
    with app.app_context():
        row = db.session.get(RecipientDeadline, (submission_id, institution_id))
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def date_input(html: str, name: str) -> str | None:
    found = re.search(rf'<input type="date" id="[^"]*" name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else None


def test_the_submit_page_suggests_the_settings_dates_for_each_institution(app, client, people, make_declaration):
    declaration = make_declaration("signon")
    institution = people["reviewer"].institution_id
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{declaration.id}/submit").get_data(as_text=True)
    day = today(app)
    assert date_input(page, f"acknowledge_by_{institution}") == (day + timedelta(days=14)).isoformat()
    assert date_input(page, f"answer_by_{institution}") == (day + timedelta(days=90)).isoformat()
    assert "Acknowledge receipt by" in page and "Answers due by" in page


def test_the_chosen_deadlines_are_written_with_the_submission_and_told_to_the_reviewers(app, client, people,
                                                                                      make_declaration, mailbox):
    declaration = make_declaration("signon")
    institution = people["reviewer"].institution_id
    acknowledge_by, answer_by = today(app) + timedelta(days=7), today(app) + timedelta(days=30)
    login(client, people["coordinator"].email)
    response = submit(client, declaration.id, [institution], **{
        f"acknowledge_by_{institution}": acknowledge_by.isoformat(), f"answer_by_{institution}": answer_by.isoformat()})
    assert response.status_code == 303
    submission = the_submission(app, declaration.id)
    row = deadline_of(app, submission.id, institution)
    assert (row.acknowledge_by, row.answer_by, row.reminded, row.set_by_id) == (
        acknowledge_by, answer_by, [], people["coordinator"].id)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration_submitted"))
        assert entry.details["deadlines"] == {str(institution): [acknowledge_by.isoformat(), answer_by.isoformat()]}
    [notice] = mailbox.wait_for(people["reviewer"].email, containing="submitted to you")
    assert "Please acknowledge receipt by" in notice["body"] and str(answer_by.year) in notice["body"]


def test_a_form_without_the_date_fields_gets_the_settings_dates(app, client, people, make_declaration):
    """A page opened before there were deadlines, or a script, sends no date fields at all."""
    declaration = make_declaration("signon")
    login(client, people["coordinator"].email)
    assert submit(client, declaration.id, [people["reviewer"].institution_id]).status_code == 303
    row = deadline_of(app, the_submission(app, declaration.id).id, people["reviewer"].institution_id)
    assert (row.acknowledge_by, row.answer_by) == (today(app) + timedelta(days=14), today(app) + timedelta(days=90))


@pytest.mark.parametrize("acknowledge,answer,field,message", [
    (-1, 30, "acknowledge_by", "has passed. Give today or a later date."),
    (5, -2, "answer_by", "has passed. Give today or a later date."),
    (20, 10, "answer_by", "Answers cannot be due before receipt is acknowledged"),
    ("", 10, "acknowledge_by", "Give the date by which receipt should be acknowledged."),
    (5, "12/31/2027x", "answer_by", "This is not a date"),
])
def test_bad_deadlines_are_refused_beside_the_field_with_everything_kept(app, client, people, make_declaration,
                                                                         acknowledge, answer, field, message):
    declaration = make_declaration("signon")
    institution = people["reviewer"].institution_id

    def typed(value):
        return value if isinstance(value, str) else (today(app) + timedelta(days=value)).isoformat()
    login(client, people["coordinator"].email)
    response = submit(client, declaration.id, [institution], **{f"acknowledge_by_{institution}": typed(acknowledge),
                                                                f"answer_by_{institution}": typed(answer)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="{field}_{institution}-error">([^<]*)</p>', page)
    assert error and message in error.group(1), page[page.find("error-summary"):][:1500]
    assert f'href="#{field}_{institution}"' in page  # the summary leads to the field
    assert date_input(page, f"acknowledge_by_{institution}") == typed(acknowledge)  # what was typed, kept
    assert date_input(page, f"answer_by_{institution}") == typed(answer)
    assert re.search(rf'<input checked id="recipients-\d+" name="recipients"[^>]* value="{institution}"', page)
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).phase == "signon"
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def test_the_dates_of_an_institution_not_ticked_are_not_checked(app, client, people, make_declaration, make_user):
    declaration = make_declaration("signon")
    other = make_user("reviewer").institution_id
    login(client, people["coordinator"].email)
    response = submit(client, declaration.id, [people["reviewer"].institution_id],
                      **{f"acknowledge_by_{other}": "2001-01-01", f"answer_by_{other}": ""})
    assert response.status_code == 303
    assert deadline_of(app, the_submission(app, declaration.id).id, other) is None


def test_the_service_refuses_dates_that_cannot_be_set_whoever_calls_it(app, people, make_declaration):
    declaration = make_declaration("signon")
    institution = people["reviewer"].institution_id
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        d = db.session.get(Declaration, declaration.id)
        version = services.signing_version(d)
        day = local_date(utcnow())
        with pytest.raises(RuleError, match="Answers cannot be due before receipt"):
            services.submit(coordinator, d, version_id=version.id, institution_ids=[institution],
                            deadlines={institution: (day + timedelta(days=9), day + timedelta(days=3))})
        assert d.phase == "signon"


@pytest.fixture
def moving(app, client, submitted, people):
    """The coordinator on the deadlines page of the submitted fixture, as first shown."""
    declaration, submission = submitted
    login(client, people["coordinator"].email)
    page = client.get(f"/submissions/{submission.id}/deadlines")
    assert page.status_code == 200
    return submission, people["reviewer"].institution_id, page.get_data(as_text=True)


def _move(client, submission, institution, page, **dates):
    expected = re.search(rf'name="institution" value="{institution}"><input type="hidden" name="expected" '
                         r'value="([^"]*)"', page).group(1)
    return client.post(f"/submissions/{submission.id}/deadlines",
                       data={"institution": str(institution), "expected": expected, **dates})


def test_a_coordinator_moves_a_deadline_audited_and_its_reminders_are_sent_again(app, client, moving, people):
    submission, institution, page = moving
    before = deadline_of(app, submission.id, institution)
    set_deadline(app, submission.id, institution, reminded=["acknowledge_soon", "answer_soon"])
    later = before.answer_by + timedelta(days=30)
    response = _move(client, submission, institution, page, acknowledge_by=before.acknowledge_by.isoformat(),
                     answer_by=later.isoformat())
    assert response.status_code == 303
    assert "The deadlines are saved" in client.get(response.headers["Location"]).get_data(as_text=True)
    after = deadline_of(app, submission.id, institution)
    assert (after.acknowledge_by, after.answer_by) == (before.acknowledge_by, later)
    assert after.reminded == ["acknowledge_soon"]  # the answers' reminder goes again, for the new date
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "deadlines_moved"))
        assert entry.actor_id == people["coordinator"].id and entry.details["institution"] == institution
        assert entry.details["before"]["answer_by"] == before.answer_by.isoformat()
        assert entry.details["after"]["answer_by"] == later.isoformat()


def test_a_deadline_that_has_passed_stays_on_record(app, client, moving):
    """Moving a passed date, later or earlier, is refused (the lateness is public record); the other date may
    still move, and a date that has not passed may not be moved into the past."""
    submission, institution, _page = moving
    passed = today(app) - timedelta(days=2)
    set_deadline(app, submission.id, institution, acknowledge_by=passed)
    page = client.get(f"/submissions/{submission.id}/deadlines").get_data(as_text=True)
    answer_by = deadline_of(app, submission.id, institution).answer_by
    for moved in (passed - timedelta(days=1), today(app) + timedelta(days=10)):
        refused = _move(client, submission, institution, page, acknowledge_by=moved.isoformat(),
                        answer_by=answer_by.isoformat())
        assert refused.status_code == 422 and "stays on record" in refused.get_data(as_text=True)
        assert date_input(refused.get_data(as_text=True), "acknowledge_by") == moved.isoformat()
    assert deadline_of(app, submission.id, institution).acknowledge_by == passed
    into_the_past = _move(client, submission, institution, page, acknowledge_by=passed.isoformat(),
                          answer_by=(today(app) - timedelta(days=1)).isoformat())
    assert into_the_past.status_code == 422
    assert "has passed. Give today or a later date." in into_the_past.get_data(as_text=True)
    kept = _move(client, submission, institution, page, acknowledge_by=passed.isoformat(),
                 answer_by=(answer_by + timedelta(days=1)).isoformat())
    assert kept.status_code == 303
    assert deadline_of(app, submission.id, institution).answer_by == answer_by + timedelta(days=1)


@pytest.mark.parametrize("typed,said", [("garbage", "This is not a date"), ("2026-02-30", "This is not a date"),
                                        ("", "Give the date by which answers are due."),
                                        ("9999-12-31", "Give a date within five years")])
def test_a_date_that_is_not_one_or_too_far_is_named_for_what_it_is(app, client, moving, typed, said):
    submission, institution, page = moving
    before = deadline_of(app, submission.id, institution)
    response = _move(client, submission, institution, page, acknowledge_by=before.acknowledge_by.isoformat(),
                     answer_by=typed)
    assert response.status_code == 422 and said in response.get_data(as_text=True)
    assert deadline_of(app, submission.id, institution).answer_by == before.answer_by


def test_a_page_opened_before_another_coordinator_moved_the_dates_changes_nothing(app, client, moving):
    submission, institution, page = moving
    row = deadline_of(app, submission.id, institution)
    set_deadline(app, submission.id, institution, answer_by=row.answer_by + timedelta(days=5))  # meanwhile
    stale = _move(client, submission, institution, page, acknowledge_by=row.acknowledge_by.isoformat(),
                  answer_by=(row.answer_by + timedelta(days=9)).isoformat())
    assert stale.status_code == 422 and "were changed after this page was opened" in stale.get_data(as_text=True)
    assert deadline_of(app, submission.id, institution).answer_by == row.answer_by + timedelta(days=5)


def test_a_submission_from_before_deadlines_says_so_and_can_be_given_them(app, client, submitted, people):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    with app.app_context():
        db.session.execute(delete(RecipientDeadline))
        db.session.commit()
    assert "No deadline set." in client.get(f"/submissions/{submission.id}").get_data(as_text=True)  # a visitor
    login(client, people["reviewer"].email)
    assert "No deadline set." in client.get(f"/submissions/{submission.id}/respond").get_data(as_text=True)
    assert "No deadline set." in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, people["coordinator"].email)
    page = client.get(f"/submissions/{submission.id}/deadlines").get_data(as_text=True)
    assert "No deadline set." in page and "Set the deadlines" in page
    acknowledge_by, answer_by = today(app) + timedelta(days=3), today(app) + timedelta(days=40)
    assert _move(client, submission, institution, page, acknowledge_by=acknowledge_by.isoformat(),
                 answer_by=answer_by.isoformat()).status_code == 303
    row = deadline_of(app, submission.id, institution)
    assert (row.acknowledge_by, row.answer_by, row.set_by_id) == (acknowledge_by, answer_by, people["coordinator"].id)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "deadlines_set"))
        assert entry.details["before"] is None
        assert entry.details["after"]["acknowledge_by"] == acknowledge_by.isoformat()


@pytest.mark.parametrize("role", ["member", "representative", "expert", "reviewer", "admin"])
def test_only_coordinators_set_or_move_deadlines(app, client, submitted, people, role):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    row = deadline_of(app, submission.id, institution)
    login(client, people[role].email)
    assert client.get(f"/submissions/{submission.id}/deadlines").status_code in (403, 404)
    assert client.post(f"/submissions/{submission.id}/deadlines", data={
        "institution": str(institution), "expected": f"{row.acknowledge_by}/{row.answer_by}",
        "acknowledge_by": row.acknowledge_by.isoformat(), "answer_by": "2099-01-01"}).status_code in (403, 404)
    assert "Set or move the deadlines" not in client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert deadline_of(app, submission.id, institution).answer_by == row.answer_by


def test_the_reviewer_sees_the_dates_counted_from_today(app, client, submitted, people):
    declaration, submission = submitted
    institution = people["reviewer"].institution_id
    set_deadline(app, submission.id, institution, acknowledge_by=today(app) + timedelta(days=3),
                 answer_by=today(app) + timedelta(days=1))
    login(client, people["reviewer"].email)
    for path in ("/", f"/submissions/{submission.id}/respond", f"/submissions/{submission.id}"):
        page = client.get(path).get_data(as_text=True)
        assert re.search(r"Acknowledge receipt by [^<(]+ \(in 3 days\)\.", page), path
        assert re.search(r"Answers due by [^<(]+ \(in 1 day\)\.", page), path
    set_deadline(app, submission.id, institution, acknowledge_by=today(app) - timedelta(days=5),
                 answer_by=today(app))
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Acknowledge receipt by" not in page and "Acknowledgement was due" not in page  # done: not counted
    assert re.search(r"Answers due by [^<(]+ \(today\)\.", page)
    form = client.get(f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/answer")
    assert re.search(r"Answers due by [^<(]+ \(today\)\.", form.get_data(as_text=True))
    set_deadline(app, submission.id, institution, answer_by=today(app) - timedelta(days=5))
    page = client.get(f"/submissions/{submission.id}/respond").get_data(as_text=True)
    assert re.search(r"Answers were due [^<:]+: 5 days late\.", page)
