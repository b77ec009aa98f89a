"""Every length limit is stated next to its field and text over it is refused, kept and counted, never cut:
no page carries `maxlength` (browsers cut pasted text at it without a word)."""
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from flask import render_template_string
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField
from wtforms.validators import Length as WTFormsLength

import app as app_package
from app.web.forms import Form
from tests.helpers import login

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _form_classes():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    seen, todo = [], [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("app.") and sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return sorted(seen, key=lambda c: (c.__module__, c.__name__))


FORMS = _form_classes()


def _limited_fields(form):
    for field in form:
        limits = [v for v in field.validators if isinstance(v, WTFormsLength) and v.max != -1]
        if limits:
            yield field, limits[0].max


def test_the_walk_finds_the_forms_people_write_long_text_in():
    names = {c.__name__ for c in FORMS}
    assert {"CommentForm", "AmendmentForm", "SectionForm", "AnswerForm", "OpenSignonForm", "ModerationForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_limited_field_states_its_limit_and_refuses_one_character_more_keeping_the_text(app, form_class):
    with app.test_request_context("/", method="POST"):
        form = form_class(formdata=None)
        for field, limit in _limited_fields(form):
            page = render_template_string('{% from "_macros/forms.html" import field %}{{ field(f) }}', f=field)
            assert "maxlength" not in page, f"{form_class.__name__}.{field.name} tells the browser to cut"
            stated = f"{limit:,} characters."
            assert stated in page, f"{form_class.__name__}.{field.name} does not say {stated!r}"

            text = "ب" * (limit + 1)
            sent = form_class(formdata=MultiDict({field.name: text}))
            sent[field.name].validate(sent)
            assert f"{limit + 1:,} characters; the limit is {limit:,}." in sent[field.name].errors
            assert sent[field.name].data == text  # kept whole, to be shortened
            if not isinstance(field, PasswordField):  # a password is never written back into a page
                again = render_template_string('{% from "_macros/forms.html" import field %}{{ field(f) }}',
                                               f=sent[field.name])
                assert str(escape(text)) in again

            exact = form_class(formdata=MultiDict({field.name: "ب" * limit}))
            exact[field.name].validate(exact)
            assert not [e for e in exact[field.name].errors if "the limit is" in e]


def test_no_field_in_any_template_carries_maxlength():
    """Search and filter boxes included: they state their limit and refuse a longer query whole
    (app.web.pages.query_text)."""
    found = [f"{path.relative_to(TEMPLATES)}:{n}" for path in TEMPLATES.rglob("*.html")
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if re.search(r"\bmaxlength\s*=", line)]
    assert found == []


@pytest.mark.parametrize(("role", "url", "name", "limit"), [
    ("member", "/search?q={}", "q", 200),
    ("member", "/organizations?q={}", "q", 100),
    ("admin", "/admin/users?q={}", "q", 100),
    ("admin", "/admin/audit?actor={}", "actor", 254),
    ("coordinator", "/declarations/{d}/signatories?q={}", "q", 100),
])
def test_a_search_box_states_its_limit_and_refuses_a_longer_query_whole(client, people, make_declaration, role,
                                                                          url, name, limit):
    declaration = make_declaration("signon")
    login(client, people[role].email)
    query = "w" * (limit + 7)
    page = client.get(url.format(query, d=declaration.id) if "{d}" in url else url.format(query))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'value="{query}"' in html  # kept whole, as typed
    assert f"{limit + 7:,} characters; the limit is {limit:,}." in html
    assert f"Up to {limit:,} characters." in html
    shown = client.get(url.format("w" * limit, d=declaration.id) if "{d}" in url else url.format("w" * limit))
    assert "the limit is" not in shown.get_data(as_text=True)


# --- through the pages -------------------------------------------------------------------------

def _thread(consultation):
    return f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments"


def test_a_twenty_thousand_character_comment_is_refused_whole_with_its_count(app, client, people, consultation):
    login(client, people["member"].email)
    page = client.get(_thread(consultation)).get_data(as_text=True)
    assert "Up to 5,000 characters." in page and "maxlength" not in page
    text = ("Shelters need funding in every district. " * 500)[:20_000]
    response = client.post(_thread(consultation), data={"body": text})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "20,000 characters; the limit is 5,000." in body
    assert text in body


def test_a_reply_form_states_its_limit(app, client, people, consultation):
    login(client, people["member"].email)
    client.post(_thread(consultation), data={"body": "A first comment."})
    from sqlalchemy import select

    from app.comments.models import Comment
    from app.extensions import db
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    page = client.get(f"{_thread(consultation)}?reply={comment_id}").get_data(as_text=True)
    reply = page[page.index(f'id="reply-{comment_id}"'):]
    assert "Up to 5,000 characters." in reply[:reply.index("</form>")]


def test_a_rejection_reason_over_its_limit_is_asked_again_with_the_text_kept_not_dropped(app, client, people,
                                                                                         consultation):
    """The amendment's rejection used to go through with an empty reason when the reason was too long."""
    from sqlalchemy import select

    from app.amendments.models import Amendment
    from app.extensions import db
    login(client, people["member"].email)
    item = f"/declarations/{consultation.id}/section/{consultation.sections[0]}"
    response = client.post(f"{item}/amend", data={"text": "A better preamble.", "rationale": "Clearer."})
    assert response.status_code in (302, 303), response.status_code
    with app.app_context():
        amendment_id = db.session.scalar(select(Amendment.id))
    client.post("/logout")
    login(client, people["coordinator"].email)
    reason = "Too broad. " * 200  # 2,200 characters
    response = client.post(f"/amendments/{amendment_id}/hide", data={"reason": reason})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f"{len(reason):,} characters; the limit is 2,000." in body and reason.strip() in body
    with app.app_context():
        assert db.session.get(Amendment, amendment_id).hidden_at is None
