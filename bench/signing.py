"""Signing benchmark: the app under gunicorn (4 workers) on PostgreSQL and then on SQLite; 32 concurrent
clients sign for 300 organizations, each organization's signature sent twice at once (a double submit)
and then once more (a retry). Prints its figures and ends with one line of JSON.

Targets: no signature lost, none doubled, no 5xx (a request without an answer counts as one) and no worker
restart (counted from gunicorn's log), on both databases. Speed is judged against a floor measured in the
same run: the same gunicorn (same workers) answering every request with the bytes of a signing response
(bench.server.FixedResponse), as many requests from as many clients, half just before the signing and half
just after. On each database the gunicorn processes' CPU time per signing request (the double submit and
the retry counted) is at most MAX_CPU_RATIO times the floor's per fixed response, and the fixed responses
per second are at most MAX_RATE_RATIO times the signing requests per second; the absolute figures (ms of
server CPU per signature, signatures a second) are printed beside them. insert_ratio is signatures per
second divided by plain one-row inserts (one commit each) per second into the same table from one process.

PostgreSQL: a throwaway cluster is started here (Debian's PostgreSQL binaries, default durability
settings), unless BENCH_POSTGRES_URL points at an empty database.
"""
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select  # noqa: E402

from app.accounts.models import User  # noqa: E402
from app.accounts.services import hash_password  # noqa: E402
from app.declarations import services as declarations  # noqa: E402
from app.extensions import db  # noqa: E402
from app.organizations.models import Organization  # noqa: E402
from app.signatures.models import Signature  # noqa: E402
from app.time import utcnow  # noqa: E402
from bench.server import FixedResponse, FloorRatio, Gunicorn, Postgres, load, setup_app, verdict  # noqa: E402
from tests.webclient import WebClient  # noqa: E402

SIGNERS = int(os.environ.get("BENCH_SIGNERS", 300))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 32))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
# gunicorn's default sync workers, as the README's production command runs them (behind a reverse proxy
# that buffers slow clients); BENCH_WORKER_ARGS="-k gthread --threads 4" compares threaded workers.
WORKER_ARGS = os.environ.get("BENCH_WORKER_ARGS", "").split()
PASSWORD = "benchmark password"
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
# The targets were set as absolute figures on the machine this benchmark was tuned on: at most 10 ms of
# server CPU per signature and at least 100 signatures a second, where this commit measured 9.0 ms and 150/s
# (commit b9fadfe: PostgreSQL 8.9 ms and 151/s, SQLite 7.2 ms and 194/s). Restated as ratios, same headroom:
# - CPU: a quiet run of the same commit on another machine of the same kind (issue 24) spent 16.2 ms per
#   signature on PostgreSQL (15.2 on SQLite), 5.40 ms per request, where a fixed response cost 0.26 ms:
#   20.8× the floor (19.5×). The tuning machine's 9.0 ms at that ratio puts its floor at 9.0 / 3 / 20.8 =
#   0.144 ms (this 2-core machine measures 0.11–0.17 ms, median 0.14), and its 10 ms target at
#   20.8 × 10 / 9.0 = 23.1× the floor.
# - Rate: no floor rate was recorded there. Here, at the same commit, the fixed responses ran at 16.8–47.7
#   times the signing requests' rate on PostgreSQL in seven runs, median 24.3 (other work on the machine
#   slows either side, so the median and not the lowest); 150/s over a 100/s target leaves 1.5 of
#   headroom: 24.3 × 1.5 ≈ 36.
MAX_CPU_RATIO = 23.0
MAX_RATE_RATIO = 36.0


