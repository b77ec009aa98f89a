"""What the tests share besides fixtures: the test password, logging in, counting queries, and signing and
submitting through the forms as a person would. The fixtures are in conftest.py."""
import os
import re
import socket
import threading
import time
from collections.abc import Mapping
from datetime import timedelta

import pyotp
from sqlalchemy import event, select
from sqlalchemy.orm import undefer_group
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.accounts.services import hash_password
from app.declarations import services, translation
from app.declarations.models import Declaration
from app.errors import RuleError
from app.extensions import db
from app.signatures.models import Signature
from app.submissions.models import Submission
from app.time import utcnow
from app.web.forms import new_form_key

PASSWORD = "correct horse battery"


def _database_of_this_worker(url: str) -> str:
    """TEST_DATABASE_URL names the PostgreSQL database of a serial run; each pytest-xdist worker has its own
    beside it (sanad_test_gw0, sanad_test_gw1, …), which conftest.py creates at the start of its session."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base, sep, query = url.partition("?")
    return f"{base}_{worker}{sep}{query}"


SERVER_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
POSTGRES_URL = _database_of_this_worker(SERVER_DATABASE_URL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- people ------------------------------------------------------------------------------

_HASH = {}


def password_hash():
    if "h" not in _HASH:
        _HASH["h"] = hash_password(PASSWORD)
    return _HASH["h"]


def without_tokens(response) -> str:
    """The page's HTML without its CSRF tokens, which differ on every request."""
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]*"', "", response.get_data(as_text=True))


def without_bdi(page) -> str:
    """A page's HTML (or a response's) without the <bdi> that isolate names and titles, to read its sentences."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    return re.sub(r"</?bdi[^>]*>", "", html)


def login(client, email, password=PASSWORD, **extra):
    """Log in through the form; when the password step asks for the second factor, answer it with the code
    the person's authenticator app would show. Returns the last response."""
    response = client.post("/login", data={"email": email, "password": password, **extra})
    if response.status_code == 302 and response.headers["Location"].endswith("/login/code"):
        response = client.post("/login/code", data={"code": totp_code(client.application, email)})
    return response


class TotpClock:
    """The clock a test's apps read the second factor's 30-second steps from (config TOTP_CLOCK): the real
    time, which totp_code moves on when a person logs in again before the next step comes, instead of
    waiting up to 30 seconds for it. It only ever moves forward, as time does: the server still takes each
    step once."""

    def __init__(self):
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead

    def move_on(self, seconds: float) -> None:
        self.ahead += seconds


def totp_code(app, email) -> str:
    """The code an authenticator app holding this person's key shows, for a time step the server has not
    accepted yet (each is taken once): this step's or the next one's (a phone a little ahead), else the next
    one's once the next step has come. Never the previous step's: at a step boundary the server may already
    be one step on, and two steps back is beyond what it takes. With a TotpClock (the tests' apps) the next
    step comes by moving the clock on; with the real clock (a server in another process) by waiting."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        secret, last = user.totp_secret, user.totp_last_step
    clock = app.config["TOTP_CLOCK"]
    while True:
        current = int(clock() // 30)
        step = max(current, (last or 0) + 1)
        if step <= current + 1:
            return pyotp.TOTP(secret).generate_otp(step)
        if isinstance(clock, TotpClock):
            clock.move_on((step - 1 - current) * 30)
        else:
            time.sleep(30 - clock() % 30 + 0.05)


class QueryCounter:
    """Counts the SQL statements an app runs while active."""

    def __init__(self, app):
        self.app, self.count = app, 0

    def _count(self, *args):
        self.count += 1

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def sqlite_query_plans(app, request, wanted=lambda statement: True) -> list[tuple[str, list[str]]]:
    """On SQLite: run request() while keeping the SELECTs it runs that wanted(statement) accepts, then each one
    with its query plan (the steps of EXPLAIN QUERY PLAN), for the tests that read how a page is answered."""
    statements = []

    def keep(_connection, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT") and wanted(statement):
            statements.append((statement, parameters))
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    with app.app_context():
        connection = db.session.connection()
        return [(statement, [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                           tuple(parameters))])
                for statement, parameters in statements]


# --- forms -------------------------------------------------------------------------------

def with_form_key(request: dict) -> None:
    """Make a test client's POST of form fields the one a browser sends from our pages: each create form there
    carries a new one-time key (app/form_keys; tests/test_form_keys.py checks that every one does), so the
    fields get one unless the test gives its own. `request` is the keyword arguments of FlaskClient.open."""
    data = request.get("data")
    if request.get("method") != "POST" or not isinstance(data, Mapping) or "form_key" in data:
        return
    data = data.copy() if isinstance(data, MultiDict) else dict(data)
    data["form_key"] = new_form_key()
    request["data"] = data


# --- two languages ----------------------------------------------------------------------

# Urdu for the parts make_declaration writes (conftest.py), in their order.
URDU_SECTIONS = (("تمہید", "ہم، تنظیمیں، **کارروائی** کا مطالبہ کرتے ہیں۔"), ("پس منظر", "انسانی اسمگلنگ بڑھ رہی ہے۔"))
URDU_RECOMMENDATIONS = ("استغاثہ کے خصوصی یونٹ قائم کیے جائیں۔", "ہر صوبے میں پناہ گاہیں کھولی جائیں۔",
                        "اثاثوں کے گوشوارے شائع کیے جائیں۔")


def make_bilingual(app, people, declaration, *, translate=True, phase="consultation"):
    """Make a draft from make_declaration("drafting") bilingual (English, then Urdu), the member its translator;
    with translate, every part and the title written in Urdu; then move it on to the phase. Returns it."""
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        d = db.session.get(Declaration, declaration.id)
        translation.make_bilingual(coordinator, d, language="ur")
        translation.set_translators(coordinator, d, [db.session.get(User, people["member"].id)])
        if translate:
            translation.translate_title(coordinator, d, base_edit_count=d.edit_count,
                                        title="انسانی اسمگلنگ پر اعلامیہ", summary="ایک خلاصہ۔")
            for section, (heading, body) in zip(services.live_sections(d.id), URDU_SECTIONS, strict=True):
                services.edit_section(coordinator, section, base_revision_id=0, heading=heading, body=body,
                                      language="ur")
            for recommendation, text in zip(services.live_recommendations(d.id), URDU_RECOMMENDATIONS, strict=True):
                services.edit_recommendation(coordinator, recommendation, base_revision_id=0, text=text, language="ur")
        if phase != "drafting":
            services.change_phase(coordinator, d, "consultation", deadline=utcnow() + timedelta(days=7))
        if phase == "revision":
            services.change_phase(coordinator, d, "revision")
        db.session.commit()
    return declaration


# --- signatures --------------------------------------------------------------------------

def version_id(app, declaration_id) -> int:
    with app.app_context():
        return db.session.get(Declaration, declaration_id).latest_version.id


def post_phase(client, declaration_id, data: dict):
    """A change of phase as a coordinator makes it: from its confirmation page, whose form carries the hash of
    the text it showed (without it the change is refused)."""
    page = client.get(f"/declarations/{declaration_id}/phase/{data.get('target', '')}")
    found = re.search(r'name="expected_sha256" type="hidden" value="([0-9a-f]*)"', page.get_data(as_text=True))
    return client.post(f"/declarations/{declaration_id}/phase",
                       data={"expected_sha256": found.group(1) if found else "", **data})


def hidden_fields(html: str, prefix: str = "expected_") -> dict[str, str]:
    """The hidden inputs of a confirmation page that carry what it showed (expected_…)."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and attributes.get("name", "").startswith(prefix):
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def confirmed(client, url, data=None, **kwargs):
    """POST to url as from its confirmation page (the GET of the same url), with the expected_… it showed."""
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={**hidden_fields(page), **(data or {})}, **kwargs)


