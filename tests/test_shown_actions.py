"""Every button a page shows is one its viewer may press. For each role, the pages a person reaches by
following links from the declarations are crawled; every POST form (each of its named buttons apart) is then
sent with plausible values, from the same starting state each time (the database file is put back before
each). A form that answers 403 or 404, a 5xx, a refusal on the next page, or a refusal without any field to
correct, is a button shown to someone who may not use it."""
import os
import re
import shutil
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from app.comments.models import Comment
from app.extensions import db
from tests.helpers import POSTGRES_URL, login, post_phase, sign

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="the starting state is restored as a SQLite file")

ROLES = ("member", "representative", "expert", "coordinator", "reviewer", "admin")
# Always allowed to whoever sees them, and they would end the crawler's login or language.
NOT_SENT = {"/logout", "/account/logout-everywhere", "/language"}
MAX_PAGES = 90
PREFIXES = ("/declarations/", "/submissions", "/comments/", "/amendments/", "/moderation", "/organizations/",
            "/recommendations/", "/tracker", "/invitations", "/admin")
SKIP_LINK = re.compile(r"\.(csv|json|pdf)$|/compare|/history|/search|/static/|/verify|/reset|/invite/")


class Forms(HTMLParser):
    """The POST forms of a page with their fields, and the page's links."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action"), "fields": [], "buttons": [], "selects": {}}
        elif self._form is None:
            return
        elif tag == "input":
            self._form["fields"].append(a)
            if (a.get("type") or "") == "submit" and a.get("name"):
                self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form["buttons"].append((a.get("name"), a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
            self._form["selects"][self._select] = []
        elif tag == "option" and self._select:
            self._form["selects"][self._select].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form["fields"].append({"type": "textarea", "name": self._textarea, "value": ""})

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][-1]["value"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


# Fields whose text names something that must exist: what a person types there.
TYPED_BY_NAME = {"organization": "Human Rights Action Forum",  # an organization, as the directory names it
                 "add": ""}  # the co-drafters' and translators' "add by email address": nobody new


def _values(form) -> dict:
    """What a person would send: hidden values as given, text where text is asked, the chosen options."""
    data, radios = {}, {}
    for field in form["fields"]:
        name, kind, value = field.get("name"), (field.get("type") or "text").lower(), field.get("value")
        if not name or kind == "submit":
            continue
        if kind == "radio":
            if "checked" in field or name not in radios:
                radios[name] = value or ""
        elif kind == "checkbox":
            if "checked" in field:
                data.setdefault(name, []).append(value or "y")
        else:
            data[name] = (value or TYPED_BY_NAME[name]) if name in TYPED_BY_NAME else _typed(kind, value)
    data.update(radios)
    for name, options in form["selects"].items():
        chosen = [v for v, selected in options if selected and v] or [v for v, _s in options if v] or [""]
        data[name] = chosen[0]
    return data


def _typed(kind: str, value: str | None) -> str:
    """What a person types in a field of this kind, given the value it came with."""
    if kind == "password":
        return "correct horse battery"
    return value or {
        "date": date.today().isoformat(), "email": "someone.new@example.org", "number": "0",
        "datetime-local": (date.today() + timedelta(days=10)).isoformat() + "T12:00",
    }.get(kind, "A considered text, long enough for any field.")


@pytest.fixture
def world(app, client, people, make_declaration, submitted):
    """A consultation with a member's comment, a flag and a pending amendment; a closed consultation with a
    comment from before it closed; a sign-on with a signature; a submission."""
    open_ = make_declaration(title="Open consultation")
    closing = make_declaration(title="Closed consultation")
    signon = make_declaration("signon", visibility="public", title="In sign-on")
    login(client, people["member"].email)
    for declaration in (open_, closing):
        item = declaration.recommendations[0]
        assert client.post(f"/declarations/{declaration.id}/recommendation/{item}/comments",
                           data={"body": "Name the provinces."}).status_code in (302, 303)
    for declaration in (open_, closing):
        assert client.post(f"/declarations/{declaration.id}/recommendation/{declaration.recommendations[1]}/amend",
                           data={"text": "Open shelters in every district.", "rationale": "Closer to people."}
                           ).status_code in (302, 303)
    client.post("/logout")
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id).order_by(Comment.id))
    login(client, people["representative"].email)
    assert client.post(f"/comments/{comment_id}/flag", data={"reason": "Off topic."}).status_code in (302, 303)
    assert sign(client, signon.id).status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert post_phase(client, closing.id, {"target": "revision"}).status_code in (302, 303)
    client.post("/logout")
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    recommendation_id = submission.content["text"]["recommendations"][0]["id"]
    assert client.post(f"/submissions/{submission.id}/recommendations/{recommendation_id}/answer",
                       data={"position": "supported", "explanation": "We agree.", "lead_institution": "",
                             "target_date": "2099-12-31"}).status_code == 303
    client.post("/logout")
    return [f"/declarations/{d}" for d in (open_.id, closing.id, signon.id, declaration.id)] + [
        f"/submissions/{submission.id}", f"/submissions/{submission.id}/respond", "/moderation", "/tracker", "/",
        "/account"]


def _crawl(client, seeds) -> list[tuple[str, dict]]:
    seen, queue, found = set(), list(seeds), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        parser = Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            action = urlsplit(urljoin(path, form["action"] or path)).path
            for button in form["buttons"] or [(None, "")]:
                found.setdefault((action, button), (path, form))
        for href in parser.links:
            target = urlsplit(urljoin(path, href))
            if not target.netloc and target.path.startswith(PREFIXES) \
                    and not SKIP_LINK.search(target.path):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return [(page, dict(form, button=button)) for (action, button), (page, form) in found.items()
            if action not in NOT_SENT]


def _problem(client, page, form) -> str | None:
    action = urlsplit(urljoin(page, form["action"] or page)).path
    data = _values(form)
    name, value = form["button"]
    if name:
        data[name] = value
    response = client.post(action, data=data)
    status = response.status_code
    if status in (403, 404, 405) or status >= 500:
        return f"{status}"
    if status in (302, 303):
        landing = client.get(response.headers["Location"])
        refusal = re.search(r'class="flash flash-error">([^<]+)<', landing.get_data(as_text=True))
        return f"refused: {refusal.group(1)}" if refusal else None
    text = response.get_data(as_text=True)
    if status == 422 and "field-error" not in text:
        refusal = re.search(r'class="alert alert-error[^"]*"[^>]*>\s*<p>([^<]+)<', text)
        return f"refused: {refusal.group(1) if refusal else '422 with nothing to correct'}"
    return None


def _restore(app, path):
    with app.app_context():
        db.engine.dispose()
    for extra in ("-wal", "-shm"):
        if os.path.exists(path + extra):
            os.remove(path + extra)
    shutil.copy(path + ".start", path)


def test_every_button_shown_is_one_its_viewer_may_press(app, people, world, database_url, make_app):
    path = database_url.removeprefix("sqlite:///")
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        assert login(clients[role], people[role].email).status_code == 302
    actions = {role: _crawl(clients[role], world) for role in ROLES}
    with app.app_context():
        db.engine.dispose()
    shutil.copy(path, path + ".start")
    assert not os.path.exists(path + "-wal") or os.path.getsize(path + "-wal") == 0
    problems, sent = [], 0
    for role, forms in actions.items():
        for page, form in forms:
            _restore(app, path)
            problem = _problem(clients[role], page, form)
            sent += 1
            if problem:
                problems.append(f"{role} on {page}: {form['action']} {form['button']} → {problem}")
    print(f"{sent} buttons sent: " + ", ".join(f"{role} {len(forms)}" for role, forms in actions.items()))
    assert sent > 100, sent
    assert not problems, "\n".join(problems)
