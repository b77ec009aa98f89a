"""Nothing irreversible happens in one click. Every POST endpoint that changes a phase, publishes, submits,
closes or deletes is reached from a confirmation page: the page shows what will happen and its form carries
what the person saw (hidden fields: a hash, a revision, a deadline, the chosen drafts); the same POST without
them is refused and changes nothing, and with them it does what the page said."""
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.comments.models import Comment
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.responses.models import Answer
from app.submissions.models import SubmissionClosure
from tests.helpers import login

# Words in an endpoint's name or rule (its <any(…)> choices included) that make a POST irreversible.
IRREVERSIBLE = re.compile(r"phase|publish|submit|close|delete")
NOT_SEEN = {"csrf_token", "form_key"}


@dataclass
class Case:
    page: str  # the confirmation page (GET)
    post: str  # where its form posts
    done: Callable[[], bool]  # whether the action happened
    extra: dict | Callable | None = None  # what the person types or chooses on the page (or: html → that)


def _phase(app, client, people, make_declaration, **_):
    d = make_declaration("revision")
    login(client, people["coordinator"].email)

    def done():
        with app.app_context():
            return db.session.get(Declaration, d.id).phase == "signon"
    return Case(f"/declarations/{d.id}/phase/signon", f"/declarations/{d.id}/phase", done, {"deadline": ""})


def _delete_item(app, client, people, make_declaration, **_):
    d = make_declaration("drafting")
    login(client, people["coordinator"].email)
    item = d.recommendations[0]

    def done():
        with app.app_context():
            return db.session.get(Recommendation, item).deleted_at is not None
    url = f"/declarations/{d.id}/recommendation/{item}/delete"
    return Case(url, url, done)


def _delete_comment(app, client, people, make_declaration, **_):
    d = make_declaration("consultation")
    login(client, people["member"].email)
    response = client.post(f"/declarations/{d.id}/recommendation/{d.recommendations[0]}/comments",
                           data={"body": "A comment to delete."})
    assert response.status_code in (302, 303)
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id).where(Comment.declaration_id == d.id))

    def done():
        with app.app_context():
            return db.session.get(Comment, comment_id).deleted_at is not None
    url = f"/comments/{comment_id}/delete"
    return Case(url, url, done)


def _close_signon(app, client, people, make_declaration, **_):
    d = make_declaration("signon")
    login(client, people["coordinator"].email)

    def done():
        with app.app_context():
            return db.session.get(Declaration, d.id).signon_deadline is not None
    return Case(f"/declarations/{d.id}/signon", f"/declarations/{d.id}/close-signon", done)


def _move_signon_deadline(app, client, people, make_declaration, **_):
    d = make_declaration("signon")
    login(client, people["coordinator"].email)

    def done():
        with app.app_context():
            return db.session.get(Declaration, d.id).signon_deadline is not None
    return Case(f"/declarations/{d.id}/signon", f"/declarations/{d.id}/signon", done,
                {"deadline": "2099-05-01T17:00"})


def _submit(app, client, people, make_declaration, **_):
    d = make_declaration("signon")
    login(client, people["coordinator"].email)

    def done():
        with app.app_context():
            return db.session.get(Declaration, d.id).phase == "submitted"
    return Case(f"/declarations/{d.id}/submit", f"/declarations/{d.id}/submit", done,
                {"recipients": [str(people["reviewer"].institution_id)]})


def _publish(app, client, people, make_declaration, request, **_):
    declaration, submission = request.getfixturevalue("submitted")
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    response = client.post(f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/answer",
                           data={"position": "supported", "explanation": "We agree.", "lead_institution": "",
                                 "target_date": "2099-12-31"})
    assert response.status_code in (302, 303), response.status_code

    def done():
        with app.app_context():
            return db.session.scalar(select(func.count(Answer.id)).where(Answer.published_at.is_not(None))) > 0
    url = f"/submissions/{submission.id}/publish"
    return Case(url, url, done, lambda html: {"publish_answer": re.findall(r'name="publish_answer" value="(\d+)"',
                                                                              html)})


def _close_followup(app, client, people, make_declaration, request, **_):
    _declaration, submission = request.getfixturevalue("submitted")
    login(client, people["coordinator"].email)

    def done():
        with app.app_context():
            return db.session.get(SubmissionClosure, submission.id) is not None
    url = f"/submissions/{submission.id}/close"
    return Case(url, url, done, {"reason": "The review cycle is over."})


CASES = {
    "responses.publish": _publish,
    "responses.close": _close_followup,
    "declarations.change_phase": _phase,
    "declarations.change_item": _delete_item,
    "comments.delete": _delete_comment,
    "submissions.close_signon": _close_signon,
    "submissions.signon": _move_signon_deadline,
    "submissions.submit": _submit,
}


def test_every_irreversible_post_has_a_confirmation_case(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and IRREVERSIBLE.search(f"{rule.endpoint} {rule.rule}"):
            found.add(rule.endpoint)
    missing = found - set(CASES)
    assert not missing, f"irreversible POSTs without a confirmation case: {sorted(missing)}"


def _seen_fields(html: str, page: str, action: str) -> dict:
    """The hidden fields of the page's form that posts to `action` (a form without one posts to the page),
    but the CSRF token and the form key."""
    forms = [form for form in BeautifulSoup(html, "html.parser").find_all("form")
             if form.get("method", "").lower() == "post" and form.get("action", page) == action]
    assert forms, f"no form posts to {action}"
    return {field["name"]: field.get("value", "") for field in forms[0].find_all("input", type="hidden")
            if field.get("name") not in NOT_SEEN}


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_an_irreversible_post_is_done_only_from_its_confirmation_page(endpoint, app, client, people,
                                                                      make_declaration, request):
    case = CASES[endpoint](app=app, client=client, people=people, make_declaration=make_declaration,
                           request=request)
    page = client.get(case.page)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    chosen = case.extra(html) if callable(case.extra) else dict(case.extra or {})
    blind = client.post(case.post, data=chosen)  # what the person chose, without what the page showed
    assert blind.status_code >= 400 or not case.done(), blind.status_code
    assert not case.done(), "done without the confirmation page"
    seen = _seen_fields(client.get(case.page).get_data(as_text=True), case.page, case.post)
    assert seen, "the confirmation page carries nothing of what it showed"
    confirmed = client.post(case.post, data={**seen, **chosen})
    assert confirmed.status_code in (302, 303), confirmed.get_data(as_text=True)[:400]
    assert case.done()
