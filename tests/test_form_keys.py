"""Every form that makes something needs the one-time key its page gave it (app/form_keys): sent without one,
or with something that is not a key, it is refused as an expired form — 422, nothing written, the text kept
and a fresh key to send it again with. Each create view is checked; a new one that claims a key and is
missing from the table below fails test_every_create_view_is_checked."""
import ast
import io
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text

from app.comments.models import Comment
from app.extensions import db
from app.web.forms import CreateForm
from tests.helpers import PASSWORD, login, publish_answers
from tests.webclient import WebClient

APP = Path(__file__).resolve().parent.parent / "app"
KEY = re.compile(r'name="form_key" type="hidden" value="([A-Za-z0-9_-]{20,64})"')
EXPIRED = "This form has expired. Your text is kept below: send it again."


@dataclass
class CreatePage:
    page: str  # where the form is shown
    action: str  # where it is sent
    fields: dict  # what the person filled in, without the key
    kept: str  # the text that must come back on a refused page
    table: str  # where what it makes is written


def _id(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where).order_by(model.id.desc()))


def _thread(d) -> str:
    return f"/declarations/{d.id}/section/{d.sections[0]}/comments"


def _comment_by_representative(app, client, people, d) -> int:
    login(client, people["representative"].email)
    assert client.post(_thread(d), data={"body": "Somebody else's comment."}).status_code == 302
    client.post("/logout")
    return _id(app, Comment, body_source="Somebody else's comment.")


def comment(app, client, people, request):
    d = request.getfixturevalue("consultation")
    login(client, people["member"].email)
    return CreatePage(_thread(d), _thread(d), {"body": "A comment kept when refused."},
                      "A comment kept when refused.", "comments")


def reply(app, client, people, request):
    d = request.getfixturevalue("consultation")
    parent = _comment_by_representative(app, client, people, d)
    login(client, people["member"].email)
    return CreatePage(f"{_thread(d)}?reply={parent}", _thread(d),
                      {"body": "A reply kept when refused.", "parent_id": str(parent)},
                      "A reply kept when refused.", "comments")


def _amendment(app, client, d) -> int:
    from app.amendments.models import Amendment
    assert client.post(f"/declarations/{d.id}/recommendation/{d.recommendations[1]}/amend",
                       data={"text": "Open shelters in every district.", "rationale": "Closer."}).status_code == 302
    return _id(app, Amendment)


def amendment_comment(app, client, people, request):
    d = request.getfixturevalue("consultation")
    login(client, people["member"].email)
    amendment = _amendment(app, client, d)
    return CreatePage(f"/amendments/{amendment}", f"/amendments/{amendment}",
                      {"body": "A view on the amendment, kept."}, "A view on the amendment, kept.", "comments")


def amendment(app, client, people, request):
    d = request.getfixturevalue("consultation")
    login(client, people["member"].email)
    path = f"/declarations/{d.id}/recommendation/{d.recommendations[1]}/amend"
    return CreatePage(path, path, {"text": "Open shelters in every tehsil.", "rationale": "A rationale kept."},
                      "A rationale kept.", "amendments")


def flag(app, client, people, request):
    d = request.getfixturevalue("consultation")
    comment_id = _comment_by_representative(app, client, people, d)
    login(client, people["member"].email)
    path = f"/comments/{comment_id}/flag"
    return CreatePage(path, path, {"reason": "It names a victim, kept."}, "It names a victim, kept.",
                      "comment_flags")


def event(app, client, people, request):
    d = request.getfixturevalue("consultation")
    login(client, people["coordinator"].email)
    path = f"/declarations/{d.id}/events/new"
    return CreatePage(path, path, {"title": "Consultation in Quetta, kept", "held_on": "2026-10-12",
                                   "venue": "Quetta", "participants_in_person": "40", "participants_online": "0",
                                   "women": "12", "men": "28", "other_gender": "", "organizers": "",
                                   "notes": ""}, "Consultation in Quetta, kept", "consultation_events")


def invitation(app, client, people, request):
    login(client, people["coordinator"].email)
    return CreatePage("/invitations/new", "/invitations/new", {"email": "kept@example.org", "capacity": "expert"},
                      "kept@example.org", "invitations")


def _acknowledged(client, people, request):
    declaration, submission = request.getfixturevalue("submitted")
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    return declaration, submission


def _published_answer(client, people, request):
    declaration, submission = _acknowledged(client, people, request)
    rec = declaration.recommendations[1]
    assert client.post(f"/submissions/{submission.id}/recommendations/{rec}/answer", data={
        "position": "supported", "explanation": "We agree.", "lead_institution": "", "target_date": "2099-12-31"}
    ).status_code == 303
    assert publish_answers(client, submission.id).status_code in (302, 303)
    return submission, rec


def answer(app, client, people, request):
    declaration, submission = _acknowledged(client, people, request)
    path = f"/submissions/{submission.id}/recommendations/{declaration.recommendations[0]}/answer"
    return CreatePage(path, path, {"position": "supported", "explanation": "An answer kept when refused.",
                                   "lead_institution": "", "target_date": "2099-12-31"},
                      "An answer kept when refused.", "answers")


def update(app, client, people, request):
    submission, rec = _published_answer(client, people, request)
    path = f"/submissions/{submission.id}/recommendations/{rec}/update"
    return CreatePage(path, path, {"status": "in_progress", "evidence": "Two shelters funded, kept.",
                                   "happened_on": date.today().isoformat()},
                      "Two shelters funded, kept.", "implementation_updates")


