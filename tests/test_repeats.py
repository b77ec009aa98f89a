"""A create form sent many times at once (a double click, a resent page, a flaky connection) makes one
object, and every repeat is answered where the first sending led. Against a real threaded server with CSRF
on, on SQLite and PostgreSQL."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.comments.models import Comment
from app.extensions import db
from tests.helpers import PASSWORD, totp_code
from tests.webclient import WebClient

pytestmark = pytest.mark.timeout(300)
KEY = re.compile(r'name="form_key" type="hidden" value="([^"]+)"')


def _parallel(base, client, path, form, times=20):
    start = threading.Barrier(times)

    def send(_n):
        own = WebClient(base)
        own.cookies = dict(client.cookies)
        start.wait(10)
        status, headers, _text, _t = own.post(path, form, keep_cookies=False)
        return status, headers.get("Location", "")
    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(send, range(times)))


def test_twenty_identical_comment_posts_make_one_comment(live_server, people, make_declaration):
    app, base = live_server
    declaration = make_declaration()
    client = WebClient(base)
    client.login(people["member"].email, PASSWORD)
    path = f"/declarations/{declaration.id}/section/{declaration.sections[0]}/comments"
    page = client.get(path)[2]
    form = {"csrf_token": client.csrf(path), "form_key": KEY.search(page).group(1), "body": "Clicked twice, once."}
    answers = _parallel(base, client, path, form)
    with app.app_context():
        comments = db.session.scalars(select(Comment).where(Comment.body_source == "Clicked twice, once.")).all()
    assert len(comments) == 1
    assert {status for status, _location in answers} <= {302, 303}
    assert {location.split("#")[1] for _status, location in answers} == {f"c{comments[0].id}"}


def test_a_new_form_on_the_same_page_is_a_new_comment(live_server, people, make_declaration):
    """The key is per rendered form: writing a second comment later is not mistaken for a repeat."""
    app, base = live_server
    declaration = make_declaration()
    client = WebClient(base)
    client.login(people["member"].email, PASSWORD)
    path = f"/declarations/{declaration.id}/section/{declaration.sections[0]}/comments"
    for body in ("First point.", "Second point."):
        page = client.get(path)[2]
        client.post(path, {"csrf_token": client.csrf(path), "form_key": KEY.search(page).group(1), "body": body})
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 2


@pytest.mark.parametrize("form_path, fields, count", [
    ("/invitations/new", {"email": "twice@example.org", "capacity": "expert"},
     "SELECT count(*) FROM invitations WHERE email = 'twice@example.org'"),
    ("/declarations/{d}/events/new", {"title": "Workshop in Lahore", "held_on": "2026-11-20", "venue": "Lahore",
                                      "participants_in_person": "30", "participants_online": "5", "women": "12",
                                      "men": "18", "other_gender": "0", "organizers": "", "notes": ""},
     "SELECT count(*) FROM consultation_events WHERE title = 'Workshop in Lahore'"),
])
def test_other_create_forms_sent_ten_times_at_once_make_one(live_server, people, make_declaration, form_path,
                                                             fields, count):
    from sqlalchemy import text
    app, base = live_server
    declaration = make_declaration()
    client = WebClient(base)
    client.login(people["coordinator"].email, PASSWORD, code=lambda: totp_code(app, people["coordinator"].email))
    path = form_path.format(d=declaration.id)
    page = client.get(path)[2]
    form = {"csrf_token": client.csrf(path), "form_key": KEY.search(page).group(1), **fields}
    answers = _parallel(base, client, path, form, times=10)
    assert {status for status, _location in answers} <= {302, 303}, answers
    with app.app_context():
        assert db.session.execute(text(count)).scalar() == 1
