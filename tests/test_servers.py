"""Several app servers on one PostgreSQL and one Redis, as docs/operations.md sets production up: two
gunicorn instances with two workers each, on two loopback ports, sharing a throwaway PostgreSQL cluster and
a Redis server on a Unix socket (both started here). Run in their own stage of `make test` (-m servers)."""
import os
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from app.accounts.models import User
from app.declarations import services as declarations
from app.extensions import db
from app.organizations.models import Organization
from app.signatures.models import Signature
from app.time import utcnow
from bench.server import Gunicorn, Postgres
from tests.conftest import make_config, migrate
from tests.helpers import PASSWORD, password_hash
from tests.webclient import WebClient

pytestmark = pytest.mark.servers
SIGNERS = 60
SECRET = "the-same-secret-key-on-every-server-" + "x" * 16


@pytest.fixture(scope="module")
def redis_socket():
    server = shutil.which("redis-server")
    if not server:
        pytest.fail("redis-server not found: run `make system-deps` (Debian's redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="sanad-redis."))
    socket = folder / "redis.sock"
    process = subprocess.Popen([server, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly",
                                "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield socket
    process.terminate()
    process.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def site(redis_socket, smtp_server):
    """The database with a coordinator, SIGNERS representatives and a declaration in sign-on; two servers."""
    with Postgres() as cluster:
        app = create_app(make_config(cluster.url, smtp_server[0].port))
        migrate(app)
        with app.app_context():
            coordinator = User(email="coordinator@example.org", name="Coordinator", password_hash=password_hash(),
                               platform_role="coordinator", totp_secret="A" * 32, totp_confirmed_at=utcnow())
            db.session.add(coordinator)
            for n in range(SIGNERS):
                db.session.add(User(email=f"rep{n}@example.org", name=f"Rep {n}", password_hash=password_hash(),
                                    organization=Organization(name=f"Organization {n}", type="ngo", verified=True),
                                    org_role="representative"))
            db.session.flush()
            declaration = declarations.create_declaration(coordinator, kind="declaration", title="Statement",
                                                          summary="", moderation="post", visibility="public")
            declarations.add_section(coordinator, declaration, heading="Text", body="We ask.")
            declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow().replace(year=2100))
            declarations.change_phase(coordinator, declaration, "revision")
            declarations.change_phase(coordinator, declaration, "signon")
            db.session.commit()
            declaration_id = declaration.id
            db.engine.dispose()
        env = {"SECRET_KEY": SECRET, "RATELIMIT_STORAGE_URI": f"redis+unix://{redis_socket}",
               "SANAD_LOGIN_LIMITS": "5 per minute", "SANAD_PROXY_COUNT": "1", "MAIL_BACKEND": "smtp",
               "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server[0].port)}
        with Gunicorn(cluster.url, workers=2, env=env) as one, Gunicorn(cluster.url, workers=2, env=env) as two:
            yield {"app": app, "servers": (one, two), "declaration": declaration_id, "url": cluster.url, "env": env}


def _client(server, address="10.0.0.1"):
    return WebClient(server.base, headers={"X-Forwarded-For": address})


def test_a_login_made_on_one_server_works_on_the_other(site):
    one, two = site["servers"]
    client = _client(one)
    client.login("rep0@example.org", PASSWORD)
    elsewhere = _client(two)
    elsewhere.cookies = dict(client.cookies)
    status, _headers, page, _t = elsewhere.get("/account")
    assert status == 200 and "rep0@example.org" in page


def test_a_signing_storm_split_across_both_servers_loses_and_doubles_nothing(site):
    one, two = site["servers"]
    path = f"/declarations/{site['declaration']}/sign"

    def sign(n):
        client = _client(one if n % 2 else two, f"10.1.{n // 200}.{n % 200}")
        client.login(f"rep{n}@example.org", PASSWORD)
        page = client.get(path)[2]
        version = page.split('name="version_id" type="hidden" value="', 1)[1].split('"', 1)[0]
        form = {"csrf_token": client.csrf(path), "version_id": version, "capacity": "organization",
                "visibility": "public"}
        twin = _client(two if n % 2 else one, f"10.1.{n // 200}.{n % 200}")
        twin.cookies = dict(client.cookies)
        statuses = []
        double = threading.Thread(target=lambda: statuses.append(twin.post(path, form, keep_cookies=False)[0]))
        double.start()  # the same form sent to both servers at once, then once more
        statuses.append(client.post(path, form, keep_cookies=False)[0])
        double.join()
        statuses.append(client.post(path, form, keep_cookies=False)[0])
        return statuses
    with ThreadPoolExecutor(16) as pool:
        statuses = [s for result in pool.map(sign, range(SIGNERS)) for s in result]
    assert set(statuses) == {303}, sorted(set(statuses))
    app = site["app"]
    with app.app_context():
        rows = db.session.execute(select(Signature.organization_id, Signature.status)
                                  .where(Signature.declaration_id == site["declaration"])).all()
        db.engine.dispose()
    assert len(rows) == SIGNERS and len({r.organization_id for r in rows}) == SIGNERS
    assert {r.status for r in rows} == {"active"}
    assert one.restarts() == two.restarts() == 0


def test_the_login_limit_and_the_owners_device_hold_across_both_servers(site):
    """Wrong passwords for one account, sent alternately to both servers from many addresses, exhaust its
    shared bucket (5 a minute): a sixth attempt with the right password from a new browser is refused on
    either server; the owner's browser, which logged in before (device cookie), still gets in."""
    one, two = site["servers"]
    email = "rep59@example.org"
    owner = _client(one, "10.9.9.9")
    owner.login(email, PASSWORD)
    owner.post("/logout", {"csrf_token": owner.csrf("/account")})
    device = {"sanad_device": owner.cookies["sanad_device"]}
    for n in range(5):
        attacker = _client(one if n % 2 else two, f"10.7.0.{n}")
        status = attacker.post("/login", {"csrf_token": attacker.csrf("/login"), "email": email,
                                          "password": "not the password"})[0]
        assert status == 200, status
    for server in (one, two):
        stranger = _client(server, "10.8.0.1" if server is one else "10.8.0.2")
        status = stranger.post("/login", {"csrf_token": stranger.csrf("/login"), "email": email,
                                          "password": PASSWORD})[0]
        assert status == 429, status
    returning = _client(two, "10.9.9.9")
    returning.cookies.update(device)
    status = returning.post("/login", {"csrf_token": returning.csrf("/login"), "email": email,
                                       "password": PASSWORD})[0]
    assert status == 302


def test_forty_parallel_wrong_passwords_across_both_servers_process_no_more_than_the_limit(site):
    """Each attempt is counted in Redis before it is checked (app/limits/throttle.py): 40 wrong passwords for one
    account sent at once, split across both servers and their four workers, get at most the limit (5 a
    minute) processed; the rest are refused with 429."""
    one, two = site["servers"]
    email = "rep58@example.org"
    clients = [_client(one if n % 2 else two, f"10.6.{n}.1") for n in range(40)]
    tokens = [client.csrf("/login") for client in clients]
    start = threading.Barrier(40)

    def guess(n):
        start.wait()
        return clients[n].post("/login", {"csrf_token": tokens[n], "email": email, "password": "wrong"})[0]

    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(guess, range(40)))
    assert set(statuses) <= {200, 429}, statuses
    assert 1 <= statuses.count(200) <= 5, statuses  # never more than the limit (a race may refuse one more)


def test_mail_is_sent_once_whichever_server_and_however_many_senders(site, mailbox):
    """A reset requested on one server is mailed once, right after the answer. The notices queued when the
    setup opened the consultation and sign-on are then sent by `flask mail send` run on both servers at the
    same moment (their cron): every one arrives exactly once, split between the two senders."""
    one, _two = site["servers"]
    mailbox.clear()
    client = _client(one, "10.5.0.1")
    assert client.post("/reset", {"csrf_token": client.csrf("/reset"), "email": "rep1@example.org"})[0] == 200
    assert len(mailbox.wait_for("rep1@example.org", "Reset your Sanad password")) == 1
    env = {**os.environ, **site["env"], "SANAD_ENV": "production", "DATABASE_URL": site["url"],
           "SANAD_SITE_URL": one.base}
    senders = [subprocess.Popen([".venv/bin/flask", "--app", "wsgi", "mail", "send"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [sender.communicate(timeout=120)[0].decode() for sender in senders]
    assert all(sender.returncode == 0 for sender in senders), outputs
    sent = sum(int(output.split("sent ", 1)[1].split(",", 1)[0]) for output in outputs)
    # Each representative: the consultation's notice, the invitation to sign and the receipt of the signature
    # made in the signing storm (receipts leave with this command); the coordinator: the notice.
    assert sent == 3 * SIGNERS + 1, outputs
    time.sleep(0.5)
    for n in range(SIGNERS):
        subjects = [m["subject"] for m in mailbox.to(f"rep{n}@example.org")]
        assert subjects.count("Consultation open: Statement") == 1, (n, subjects)
        assert subjects.count("Open for signature: Statement") == 1, (n, subjects)
        assert subjects.count("Your signature: Statement") == 1, (n, subjects)
    assert [m["subject"] for m in mailbox.to("rep1@example.org")].count("Reset your Sanad password") == 1
    with site["app"].app_context():
        from app.mail.models import OutboxMessage
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.sent_at.is_(None))) == 0
        db.engine.dispose()
