"""Growth benchmark (issue 26): does every page and every scheduled job cost what it shows, not what the
database holds? For each database (BENCH_DATABASES) and each size (BENCH_SIZES, default "1 10 30": the demo
alliance plus that many alliance-years, bench/growth_data.py), it builds the data on a fresh migrated database,
serves each size under its own gunicorn in the production configuration (2 sync workers,
bench/counted_wsgi.py: every response says the statements it ran and the rows it fetched from the cursor),
logs in through the login form as each role (the second factor answered as the tests do), and measures each
page of the issue as each role that sees it, one request at a time, the sizes in turn (so that a busy moment
of this shared machine falls on every size alike): per size the median of BENCH_REQUESTS (15) requests after
two to warm up, rows fetched, statements, the HTML's gzipped size and the status. Then, size by size,
`flask notifications remind` (while a member saves their profile every 50 ms) and `flask notifications
digest` (bench/growth_jobs.py).

Fails (exit 1) on:
- any failed, non-200 or empty response, or a worker restart (bench.server.verdict);
- rows fetched growing with the size, judged between the two largest sizes (10× and 30× by default): a page's
  rows at the largest above ROW_SLACK_RATIO × its rows at the one before + ROW_SLACK_ROWS. Not against 1×: a
  page that is paged or summarised as it should be may not have filled its page or its blocks at 1× (9
  declarations, 3 submissions), and fills them by 10×; from then on it fetches the same rows whatever the
  size, while a page that reads history fetches three times as many at 30× as at 10×. Rows do not depend on
  the machine, so the slack (10% and 20 rows) is only for a block or a page that is still filling up; it is
  far below what reading history adds (tens to thousands of rows per alliance-year);
- the median time at the largest size above TIME_RATIO × the smallest size's (the issue: 30× and 100× at
  most twice 1×), the smallest's taken as at least TIME_FLOOR_MS: on this shared 2-core machine a 3 ms page
  measures 3–7 ms from one moment to the next, which is noise, not growth;
- HTML over 50 KB gzipped at any size;
- a job whose statements per person grow with the size (above ROW_SLACK_RATIO × the smallest size's + 0.1),
  or that spends more than MAX_WRITING_STATEMENTS_PER_PERSON statements per person writing what it tells
  (the sending that follows is counted apart), or, on SQLite, a write of the site that waited more than
  100 ms longer than the same write before the job (its median then), or failed.
Prints a table per database (page, role, then per size: ms, rows, statements, KB gzipped), the build times,
the jobs, and one line of JSON with every figure.
"""
import gzip
import http.client
import json
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from app.demo import DEMO_PASSWORD  # noqa: E402
from app.extensions import db  # noqa: E402
from bench import growth_data  # noqa: E402
from bench.growth_jobs import run_job, save_profile  # noqa: E402
from bench.server import Gunicorn, Tally, on_each_database, setup_app, verdict  # noqa: E402
from tests.helpers import totp_code  # noqa: E402
from tests.webclient import WebClient  # noqa: E402

SIZES = sorted({int(n) for n in os.environ.get("BENCH_SIZES", "1 10 30").split()})
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 15))
WARM_UP = 2
ROW_SLACK_RATIO, ROW_SLACK_ROWS = 1.10, 20
TIME_RATIO, TIME_FLOOR_MS = 2.0, 5.0
MAX_GZIP_BYTES = 50 * 1024
MAX_WRITE_WAIT_MS = 100.0
# A job writes what it tells a batch of people at a time: a handful of statements per batch of 100
# (app/notifications/broadcast.py), so well under one per person; a statement or more per person is a job
# that works person by person. (Sending is apart: a few statements per email, at every size.)
MAX_WRITING_STATEMENTS_PER_PERSON = 0.25
LOGINS = {"member": growth_data.PROBE_MEMBER, "coordinator": growth_data.PROBE_COORDINATOR,
          "reviewer": growth_data.PROBE_REVIEWER}


