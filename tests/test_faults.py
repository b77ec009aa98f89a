"""Faults survived with nothing lost: the database going away mid-traffic and coming back, a commit failing
in the middle of a request, and a worker killed in the middle of signing or submitting. (SMTP outages and
two senders are in tests/mail/test_outbox.py.)"""
import logging
import sqlite3
import subprocess
import threading
import time

import psycopg
import pyotp
import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.comments.models import Comment
from app.extensions import db
from app.organizations.models import Organization
from app.signatures.models import Signature
from app.submissions.models import Submission
from bench.server import Gunicorn, Postgres
from tests.conftest import make_config, migrate
from tests.helpers import PASSWORD, POSTGRES_URL, login, password_hash, sign
from tests.webclient import WebClient

SECRET_TEXT = "Our shelter in Quetta is at 12 Jinnah Road"  # what must never reach a log


# --- the database goes away ------------------------------------------------------------------------

def _pg_ctl(cluster, action):
    subprocess.run([*cluster.run_as, cluster.bin / "pg_ctl", "-D", cluster.dir / "data", "-l",
                    cluster.dir / "server.log", "-w", "-m", "fast", "-o",
                    f"-c listen_addresses='' -k {cluster.dir}", action], check=True, capture_output=True)


@pytest.mark.skipif(bool(POSTGRES_URL), reason="starts and stops a cluster of its own: run once, in the SQLite stage")
def test_the_database_going_away_gives_503_everywhere_and_the_site_comes_back_by_itself(smtp_server):
    from app import create_app
    with Postgres() as cluster:
        app = create_app(make_config(cluster.url, smtp_server[0].port))
        migrate(app)
        with app.app_context():
            organization = Organization(name="Forum", type="ngo", verified=True)
            db.session.add(User(email="member@example.org", name="Member", password_hash=password_hash(),
                                organization=organization, org_role="member"))
            db.session.commit()
        member, visitor = app.test_client(), app.test_client()
        assert login(member, "member@example.org").status_code == 302
        assert member.get("/account").status_code == 200

        statuses, stop = [], threading.Event()

        def traffic():  # someone keeps reading while the database goes away and comes back
            reader = app.test_client()
            while not stop.is_set():
                try:
                    statuses.append(reader.get("/declarations").status_code)
                except Exception as error:  # noqa: BLE001 - an exception out of the app is a failure here
                    statuses.append(repr(error))
        reader = threading.Thread(target=traffic)
        reader.start()
        try:
            _pg_ctl(cluster, "stop")
            pages = [member.get(path) for path in ("/", "/declarations", "/account", "/organizations")]
            pages += [visitor.get("/login"), visitor.get("/declarations"),
                      member.post("/account", data={"name": "Changed"})]
            for response in pages:
                assert response.status_code == 503, (response.request.path, response.status_code)
                assert "Temporarily unavailable" in response.get_data(as_text=True)
            health = member.get("/healthz")
            assert health.status_code == 503 and health.json["database"] == "down"
            _pg_ctl(cluster, "start")
            deadline = time.monotonic() + 15
            while member.get("/account").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            stop.set()
            reader.join()
        account = member.get("/account")
        assert account.status_code == 200 and "member@example.org" in account.get_data(as_text=True)  # still logged in
        assert member.get("/healthz").status_code == 200
        assert set(statuses) <= {200, 503} and 503 in statuses and statuses[-1] == 200  # never a 500 or a login form
        with app.app_context():
            assert db.session.get(User, 1).name == "Member"  # the POST made while it was down changed nothing
            db.engine.dispose()


# --- a commit fails in the middle of a request ---------------------------------------------------------

def _driver_error(app):
    with app.app_context():
        return psycopg.OperationalError if db.engine.dialect.name == "postgresql" else sqlite3.OperationalError