def assessment(app, client, people, request):
    submission, rec = _published_answer(client, people, request)
    client.post("/logout")
    login(client, people["coordinator"].email)
    path = f"/submissions/{submission.id}/recommendations/{rec}/assessment"
    return CreatePage(path, path, {"rating": "limited", "notes": "Only one is open, kept."},
                      "Only one is open, kept.", "assessments")


# Each create view, with the place in the code where it claims its key and the form it shows.
def imported_declaration(app, client, people, request):
    """The form key of an import goes from the upload page, through the preview, to the confirmation."""
    from tests.documents.test_import_web import draft_docx
    login(client, people["coordinator"].email)
    page = client.get("/declarations/import").get_data(as_text=True)
    preview = client.post("/declarations/import", data={
        "document": (io.BytesIO(draft_docx()), "draft.docx"), "kind": "declaration", "moderation": "post",
        "visibility": "members", "form_key": KEY.search(page).group(1)}, content_type="multipart/form-data")
    token = re.search(r'name="preview" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    return CreatePage("/declarations/import", "/declarations/import/confirm",
                      {"preview": token, "kind": "declaration", "moderation": "post", "visibility": "members",
                       "action": "confirm"}, "Karachi Declaration on Trafficking", "declarations")


CASES = {
    imported_declaration: ("documents/uploads.py:import_new_confirm", "NewPreviewForm"),
    comment: ("comments/posting.py:post_comment", "CommentForm"),
    reply: ("comments/posting.py:post_comment", "CommentForm"),
    amendment_comment: ("comments/posting.py:post_comment", "CommentForm"),
    amendment: ("amendments/views.py:propose", "AmendmentForm"),
    flag: ("comments/views.py:flag", "FlagForm"),
    event: ("declarations/editor.py:event", "EventForm"),
    invitation: ("accounts/views.py:_invitation_page", "InvitationForm"),
    answer: ("responses/views.py:answer", "AnswerForm"),
    update: ("responses/views.py:post_update", "UpdateForm"),
    assessment: ("responses/views.py:assess", "AssessmentForm"),
}


# The one place that claims the key a view hands it (app/web/pages.py).
CLAIMS_FOR_VIEWS = "web/pages.py:carry_out"


def _claims(node) -> bool:
    """A call that claims a form's key: carry_out(…, form_key=…), or form_keys.claim(…)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name) and func.id == "carry_out":
        return any(keyword.arg == "form_key" for keyword in node.keywords)
    return (isinstance(func, ast.Attribute) and func.attr == "claim" and isinstance(func.value, ast.Name)
            and func.value.id == "form_keys")


def _claims_in_the_code() -> set[str]:
    """Every function in app/ that claims a form's key, as "file:function"."""
    found = set()
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and any(map(_claims, ast.walk(function))):
                found.add(f"{path.relative_to(APP).as_posix()}:{function.name}")
    assert CLAIMS_FOR_VIEWS in found
    return found - {CLAIMS_FOR_VIEWS}


def _create_forms() -> set[str]:
    found, todo = set(), [CreateForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass.__name__)
            todo.append(subclass)
    return found


def test_every_create_view_is_checked(app):
    assert len(_claims_in_the_code()) >= 8
    assert {site for site, _form in CASES.values()} == _claims_in_the_code()
    assert {form for _site, form in CASES.values()} == _create_forms()


def _count(app, table: str) -> int:
    with app.app_context():
        return db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 - names above


@pytest.mark.parametrize("setup", list(CASES), ids=lambda setup: setup.__name__)
def test_a_create_form_without_its_key_is_refused_with_the_text_kept(app, client, people, request, setup):
    form = setup(app, client, people, request)
    shown = [client.get(form.page) for _ in range(2)]
    assert [page.status_code for page in shown] == [200, 200]
    keys = [KEY.findall(page.get_data(as_text=True)) for page in shown]
    assert all(keys) and not set(keys[0]) & set(keys[1])  # a new key each time the form is shown
    before = _count(app, form.table)

    client.sends_form_keys = False  # as a script posts, or a page from before keys
    for key in (None, "", "short", "not a key, but long enough to be one", keys[0][0] + "\u00e9"):
        fields = form.fields if key is None else {**form.fields, "form_key": key}
        refused = client.post(form.action, data=fields)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422, (key, page[:2000])
        assert EXPIRED in page, key
        assert str(escape(form.kept)) in page, key  # what was written comes back, to be sent again
        assert _count(app, form.table) == before, key

    fresh = KEY.findall(page)
    assert fresh and fresh[0] not in keys[0] + keys[1]
    sent = client.post(form.action, data={**form.fields, "form_key": fresh[0]})
    assert sent.status_code in (302, 303), sent.get_data(as_text=True)[:2000]
    assert _count(app, form.table) == before + 1


def test_twenty_identical_comment_posts_without_a_key_make_no_comment(live_server, people, consultation):
    """The outside probe's case, against a real server with CSRF on: the same form sent twenty times at once
    without its key. Before, each made a comment."""
    app, base = live_server
    client = WebClient(base)
    client.login(people["member"].email, PASSWORD)
    path = _thread(consultation)
    form = {"csrf_token": client.csrf(path), "body": "Twenty times, no key."}
    start, statuses = threading.Barrier(20), []

    def send():
        own = WebClient(base)
        own.cookies = dict(client.cookies)
        start.wait(10)
        statuses.append(own.post(path, form, keep_cookies=False)[0])
    senders = [threading.Thread(target=send) for _ in range(20)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(60)
    assert statuses == [422] * 20
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
