"""Fixtures: a migrated database per test (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
a real local SMTP server, the app, a client, people, declarations and submissions. The helpers that
test files import are in helpers.py."""
import os
import shutil
import tempfile
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pyotp
import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher, profiles
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app, runtime
from app.accounts import services
from app.accounts.models import User
from app.config import TestingConfig
from app.declarations.models import Declaration
from app.extensions import db
from app.institutions.models import Institution
from app.organizations.models import Organization
from app.time import utcnow

pytest.register_assert_rewrite("tests.helpers")
from tests.helpers import (  # noqa: E402
    POSTGRES_URL,
    SERVER_DATABASE_URL,
    TotpClock,
    free_port,
    login,
    password_hash,
    sign,
    submit,
    the_submission,
    with_form_key,
)


def pytest_sessionstart(session):
    """The process-wide interpreter settings, as wsgi.py makes them in every server process (app/runtime.py)."""
    runtime.prepare_process()


# --- passwords ---------------------------------------------------------------------------

PRODUCT_PASSWORD_HASHER = services._hasher


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Passwords hashed and checked in this process with argon2's cheapest parameters (argon2.profiles.CHEAPEST,
    "only for testing"): the product's cost (64 MiB, three passes) is paid at every login, and took about
    a third of the suite's time. The same code runs, with its argon2id hashes, its checks and its rehash of
    an old hash at login; tests/accounts/test_login.py checks that the product keeps its own cost. Servers
    started in other processes (gunicorn) keep the product's parameters and rehash a cheap hash at login."""
    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_hasher", cheap)
        patch.setattr(services, "_DUMMY_HASH", cheap.hash("not anyone's password"))
        yield


# --- mail --------------------------------------------------------------------------------

class Mailbox:
    """What the local SMTP server received."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["Subject"]),
                                  "body": message.get_body(("plain",)).get_content(),
                                  "parts": [part.get_content_type() for part in message.walk()],
                                  "headers": sorted(set(message.keys()))})
        return "250 OK"

    def clear(self):
        with self.lock:
            self.messages.clear()

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if address in m["to"]]

    def wait_for(self, address, containing="", timeout=10.0):
        """The messages to an address (with the text in the subject or body), waiting for the first one to
        arrive: a live server sends mail after the response."""
        deadline = time.monotonic() + timeout

        def found():
            return [m for m in self.to(address) if containing in m["subject"] + m["body"]]
        while not found() and time.monotonic() < deadline:
            time.sleep(0.05)
        return found()


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    _, box = smtp_server
    box.clear()
    return box


class BufferedClient(FlaskClient):
    """Reads and closes each response, as a WSGI server does, so work queued to run after the
    response (mail) has happened when the call returns. Sends form fields as a browser does from our
    pages, with a create form's one-time key (tests.helpers.with_form_key), unless sends_form_keys is
    turned off to post as a script would."""

    sends_form_keys = True

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        if self.sends_form_keys:
            with_form_key(kwargs)
        return super().open(*args, **kwargs)


class CompiledTemplates(BytecodeCache):
    """The templates compiled once for all the apps of this test process (each test builds its own app, and
    compiling them again was a tenth of the suite's time). Jinja checks each entry against the template's
    source before using it."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


# --- database ----------------------------------------------------------------------------

def make_config(database_url: str, smtp_port: int, **overrides) -> TestingConfig:
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    config.MAIL_SERVER, config.MAIL_PORT = "127.0.0.1", smtp_port
    config.SECRET_KEY = "test-secret-key-not-for-production"
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def migrate(app) -> None:
    from flask_migrate import upgrade
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def worker_database():
    """Under pytest-xdist on PostgreSQL, this worker's own database (tests.helpers.POSTGRES_URL), made anew
    beside the one TEST_DATABASE_URL names and dropped at the end."""
    if POSTGRES_URL == SERVER_DATABASE_URL:
        yield
        return
    name = make_url(POSTGRES_URL).database
    admin = create_engine(SERVER_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory, smtp_server):
    """A migrated database to start each test from: a SQLite file to copy, or the PostgreSQL database."""
    port = smtp_server[0].port
    if POSTGRES_URL:
        migrate(create_app(make_config(POSTGRES_URL, port)))
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(create_app(make_config(f"sqlite:///{path}", port)))
    return path


@pytest.fixture(scope="session")
def database_folder(tmp_path_factory):
    """Where each test's copy of the SQLite template lives: in memory (/dev/shm) where the system has it,
    since every commit is written through to the file (WAL) and on a disk that was a tenth of the suite's
    time; else in a temporary folder. The database is the same SQLite file either way."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("databases")
        return
    folder = Path(tempfile.mkdtemp(prefix="sanad-tests-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database_url(migrated_template, database_folder):
    if POSTGRES_URL:
        yield POSTGRES_URL
        return
    path = Path(tempfile.mkdtemp(dir=database_folder)) / "test.db"
    shutil.copy(migrated_template, path)
    yield f"sqlite:///{path}"
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture
def make_app(database_url, smtp_server, mailbox):
    """Build an app on this test's database; keyword arguments override the configuration. The apps of a test
    share one second-factor clock (tests.helpers.TotpClock)."""
    apps, clock = [], TotpClock()

    def build(**overrides):
        overrides.setdefault("TOTP_CLOCK", clock)
        app = create_app(make_config(database_url, smtp_server[0].port, **overrides))
        app.test_client_class = BufferedClient
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if POSTGRES_URL:
        _empty_postgres_tables()


def _empty_postgres_tables():
    """Leave the shared PostgreSQL database empty for the next test (TRUNCATE skips the audit triggers)."""
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(make_app):
    """The app, with no context pushed: each request gets its own, as in production.
    Tests that read the database open `with app.app_context():`."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people ------------------------------------------------------------------------------

def _saved(obj):
    """Commit a new object and hand it back detached, its columns loaded, for use outside the context."""
    db.session.add(obj)
    db.session.commit()
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def make_organization(app):
    def make(name="Human Rights Action Forum", verified=True, **fields):
        fields.setdefault("acronym", "".join(w[0] for w in name.split()).upper()[:10])
        fields.setdefault("type", "ngo")
        fields.setdefault("province", "punjab")
        with app.app_context():
            return _saved(Organization(name=name, verified=verified, **fields))
    return make


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(role=None, *, organization=None, org_role=None, email=None, expert=False, institution=None, **fields):
        n = next(counter)
        with app.app_context():
            if role == "reviewer" and institution is None:
                institution = _saved(Institution(name=f"Ministry {n}", acronym=f"M{n}"))
            if role in ("admin", "coordinator", "reviewer") and "totp_secret" not in fields:
                # The second factor these roles must have, with a key of their own (tests.helpers.login).
                fields.update(totp_secret=pyotp.random_base32(), totp_confirmed_at=utcnow())
            return _saved(User(
                email=email or f"person{n}@example.org", name=fields.pop("name", f"Person {n}"),
                password_hash=password_hash(), platform_role=role,
                organization_id=organization.id if organization else None, org_role=org_role, is_expert=expert,
                institution_id=institution.id if institution else None, **fields))
    return make


@pytest.fixture
def people(make_user, make_organization):
    """One person per role, as the access tests need them."""
    organization = make_organization()
    return {
        "member": make_user(organization=organization, org_role="member", email="member@example.org"),
        "representative": make_user(organization=organization, org_role="representative", email="rep@example.org"),
        "expert": make_user(expert=True, email="expert@example.org"),
        "coordinator": make_user("coordinator", email="coordinator@example.org"),
        "reviewer": make_user("reviewer", email="reviewer@example.org"),
        "admin": make_user("admin", email="admin@example.org"),
    }


@pytest.fixture
def login_as(client):
    def do(user):
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return do


# --- declarations ------------------------------------------------------------------------

class Consultation:
    """Ids of a declaration in consultation with two sections and three recommendations."""

    def __init__(self, **ids):
        self.__dict__.update(ids)


@pytest.fixture
def make_declaration(app, people):
    """Create a declaration through the services, as the coordinator; phase "consultation" by default."""
    from datetime import timedelta

    from app.declarations import services
    from app.time import utcnow

    def make(phase="consultation", visibility="members", moderation="post", title="Declaration on trafficking"):
        with app.app_context():
            coordinator = db.session.get(User, people["coordinator"].id)
            institution_id = people["reviewer"].institution_id
            declaration = services.create_declaration(coordinator, kind="declaration", title=title,
                                                      summary="A summary.", moderation=moderation,
                                                      visibility=visibility)
            sections = [services.add_section(coordinator, declaration, heading=h, body=b) for h, b in (
                ("Preamble", "We, the organizations, **demand** action."), ("Context", "Trafficking is rising."))]
            recommendations = [services.add_recommendation(
                coordinator, declaration, text=text, pillar=pillar, themes=themes, addressees=[institution_id],
                convention_articles="") for text, pillar, themes in (
                ("Create specialised prosecution units.", "pursue", ["trafficking"]),
                ("Open shelters in every province.", "protect", ["victims", "trafficking"]),
                ("Publish asset declarations.", "prevent", ["corruption"]))]
            if phase != "drafting":
                services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=7))
            if phase in ("revision", "signon"):
                services.change_phase(coordinator, declaration, "revision")
            if phase == "signon":
                services.change_phase(coordinator, declaration, "signon")
            db.session.commit()
            return Consultation(id=declaration.id, sections=[s.id for s in sections],
                                recommendations=[r.id for r in recommendations])
    return make