def prepare(url: str) -> tuple[int, int]:
    """Migrate, then create the coordinator, SIGNERS organizations with a representative each, and two
    declarations in sign-on: one to warm the server up with, one to measure. Returns their ids."""
    from flask_migrate import upgrade
    app = setup_app(url)  # (mail printed: opening sign-on emails who may sign)
    with app.app_context():
        upgrade()
        password = hash_password(PASSWORD)
        coordinator = User(email="coordinator@bench.example.org", name="Coordinator", password_hash=password,
                           platform_role="coordinator")
        db.session.add(coordinator)
        for n in range(SIGNERS):
            organization = Organization(name=f"Organization {n:04d}", type="ngo", province="punjab", verified=True)
            db.session.add(User(email=f"rep{n}@bench.example.org", name=f"Representative {n}", designation="Director",
                                password_hash=password, organization=organization, org_role="representative"))
        db.session.flush()
        ids = []
        for title in ("Warm-up statement", "Benchmark statement"):
            declaration = declarations.create_declaration(coordinator, kind="declaration", title=title, summary="",
                                                          moderation="post", visibility="public")
            declarations.add_section(coordinator, declaration, heading="Text", body="We, the undersigned, ask.")
            for n in range(10):
                declarations.add_recommendation(coordinator, declaration, text=f"Recommendation {n}.",
                                                pillar="protect", themes=["victims"], addressees=[],
                                                convention_articles="")
            declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow().replace(year=2100))
            declarations.change_phase(coordinator, declaration, "revision")
            declarations.change_phase(coordinator, declaration, "signon")
            ids.append(declaration.id)
        db.session.commit()
        db.engine.dispose()
    return ids[0], ids[1]


def plain_inserts_per_second(url: str, declaration_id: int, rows: int = 300) -> float:
    """One-row inserts into the signatures table, one commit each, from one process (then removed)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        version_id, sha = connection.execute(select(Signature.version_id, Signature.sha256).limit(1)).one()
    started = time.perf_counter()
    for n in range(rows):
        with engine.begin() as connection:
            connection.execute(insert(Signature).values(
                declaration_id=declaration_id, version_id=version_id, sha256=sha, capacity="individual",
                signer_name=f"Plain {n}", signer_designation="", visibility="public", status="withdrawn",
                signed_at=utcnow(), end_reason=""))
    elapsed = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(Signature.__table__.delete().where(Signature.signer_name.like("Plain %")))
    engine.dispose()
    return rows / elapsed


def cpu_times() -> list[int]:
    with open("/proc/stat") as stat:
        return [int(v) for v in stat.readline().split()[1:]]


def cpu_by_program() -> dict[str, float]:
    """CPU seconds used so far by each program name (gunicorn, postgres, python …), over all processes."""
    totals: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        totals[name] = totals.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def cpu_busy(before: list[int]) -> float:
    """Share of the machine's CPU time spent busy since `before` (idle and iowait count as not busy)."""
    after = cpu_times()
    delta = [a - b for a, b in zip(after, before, strict=True)]
    total = sum(delta) or 1
    return 1 - (delta[3] + delta[4]) / total


