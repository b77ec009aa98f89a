"""Links that carry a secret (invitations, password resets, open sign-on confirmations) reach their
recipient and nowhere else: the outbox keeps a copy without them once sent, and gunicorn's access log
writes their paths with the secret removed."""
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.links import redact_tokens
from app.mail.models import OutboxMessage
from tests.accounts.test_invitations import invite
from tests.helpers import free_port, login

ROOT = Path(__file__).resolve().parents[2]


def _bodies(app):
    with app.app_context():
        return [m.body for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_not(None)))]


def test_a_sent_invitation_and_reset_keep_no_usable_link_in_the_outbox(app, client, people, mailbox):
    login(client, people["coordinator"].email)
    invite(client, "newcomer@example.org", organization="Human Rights Action Forum")
    client.post("/logout")
    client.post("/reset", data={"email": people["member"].email})
    invitation = mailbox.wait_for("newcomer@example.org")[0]["body"]
    reset = mailbox.wait_for(people["member"].email)[0]["body"]
    links = [re.search(r"http://localhost(/invite/\S+)", invitation).group(1),
             re.search(r"http://localhost(/reset/\S+)", reset).group(1)]
    deadline = time.monotonic() + 10  # the sender marks a message sent just after the SMTP server took it
    while not ("/invite/[removed]" in (bodies := "\n".join(_bodies(app))) and "/reset/[removed]" in bodies):
        assert time.monotonic() < deadline, bodies
        time.sleep(0.05)
    for link in links:
        assert link not in bodies  # the recipient's link is nowhere in the database
        assert client.get(link).status_code == 200  # and it still works for them
    assert client.get("/invite/[removed]").status_code in (404, 410) or \
        "not valid" in client.get("/invite/[removed]").get_data(as_text=True)


def test_redaction_covers_every_token_path_and_leaves_other_links():
    text = ("http://x/invite/AbC-123_xyz http://x/reset/t0k3n?next=/ http://x/sign/confirm/zz9 "
            "http://x/declarations/4 http://x/invitations/new http://x/reset")
    assert redact_tokens(text) == ("http://x/invite/[removed] http://x/reset/[removed]?next=/ "
                                   "http://x/sign/confirm/[removed] http://x/declarations/4 "
                                   "http://x/invitations/new http://x/reset")


def test_gunicorns_access_log_writes_token_paths_without_the_token(tmp_path):
    """A real gunicorn, started as production starts it (gunicorn.conf.py is read from the project)."""
    port, log = free_port(), tmp_path / "access.log"
    env = {**os.environ, "SANAD_ENV": "testing", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "--access-logfile", str(log), "wsgi:app"],
                              cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    secret = "S3cr3tT0kenValue_abcdefghijklmnop"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError as error:
                if getattr(error, "code", None):  # an HTTP error status: the server answers
                    break
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        for path in (f"/reset/{secret}", f"/invite/{secret}", f"/sign/confirm/{secret}",
                     f"/notifications/unsubscribe/{secret}"):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Referer": f"http://127.0.0.1:{port}/reset/{secret}"})
            try:
                urllib.request.urlopen(request, timeout=10)
            except OSError:
                pass  # any answer will do: it is the log line that matters
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    written = log.read_text()
    assert "/reset/[removed]" in written and "/invite/[removed]" in written and "/sign/confirm/[removed]" in written
    assert "/notifications/unsubscribe/[removed]" in written
    assert secret not in written