@pytest.fixture
def consultation(make_declaration):
    return make_declaration()


# --- submissions -------------------------------------------------------------------------

@pytest.fixture
def submitted(app, client, people, make_declaration, make_user, make_organization):
    """A public declaration signed by the representative, one expert and a coordinators-only organization,
    submitted by the coordinator to the reviewer's institution. Returns (declaration ids, submission)."""
    declaration = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    assert sign(client, declaration.id).status_code == 303
    client.post("/logout")
    hidden = make_organization("Safe Haven Society", acronym="SHS")
    hidden_rep = make_user(organization=hidden, org_role="representative", email="hidden-rep@example.org")
    login(client, hidden_rep.email)
    assert sign(client, declaration.id, visibility="coordinators").status_code == 303
    client.post("/logout")
    login(client, people["expert"].email)
    assert sign(client, declaration.id, capacity="individual", visibility="alliance").status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = submit(client, declaration.id, [people["reviewer"].institution_id])
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    client.post("/logout")
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).phase == "submitted"
    return declaration, the_submission(app, declaration.id)


# --- a live server ----------------------------------------------------------------------

class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256  # many clients at once in the concurrency tests


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def live_server(make_app):
    # wsgiref, like gunicorn, closes the response (and so sends the queued mail) as soon as it is written;
    # werkzeug's development server first drains the socket, which can delay that by seconds.
    # Bound to a port the system picks before the app that needs its address is built: no other test worker can
    # take the port in between.
    server = make_server("127.0.0.1", 0, None, server_class=ThreadingServer, handler_class=QuietHandler)
    port = server.server_port
    app = make_app(WTF_CSRF_ENABLED=True, SITE_URL=f"http://127.0.0.1:{port}")
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
