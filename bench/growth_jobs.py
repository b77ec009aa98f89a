"""The scheduled jobs of bench/growth.py: `flask notifications remind` and `flask notifications digest`, each in
a child process with the production configuration, counted as the pages are (bench/counting.py), while the
site goes on serving; and, during the reminder, a person saving their profile every 50 ms, whose longest
wait is what the job makes the site wait (on SQLite, one writer at a time: a job that holds the write lock
for its whole run holds every write of the site).

Run as `python -m bench.growth_jobs remind|digest` (the environment giving the database and the production
settings), the child prints one line of JSON: seconds, queries, rows, SQLite steps, what the command said,
and the emails it queued.
"""
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from app import cli, create_app
from app.extensions import db
from app.mail.models import OutboxMessage
from bench import counting

ROOT = Path(__file__).resolve().parents[1]
WRITE_PAUSE = 0.05  # seconds between two profile saves while the job runs


def job_env(server) -> dict:
    """The environment the gunicorn of `server` runs the app with (bench.server.Gunicorn)."""
    return {**os.environ, "SANAD_ENV": "production", "SECRET_KEY": "bench-growth-jobs", "SANAD_SITE_URL": server.base,
            "MAIL_BACKEND": "console", "DATABASE_URL": server.database_url, "PYTHONPATH": str(ROOT)}


def run_job(server, command: str, writer=None) -> dict:
    """Run the job in a child process; with `writer` (a logged-in WebClient), save its profile in a loop
    meanwhile. Returns the child's figures, its wall time seen from here, and the writes' waits."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.growth_jobs", command], cwd=ROOT, env=job_env(server),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writes, failures = [], []
    thread = None
    if writer is not None:
        thread = threading.Thread(target=_write_while, args=(child, writer, writes, failures))
        thread.start()
    out, err = child.communicate()
    wall = time.perf_counter() - started
    if thread is not None:
        thread.join()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if child.returncode != 0 or not lines:
        print(f"   {command} FAILED (exit {child.returncode}):\n{err[-2000:]}", file=sys.stderr)
        return {"failed": True, "wall_seconds": round(wall, 2)}
    figures = json.loads(lines[-1])
    figures["wall_seconds"] = round(wall, 2)
    if writer is not None:
        figures.update(writes=len(writes), write_failures=len(failures),
                       write_failure_statuses=sorted({status for status, _ms in failures}),
                       write_longest_ms=round(max(writes + [ms for _status, ms in failures], default=0.0), 1),
                       write_median_ms=round(statistics.median(writes), 1) if writes else 0.0)
    return figures


def profile_form(writer, designation: str) -> dict:
    token = writer.csrf("/account")
    return {"csrf_token": token, "name": "Bench Writer", "designation": designation, "gender": "", "province": "",
            "language": "en", "notification_mode": "immediate"}


def save_profile(writer, n: int) -> tuple[int, float]:
    """One profile save (the CSRF token read first, not timed): its status and milliseconds."""
    form = profile_form(writer, f"Director {n % 2}")
    status, _headers, _text, seconds = writer.post("/account", form)
    return status, seconds * 1000


def _write_while(child, writer, writes: list, failures: list) -> None:
    n = 0
    while child.poll() is None:
        started = time.perf_counter()
        try:
            status, ms = save_profile(writer, n)
        except (AssertionError, OSError, http.client.HTTPException):  # no form, no answer: a failed write
            status, ms = 0, (time.perf_counter() - started) * 1000
        if status == 302:
            writes.append(ms)
        else:
            failures.append((status, ms))
        n += 1
        time.sleep(WRITE_PAUSE)


def _child(command: str) -> dict:
    counting.install()
    app = create_app()
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        db.session.remove()
    tally = counting.start()
    started = time.perf_counter()
    sending = {}
    deliver = cli._deliver_queued

    def deliver_counted(*args, **kwargs):  # where writing ends and sending begins
        sending.update(queries=tally.queries, seconds=time.perf_counter() - started)
        return deliver(*args, **kwargs)

    cli._deliver_queued = deliver_counted
    result = app.test_cli_runner().invoke(args=["notifications", command])
    seconds = time.perf_counter() - started
    counting.stop()
    if result.exit_code != 0:
        raise SystemExit(f"flask notifications {command} failed: {result.output[-2000:]} {result.exception!r}")
    said = [line for line in result.output.splitlines() if re.match(r"\d+ (reminder|digest)", line)]
    with app.app_context():
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - before
    done = int(said[-1].split()[0]) if said else 0
    return {"seconds": round(seconds, 2), "queries": tally.queries, "rows": tally.rows, "steps": tally.steps,
            "done": done, "emails_queued": queued, "said": said[-1] if said else "",
            "queries_per_person": round(tally.queries / done, 2) if done else None,
            # writing the notifications and emails, then sending them (a few statements per email, whatever
            # the size: app/mail/services.py deliver)
            "writing_seconds": round(sending.get("seconds", seconds), 2),
            "writing_queries": sending.get("queries", tally.queries),
            "writing_queries_per_person": round(sending.get("queries", tally.queries) / done, 3) if done else None,
            "sending_queries_per_email": round((tally.queries - sending.get("queries", tally.queries)) / queued, 2)
            if queued else None}


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1])))