def _comments(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def test_a_write_failing_mid_request_leaves_nothing_and_logs_no_content(app, client, people, consultation, caplog):
    """The last write of a comment (its audit entry) fails in the driver: an error page, no comment, and
    the statement's parameters (the comment's text) appear in no log line."""
    from sqlalchemy import event
    login(client, people["member"].email)
    error = _driver_error(app)

    def fail(_conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO audit_entries"):
            raise error("disk I/O error (injected)")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    app.logger.addHandler(caplog.handler)  # the app's logger writes to its own handler, not the root's
    try:
        with caplog.at_level(logging.DEBUG):
            response = client.post(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments",
                                   data={"body": SECRET_TEXT})
    finally:
        event.remove(engine, "before_cursor_execute", fail)
        app.logger.removeHandler(caplog.handler)
    assert response.status_code in (500, 503)
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "INSERT" not in page and SECRET_TEXT not in page
    assert _comments(app) == 0
    assert caplog.records and not [r for r in caplog.records if SECRET_TEXT in r.getMessage()
                                   or SECRET_TEXT in str(r.exc_info)]
    assert client.get("/account").status_code == 200  # and the next request is served normally


def test_a_commit_failing_at_the_end_of_a_request_leaves_nothing(app, make_app, people, consultation, caplog,
                                                                 monkeypatch):
    """The COMMIT itself fails: the error page of production (tests otherwise let exceptions through)."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    login(client, people["member"].email)
    error = _driver_error(app)
    with app.app_context():
        dialect = db.engine.dialect

    def failing_commit(_dbapi_connection):
        raise error("connection lost during COMMIT (injected)")
    monkeypatch.setattr(dialect, "do_commit", failing_commit)
    app.logger.addHandler(caplog.handler)
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments",
                               data={"body": SECRET_TEXT})
    app.logger.removeHandler(caplog.handler)
    monkeypatch.undo()
    assert response.status_code in (500, 503)
    assert "Traceback" not in response.get_data(as_text=True)
    assert _comments(app) == 0
    assert caplog.records and not [r for r in caplog.records if SECRET_TEXT in r.getMessage()
                                   or SECRET_TEXT in str(r.exc_info)]
    assert client.get("/account").status_code == 200


# --- a worker killed mid-request -----------------------------------------------------------------------

@pytest.mark.parametrize("when", ["before_commit", "after_commit"])
def test_a_worker_killed_while_signing_leaves_nothing_or_the_whole_signature(app, database_url, people,
                                                                             make_declaration, tmp_path, when):
    declaration = make_declaration("signon", visibility="public")
    env = {"SANAD_FAULT_ACTION": "signature_added", "SANAD_FAULT_WHEN": when,
           "SANAD_FAULT_MARKER": str(tmp_path / "fired")}
    with Gunicorn(database_url, workers=1, wsgi="tests.fault_wsgi:app", env=env) as server:
        client = WebClient(server.base)
        client.login(people["representative"].email, PASSWORD)
        page = client.get(f"/declarations/{declaration.id}/sign")[2]
        version_id = page.split('name="version_id" type="hidden" value="', 1)[1].split('"', 1)[0]
        form = {"csrf_token": client.csrf(f"/declarations/{declaration.id}/sign"), "version_id": version_id,
                "capacity": "organization", "visibility": "public"}
        status = _post_with_one_retry(client, f"/declarations/{declaration.id}/sign", form)
        restarts = server.restarts()
    assert (tmp_path / "fired").exists() and restarts == 1  # the worker did die, and gunicorn replaced it
    assert status == 303
    with app.app_context():
        rows = db.session.scalars(select(Signature).where(Signature.declaration_id == declaration.id)).all()
        assert [(s.status, s.organization_id) for s in rows] == [("active", people["representative"].organization_id)]


@pytest.mark.parametrize("when", ["before_commit", "after_commit"])
def test_a_worker_killed_while_submitting_leaves_nothing_or_the_whole_submission(app, client, database_url, people,
                                                                                 make_declaration, tmp_path, when):
    declaration = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    assert sign(client, declaration.id).status_code == 303
    env = {"SANAD_FAULT_ACTION": "declaration_submitted", "SANAD_FAULT_WHEN": when,
           "SANAD_FAULT_MARKER": str(tmp_path / "fired")}
    email = people["coordinator"].email
    with app.app_context():
        secret = db.session.scalar(select(User.totp_secret).where(User.email == email))
    with Gunicorn(database_url, workers=1, wsgi="tests.fault_wsgi:app", env=env) as server:
        coordinator = WebClient(server.base)
        coordinator.login(email, PASSWORD, code=lambda: pyotp.TOTP(secret).now())
        path = f"/declarations/{declaration.id}/submit"
        page = coordinator.get(path)[2]
        version_id = page.split('name="version_id" type="hidden" value="', 1)[1].split('"', 1)[0]
        form = {"csrf_token": coordinator.csrf(path), "version_id": version_id,
                "recipients": str(people["reviewer"].institution_id)}
        status = _post_with_one_retry(coordinator, path, form)
        restarts = server.restarts()
    assert (tmp_path / "fired").exists() and restarts == 1
    assert status in (302, 303)
    with app.app_context():
        submissions = db.session.scalars(select(Submission).where(Submission.declaration_id == declaration.id)).all()
        assert len(submissions) == 1
        assert submissions[0].recipients and submissions[0].content and submissions[0].sha256


def _post_with_one_retry(client, path, form) -> int:
    """As a browser the person reloads after a dropped connection: the same form once more."""
    try:
        return client.post(path, form)[0]
    except OSError:
        return client.post(path, form)[0]