def close_signon(client, declaration_id):
    """Close sign-on from its confirmation page, as a coordinator does."""
    page = client.get(f"/declarations/{declaration_id}/signon").get_data(as_text=True)
    return client.post(f"/declarations/{declaration_id}/close-signon", data=hidden_fields(page))


def sign(client, declaration_id, **data):
    """Open the sign page and send its form, as a person would."""
    page = client.get(f"/declarations/{declaration_id}/sign")
    assert page.status_code == 200, page.status_code
    found = re.search(r'name="version_id" type="hidden" value="(\d+)"', page.get_data(as_text=True))
    form = {"version_id": found.group(1) if found else "", "capacity": "organization", "visibility": "public"}
    form.update(data)
    return client.post(f"/declarations/{declaration_id}/sign", data=form)


def signatures_of(app, declaration_id) -> list[Signature]:
    with app.app_context():
        rows = db.session.scalars(select(Signature).where(Signature.declaration_id == declaration_id)
                                  .order_by(Signature.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


# --- submissions -------------------------------------------------------------------------

def form_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    return found.group(1) if found else ""


def submit(client, declaration_id, recipients, **extra):
    """Open the submit page and send its form, as a coordinator would."""
    page = client.get(f"/declarations/{declaration_id}/submit")
    assert page.status_code == 200, page.status_code
    data = {"version_id": form_value(page.get_data(as_text=True), "version_id"), "recipients": recipients}
    data.update(extra)
    return client.post(f"/declarations/{declaration_id}/submit", data=data)


def publish_answers(client, submission_id, only=None, **extra):
    """Open the publication's confirmation page and send it as shown: every draft it lists ticked, or only
    the answer ids in `only`, each with the stamp the page carried (seen_updated_<id>)."""
    page = client.get(f"/submissions/{submission_id}/publish")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    seen = dict(re.findall(r'name="(seen_updated_\d+)" value="([^"]*)"', html))
    listed = [int(i) for i in re.findall(r'name="publish_answer" value="(\d+)"', html)]
    data = MultiDict(seen)
    for answer_id in listed if only is None else only:
        data.add("publish_answer", str(answer_id))
    for key, value in extra.items():
        data[key] = value
    return client.post(f"/submissions/{submission_id}/publish", data=data)


def the_submission(app, declaration_id) -> Submission | None:
    with app.app_context():
        found = db.session.query(Submission).options(undefer_group("dossier")).filter_by(
            declaration_id=declaration_id).one_or_none()
        if found is not None:
            db.session.expunge(found)
        return found


# --- races -------------------------------------------------------------------------------

def race(app, first, second):
    """Run first(); once it has written (before its commit) start second(); release the first after the
    second has had a second to run into it. Returns the two results: {"done": …} or {"refused": message}."""
    wrote, release = threading.Event(), threading.Event()
    results = ({}, {})

    def run(work, result, hold):
        try:
            with app.test_request_context():
                value = work()
                if hold:
                    wrote.set()
                    release.wait(10)
                db.session.commit()
                result["done"] = value
        except RuleError as rule:
            result["refused"] = str(rule)
        finally:
            wrote.set()

    one = threading.Thread(target=run, args=(first, results[0], True))
    one.start()
    assert wrote.wait(10)
    two = threading.Thread(target=run, args=(second, results[1], False))
    two.start()
    two.join(1.0)
    release.set()
    one.join(15)
    two.join(15)
    assert not one.is_alive() and not two.is_alive()
    return results