def pages(p: dict) -> list[tuple[str, str, str]]:
    """(page, role, path): the issue's table, then the pages that must stay flat."""
    signon, consultation, submission = p["signon"], p["consultation"], p["submission"]
    institution, line = p["institution"], p["line"]
    common, rare = growth_data.COMMON_WORD, growth_data.RARE_WORD
    return [
        ("home", "visitor", "/"), ("home", "member", "/"), ("home", "coordinator", "/"), ("home", "reviewer", "/"),
        ("organizations directory", "member", "/organizations"),
        ("chase list", "coordinator", f"/declarations/{signon}/chase"),
        ("tracker", "member", "/tracker"),
        ("declarations by pillar", "member", "/declarations?pillar=protect"),
        ("declarations by theme", "member", "/declarations?theme=trafficking"),
        ("declarations by pillar", "visitor", "/declarations?pillar=protect"),
        ("search, common word", "member", f"/search?q={common}"),
        ("search, common word", "visitor", f"/search?q={common}"),
        ("search, rare word", "member", f"/search?q={rare}"),
        ("search, rare word", "visitor", f"/search?q={rare}"),
        ("submissions list", "member", "/submissions"),
        ("reading page", "visitor", f"/declarations/{consultation}"),
        ("dossier", "member", f"/submissions/{submission}"),
        ("statistics", "member", f"/submissions/{submission}/statistics"),
        ("signatory list", "visitor", f"/declarations/{signon}/signatories"),
        ("recommendation record", "member", f"/recommendations/{p['recommendation']}"),
        ("reviewer workspace", "reviewer", f"/submissions/{submission}/respond"),
        # Accountability over the years: the scorecards, a recommendation's line, the tracker by lines, the
        # deadlines page, and open data (the API, its scorecard, the feed).
        ("scorecards list", "visitor", "/institutions/"),
        ("scorecard", "visitor", f"/institutions/{institution}"),
        ("scorecard CSV", "visitor", f"/institutions/{institution}/scorecard.csv"),
        ("line page", "visitor", f"/lines/{line}"),
        ("tracker by lines", "member", "/tracker?view=lines"),
        ("deadlines page", "coordinator", f"/submissions/{submission}/deadlines"),
        ("API answers", "visitor", "/api/v1/answers?limit=50"),
        ("API recommendations", "visitor", "/api/v1/recommendations?limit=50"),
        # Ten a page: a full page from 10× on (21 submissions), so the sizes compared both fill it.
        ("API submissions", "visitor", "/api/v1/submissions?limit=10"),
        ("API line", "visitor", f"/api/v1/lines/{line}"),
        ("API scorecard", "visitor", f"/api/v1/institutions/{institution}/scorecard"),
        ("answers feed", "visitor", "/feeds/answers.atom"),
    ]


def database_for(base_url: str, size: int) -> str:
    """A fresh database for one size: a new SQLite file beside the benchmark's, or a new PostgreSQL database
    in the benchmark's cluster."""
    if base_url.startswith("sqlite"):
        return base_url.replace("bench.db", f"growth-{size}.db")
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS growth_{size} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE growth_{size}"))
    engine.dispose()
    return base_url.replace("/sanad_bench?", f"/growth_{size}?")


def build(url: str, size: int) -> tuple[dict, float, dict]:
    app = setup_app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        probes = growth_data.build(size)
        seconds = time.perf_counter() - started
        counts = growth_data.counts()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does to a database that grew over years, done now rather than in the middle of
            # the measurements (SQLite's planner has no statistics unless ANALYZE is run, and the app never does).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
        db.engine.dispose()
    return probes, seconds, counts


def get(connection_box: list, port: int, path: str, cookie: str) -> tuple[int, dict, bytes, float]:
    """One GET on a kept-alive connection: (status, headers, body, ms); status 0 when no answer came."""
    if connection_box[0] is None:
        connection_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    try:
        connection_box[0].request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection_box[0].getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        connection_box[0].close()
        connection_box[0] = None
        return 0, {}, b"", (time.perf_counter() - started) * 1000
    return response.status, dict(response.getheaders()), body, (time.perf_counter() - started) * 1000


def measure(servers: dict, path: str, cookies_by_size: dict, tallies: dict) -> dict:
    """One page at every size, the sizes taken in turn request after request (after two each to warm up), so
    that a busy moment of the machine falls on every size alike: per size the median time, and the rows,
    statements and SQLite steps the responses counted (their median), the gzipped size and the last status."""
    boxes = {size: [None] for size in servers}
    seen = {size: {"ms": [], "rows": [], "queries": [], "steps": [], "status": 0, "body": b""} for size in servers}
    for n in range(WARM_UP + REQUESTS):
        for size, server in servers.items():
            status, headers, body, ms = get(boxes[size], server.port, path, cookies_by_size[size])
            tallies[size].add(status, len(body), ms)
            mine = seen[size]
            mine["status"], mine["body"] = status, body
            if n >= WARM_UP:
                mine["ms"].append(ms)
                for key, header in (("rows", "X-Bench-Rows"), ("queries", "X-Bench-Queries"),
                                    ("steps", "X-Bench-Steps")):
                    mine[key].append(int(headers.get(header, -1)))
    for box in boxes.values():
        if box[0] is not None:
            box[0].close()
    return {size: {"ms": round(statistics.median(m["ms"]), 1), "rows": int(statistics.median(m["rows"])),
                   "queries": int(statistics.median(m["queries"])), "steps_k": int(statistics.median(m["steps"])),
                   "gzip_bytes": len(gzip.compress(m["body"])), "bytes": len(m["body"]), "status": m["status"]}
            for size, m in seen.items()}