def run(name: str, url: str) -> dict:
    print(f"== {name}: preparing {SIGNERS} organizations", flush=True)
    warm_up_id, declaration_id = prepare(url)
    profile_dir = tempfile.mkdtemp(prefix="sanad-bench-profile.") if PROFILE else ""
    servers = ExitStack()
    server = servers.enter_context(Gunicorn(
        url, workers=WORKERS, worker_args=tuple(WORKER_ARGS),
        wsgi="bench.profiled_wsgi:app" if PROFILE else os.environ.get("BENCH_WSGI", "wsgi:app"),
        env={"BENCH_PROFILE_DIR": profile_dir,
             "BENCH_PROFILE_PATH": f"/declarations/{declaration_id}/sign"} if PROFILE else None))
    base = server.base
    with servers:
        def sign_form(client, declaration):
            status, _h, page, _t = client.get(f"/declarations/{declaration}/sign")
            token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
            version_id = page.split('name="version_id" type="hidden" value="', 1)[1].split('"', 1)[0]
            return {"csrf_token": token, "version_id": version_id, "capacity": "organization", "visibility": "public"}

        def log_in(n):
            client = WebClient(base)
            client.login(f"rep{n}@bench.example.org", PASSWORD)
            return client, sign_form(client, declaration_id)
        with ThreadPoolExecutor(CLIENTS) as pool:
            visitors = list(pool.map(log_in, range(SIGNERS)))
            # Warm-up, not measured: every worker has loaded its templates and compiled its queries.
            warm = list(pool.map(lambda pair: (pair[0], sign_form(pair[0], warm_up_id)), visitors[:64]))
            for _round in range(3):
                answers = list(pool.map(lambda pair: pair[0].post(f"/declarations/{warm_up_id}/sign", pair[1],
                                                                  keep_cookies=False), warm))
        # The floor: the same gunicorn answering every request with the bytes of a signing response.
        fixed = servers.enter_context(FixedResponse(answers[-1][2].encode(), workers=WORKERS,
                                                    worker_args=tuple(WORKER_ARGS)))
        load(fixed, "/", clients=CLIENTS, requests=4 * WORKERS)
        print(f"   {SIGNERS} representatives logged in, server warmed up; signing with {CLIENTS} clients",
              flush=True)

        latencies, statuses, lock = [], [], threading.Lock()
        path = f"/declarations/{declaration_id}/sign"

        def post(client, form):
            try:
                status, _h, _text, seconds = client.post(path, form, keep_cookies=False)
            except OSError:
                status, seconds = 599, 0.0
            with lock:
                latencies.append(seconds * 1000)
                statuses.append(status)
            return status

        def sign_for(pair):
            client, form = pair
            twin = WebClient(base)
            twin.cookies = dict(client.cookies)
            # A double submit: two identical requests at once; then a retry, as after a lost response.
            first = threading.Thread(target=post, args=(twin, form))
            first.start()
            post(client, form)
            first.join()
            post(client, form)
        # Half the floor's requests just before the signing and half just after: as many as the signing sends,
        # from as many clients, through moments of the machine on either side of it.
        floor_before = load(fixed, "/", clients=CLIENTS, requests=3 * SIGNERS // 2)
        cpu_before, own_before, programs_before = cpu_times(), os.times(), cpu_by_program()
        server_cpu_before, started = server.cpu_seconds(), time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(sign_for, visitors))
        elapsed = time.perf_counter() - started
        server_cpu = server.cpu_seconds() - server_cpu_before
        busy, own, programs = cpu_busy(cpu_before), os.times(), cpu_by_program()
        floor = floor_before.merged(load(fixed, "/", clients=CLIENTS, requests=3 * SIGNERS - 3 * SIGNERS // 2))
        client_cpu = (own.user + own.system) - (own_before.user + own_before.system)
        restarts, crashes = server.restarts(), server.crash_lines()
        floor_outcome = verdict(fixed, {"floor": floor})
    for line in crashes[:20]:
        print("   gunicorn: " + line, file=sys.stderr)

    engine = create_engine(url)
    with engine.connect() as connection:
        active = connection.scalar(select(func.count()).select_from(Signature).where(
            Signature.declaration_id == declaration_id, Signature.status == "active"))
        organizations = connection.scalar(select(func.count(func.distinct(Signature.organization_id))).where(
            Signature.declaration_id == declaration_id, Signature.status == "active"))
        rows = connection.scalar(select(func.count()).select_from(Signature).where(
            Signature.declaration_id == declaration_id))
    engine.dispose()
    per_second = organizations / elapsed
    plain = plain_inserts_per_second(url, declaration_id)
    ratios = [
        FloorRatio("server CPU per signing request", server_cpu * 1000 / max(len(statuses), 1),
                   floor.cpu_ms_per_request, MAX_CPU_RATIO, "ms"),
        FloorRatio(f"signing requests a second ({CLIENTS} clients)", len(statuses) / elapsed, floor.per_second,
                   MAX_RATE_RATIO, "/s", rate=True),
    ]
    result = {
        "signers": SIGNERS,
        "lost": SIGNERS - organizations,
        "duplicates": (active - organizations) + (rows - active),
        "errors_5xx": sum(1 for s in statuses if s >= 500),
        "worker_restarts": restarts,
        "floor_failures": sum(floor_outcome.values()),
        "per_second": round(per_second, 1),
        "p95_ms": round(statistics.quantiles(latencies, n=20)[18], 1),
        "insert_ratio": round(per_second / plain, 3),
        "server_cpu_ms_per_signature": round(server_cpu * 1000 / max(organizations, 1), 2),
        "requests_per_signature": round(len(statuses) / max(organizations, 1), 2),
        "floor_bytes": fixed.body_bytes,
        "cpu_ratio": ratios[0].figures(),
        "rate_ratio": ratios[1].figures(),
        "ratios_met": all(ratio.met for ratio in ratios),
    }
    print(f"   {len(statuses)} requests in {elapsed:.2f} s; statuses {sorted(set(statuses))}; "
          f"p50 {statistics.median(latencies):.1f} ms; plain inserts {plain:.0f}/s", flush=True)
    print(f"   {per_second:.1f} signatures a second, {result['server_cpu_ms_per_signature']:.2f} ms of server CPU "
          f"per signature; floor: {floor.total} fixed responses of {fixed.body_bytes} bytes, "
          f"{floor.per_second:.0f}/s, {floor.cpu_ms_per_request:.3f} ms of server CPU each", flush=True)
    for ratio in ratios:
        print(f"   {ratio}", flush=True)
    spent = {name: seconds - programs_before.get(name, 0.0) for name, seconds in programs.items()}
    print("   CPU seconds by program: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in sorted(
        spent.items(), key=lambda kv: -kv[1])[:5]), flush=True)
    print(f"   machine CPU busy {busy:.0%} of {os.cpu_count()} cores while signing; of which the benchmark's own "
          f"clients {client_cpu / elapsed / os.cpu_count():.0%}", flush=True)
    if PROFILE:
        print_profile(profile_dir, organizations)
    print(f"   {name}: {json.dumps(result)}", flush=True)
    return result