def cookies(server: Gunicorn, url: str) -> dict[str, str]:
    """Each role's session cookies, logged in through the form (coordinator and reviewer with their code)."""
    app = setup_app(url)
    found = {"visitor": ""}
    for role, email in LOGINS.items():
        client = WebClient(server.base)
        client.login(email, DEMO_PASSWORD, code=lambda email=email: totp_code(app, email))
        found[role] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    with app.app_context():
        db.engine.dispose()
    return found


def jobs(server: Gunicorn, sqlite: bool) -> dict:
    writer = WebClient(server.base)
    writer.login(growth_data.PROBE_REPRESENTATIVE, DEMO_PASSWORD)
    before = [save_profile(writer, n) for n in range(10)]
    figures = {"remind": run_job(server, "remind", writer=writer), "digest": run_job(server, "digest")}
    figures["remind"]["write_before_median_ms"] = round(statistics.median(ms for _s, ms in before), 1)
    figures["remind"]["write_before_failures"] = sum(status != 302 for status, _ms in before)
    figures["remind"]["judged"] = sqlite
    return figures


def drop(url: str, size: int) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    engine = create_engine(url.replace(f"/growth_{size}?", "/sanad_bench?"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS growth_{size} WITH (FORCE)"))
    engine.dispose()


def serve_and_measure(name: str, built: dict) -> dict:
    """Every size served at once (one gunicorn each), each page measured at every size in turn, then the jobs
    of each size."""
    sizes = sorted(built)
    tallies = {size: Tally() for size in sizes}
    with ExitStack() as stack:
        # The API's own rate limit (120 a minute an address) would answer the benchmark's repeated requests 429.
        servers = {size: stack.enter_context(Gunicorn(built[size]["url"], workers=2, wsgi="bench.counted_wsgi:app",
                                                      env={"SANAD_API_LIMITS": "100000/minute"}))
                   for size in sizes}
        roles = {size: cookies(servers[size], built[size]["url"]) for size in sizes}
        results = {size: {"build_seconds": built[size]["seconds"], "counts": built[size]["counts"], "pages": {}}
                   for size in sizes}
        for page, role, path in pages(built[sizes[0]]["probes"]):
            figures = measure(servers, path, {size: roles[size][role] for size in sizes}, tallies)
            for size in sizes:
                results[size]["pages"][f"{page} ({role})"] = {"path": path, **figures[size]}
        for size in sizes:
            results[size]["jobs"] = jobs(servers[size], sqlite=name == "sqlite")
            results[size].update(verdict(servers[size], {f"{size}×": tallies[size]}))
    return results


def judge(sizes: dict) -> list[str]:
    """What missed the issue's targets, in words."""
    missed = [line for size, result in sizes.items() for line in _broken(size, result)]
    order = sorted(sizes)
    if len(order) > 1:
        missed += _growth(sizes[order[0]], sizes[order[-2]], sizes[order[-1]])
    return missed + [line for size, result in sizes.items() for line in _held_writes(size, result)]


def _broken(size: int, result: dict) -> list[str]:
    """Failures, statuses other than 200, and pages over 50 KB gzipped, at one size."""
    missed = []
    if result["failed"] or result["empty"] or result["worker_restarts"]:
        missed.append(f"{size}×: failed {result['failed']}, empty {result['empty']}, "
                      f"restarts {result['worker_restarts']}")
    for page, figures in result["pages"].items():
        if figures["status"] != 200:
            missed.append(f"{size}×: {page} answered {figures['status']}")
        if figures["gzip_bytes"] > MAX_GZIP_BYTES:
            missed.append(f"{size}×: {page} is {figures['gzip_bytes'] / 1024:,.0f} KB gzipped (> 50)")
    return missed


def _growth(first: dict, before_last: dict, last: dict) -> list[str]:
    """Rows of each page from the size before the largest to the largest; times of each page, and statements
    per person of each job, from the smallest size to the largest."""
    missed = []
    for page, small in first["pages"].items():
        large, before = last["pages"][page], before_last["pages"][page]
        if large["rows"] > before["rows"] * ROW_SLACK_RATIO + ROW_SLACK_ROWS:
            missed.append(f"{page}: rows grow {small['rows']:,} → {before['rows']:,} → {large['rows']:,}")
        if large["ms"] > TIME_RATIO * max(small["ms"], TIME_FLOOR_MS):
            missed.append(f"{page}: time {small['ms']} → {large['ms']} ms (×{large['ms'] / max(small['ms'], 0.1):.1f})")
    for job in ("remind", "digest"):
        small, large = first["jobs"][job], last["jobs"][job]
        if small.get("failed") or large.get("failed"):
            missed.append(f"{job} failed")
            continue
        per_small, per_large = small["queries_per_person"] or 0, large["queries_per_person"] or 0
        if per_large > per_small * ROW_SLACK_RATIO + 0.1:
            missed.append(f"{job}: statements per person grow {per_small} → {per_large}")
        writing = large.get("writing_queries_per_person") or 0
        if writing > MAX_WRITING_STATEMENTS_PER_PERSON:
            missed.append(f"{job}: {writing} statements per person to write what it tells (at most "
                          f"{MAX_WRITING_STATEMENTS_PER_PERSON}: a batch of people costs a few statements)")
    return missed


def _held_writes(size: int, result: dict) -> list[str]:
    """On SQLite: a write of the site that waited more than 100 ms beyond its usual time while remind ran."""
    remind = result["jobs"]["remind"]
    if not remind.get("judged") or remind.get("failed"):
        return []
    wait = remind["write_longest_ms"] - remind["write_before_median_ms"]
    if wait > MAX_WRITE_WAIT_MS or remind["write_failures"]:
        return [f"{size}×: during remind a write waited {wait:,.0f} ms ({remind['write_failures']} failed)"]
    return []


def table(name: str, sizes: dict) -> None:
    order = sorted(sizes)
    steps = name == "sqlite"  # SQLite's thousands of VM instructions: reported, not judged
    print(f"   {name}: page (role) | " + " | ".join(f"{s}×: ms, rows, queries, KB gz{', k steps' if steps else ''}"
                                                for s in order))
    for page in sizes[order[0]]["pages"]:
        cells = []
        for size in order:
            f = sizes[size]["pages"][page]
            cells.append(f"{f['ms']:>7.1f} {f['rows']:>7,} {f['queries']:>4} {f['gzip_bytes'] / 1024:>6.1f}"
                         + (f" {f['steps_k']:>6,}" if steps else "")
                         + ("" if f["status"] == 200 else f" [{f['status']}]"))
        print(f"   {page:<42} | " + " | ".join(cells))
    for job in ("remind", "digest"):
        for size in order:
            print(f"   {job} {size}×: {_job_line(sizes[size]['jobs'][job])}")
    print("   built in: " + ", ".join(f"{s}×: {sizes[s]['build_seconds']} s" for s in order), flush=True)


def _job_line(j: dict) -> str:
    if j.get("failed"):
        return "FAILED"
    line = (f"{j['seconds']} s, {j['queries']:,} queries, {j['rows']:,} rows, {j['done']} done "
            f"({j['queries_per_person']} queries each; writing {j.get('writing_seconds')} s, "
            f"{j.get('writing_queries_per_person')} per person; sending {j.get('sending_queries_per_email')} per "
            f"email), {j['emails_queued']} emails queued")
    if "writes" in j:
        line += (f"; writes during it: {j['writes']}, longest {j['write_longest_ms']} ms (median "
                 f"{j['write_median_ms']}, before {j['write_before_median_ms']}), {j['write_failures']} failed")
        line += f" {j['write_failure_statuses']}" if j["write_failure_statuses"] else ""
    return line


def run(name: str, url: str) -> dict:
    print(f"== {name}", flush=True)
    built = {}
    for size in sorted(SIZES):
        size_url = database_for(url, size)
        probes, seconds, counts = build(size_url, size)
        built[size] = {"url": size_url, "probes": probes, "seconds": round(seconds, 1), "counts": counts}
        print(f"   {size}×: built in {seconds:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()),
              flush=True)
    try:
        sizes = serve_and_measure(name, built)
    finally:
        for size, b in built.items():
            drop(b["url"], size)
    table(name, sizes)
    missed = judge(sizes)
    for line in missed:
        print(f"   MISSED: {line}")
    return {"sizes": sizes, "missed": missed}


def main() -> int:
    results = on_each_database(run)
    missed = [f"{name}: {line}" for name, result in results.items() for line in result["missed"]]
    print("targets:", "met" if not missed else f"MISSED ({len(missed)})")
    print(json.dumps(results))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