# Where a signing request's time goes, by the function that starts each layer (cumulative CPU of the calls).
LAYERS = [
    ("whole request (Flask)", "flask/app.py", "wsgi_app"),
    ("session load (login session → user)", "app/__init__.py", "load_user"),
    ("CSRF check", "flask_wtf/csrf.py", "protect"),
    ("form validation", "wtforms/form.py", "validate"),
    ("signing checks (reads only)", "app/signatures/services.py", "plan_signature"),
    ("signing write", "app/signatures/services.py", "record_signature"),
    ("  of which audit entry", "app/audit/services.py", "record"),
    ("commit", "app/__init__.py", "finish_unit_of_work"),
    ("session cookie (flash message)", "flask/sessions.py", "save_session"),
]


def print_profile(folder: str, signatures: int) -> None:
    """Merge the workers' profiles; print the layers and the top functions, per signature."""
    import pstats
    files = sorted(Path(folder).glob("*.prof"))
    if not files:
        print("   (no profile written)")
        return
    stats = pstats.Stats(*map(str, files))
    print(f"   CPU profile of the signing POSTs in {len(files)} request threads (cProfile inflates times), "
          "per signature:")
    for label, path, function in LAYERS:
        calls = cumulative = 0.0
        for (filename, _line, name), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
            if filename.endswith(path) and name == function:
                calls, cumulative = calls + nc, cumulative + ct
        print(f"     {label:<40} {cumulative * 1000 / signatures:6.2f} ms  ({calls / signatures:.1f} calls)")
    print("   top functions by own time:")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:15]
    for (filename, line, name), (_cc, _nc, tt, ct, _callers) in rows:
        where = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        print(f"     {tt * 1000 / signatures:6.2f} ms own {ct * 1000 / signatures:6.2f} ms cum  {where}:{line} {name}")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    results = {}
    if os.environ.get("BENCH_POSTGRES_URL"):
        results["postgresql"] = run("postgresql", os.environ["BENCH_POSTGRES_URL"])
    else:
        with Postgres() as postgres:
            results["postgresql"] = run("postgresql", postgres.url)
    if os.environ.get("BENCH_DATABASES", "postgresql sqlite") != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            results["sqlite"] = run("sqlite", f"sqlite:///{folder}/bench.db")
    ratios_met = [r.pop("ratios_met") for r in results.values()]
    ok = all(ratios_met) and all(r["lost"] == r["duplicates"] == r["errors_5xx"] == r["worker_restarts"]
                                 == r["floor_failures"] == 0 for r in results.values())
    print("targets met" if ok else "TARGETS MISSED")
    print(json.dumps(results))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
