"""Dossier benchmark: a submission of 500 recommendations, 300 signatories and 5,000 comments, and a small
one (30 recommendations, 10 signatories, 60 comments), built on a migrated database and served by gunicorn in
its own processes (production configuration) on SQLite and on a throwaway PostgreSQL cluster. Prints its
figures and ends with one line of JSON.

Targets: no failed or empty response and no worker restart; the web dossier's query count (counted in this
process) does not grow with size and is at most 15; the large dossier's web p95 at most MAX_WEB_P95_RATIO
times the floor, the median time of its bytes as a fixed response from the same gunicorn, five of them
after each timed dossier; its PDF in at most MAX_PDF_RATIO times the median time of the PDF's bytes as a
fixed response from the same one-worker gunicorn, and in at most 500 MB peak memory (the whole gunicorn
worker that renders it, a fresh one, from its VmHWM).
"""
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyotp  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app.accounts.models import User  # noqa: E402
from app.accounts.services import hash_password  # noqa: E402
from app.declarations import services as declarations  # noqa: E402
from app.declarations.models import Declaration  # noqa: E402
from app.extensions import db  # noqa: E402
from app.institutions.models import Institution  # noqa: E402
from app.organizations.models import Organization  # noqa: E402
from app.signatures.models import Signature  # noqa: E402
from app.submissions import services as submissions  # noqa: E402
from app.time import utcnow  # noqa: E402
from bench.reading import build, count_queries  # noqa: E402
from bench.server import (  # noqa: E402
    FixedResponse,
    FloorRatio,
    Gunicorn,
    fetch,
    interleaved,
    load,
    on_each_database,
    setup_app,
    spread,
    verdict,
    workers_memory_mb,
)
from tests.helpers import login, totp_code  # noqa: E402
from tests.webclient import WebClient  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 30))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 200))
CLIENTS = 8
FLOOR_PER_RUN = 5  # fixed responses after each timed dossier: the floor's median from many, at the same moments
PDF_FLOOR_ROUNDS = 20
# Were web p95 <= 500 ms and the PDF in <= 20 s. The lowest floors measured here: 0.446 ms for the web
# dossier's 260,357 bytes (0.45–0.82 in six runs), 0.494 ms for the PDF's 278,000 (0.49–1.05 in six runs,
# 0.51–0.92 in four more); 500 / 0.446 ≈ 1,100 and 20,000 / 0.494 ≈ 40,000.
MAX_WEB_P95_RATIO = 1_100.0
MAX_PDF_RATIO = 40_000.0
PASSWORD = "bench-pass-1"
VISIBILITIES = ["public", "public", "alliance", "coordinators"]


def make_app(database_url: str):
    return setup_app(database_url.replace("postgresql://", "postgresql+psycopg://", 1))


def submitted(title, recommendations, comments, signatories, author, organization, institution):
    """A declaration built in bulk, moved to sign-on, signed by `signatories` organizations and experts, and
    submitted through the service (which builds the dossier)."""
    declaration_id, _ = build(None, title, 30, recommendations, comments, author, organization)
    declaration = db.session.get(Declaration, declaration_id)
    declaration.phase = "signon"
    version = declarations.snapshot(author, declaration, "signon")
    organizations = [Organization(name=f"{title} signatory {n:03d}", acronym=f"S{n}", type="ngo",
                                  province="sindh", verified=True) for n in range(signatories * 2 // 3)]
    db.session.add_all(organizations)
    db.session.flush()
    rows = [{"declaration_id": declaration_id, "version_id": version.id, "sha256": version.sha256,
             "capacity": "organization", "organization_id": o.id, "user_id": None, "signer_name": f"Director {n}",
             "signer_designation": "Director", "visibility": VISIBILITIES[n % 4], "status": "active"}
            for n, o in enumerate(organizations)]
    experts = [User(email=f"{title.lower()}-expert{n}@example.org", name=f"Expert {n}", password_hash="x",
                    is_expert=True) for n in range(signatories - len(organizations))]
    db.session.add_all(experts)
    db.session.flush()
    rows += [{"declaration_id": declaration_id, "version_id": version.id, "sha256": version.sha256,
              "capacity": "individual", "organization_id": None, "user_id": u.id, "signer_name": u.name,
              "signer_designation": "Expert",
              "visibility": VISIBILITIES[n % 4], "status": "active"} for n, u in enumerate(experts)]
    db.session.execute(Signature.__table__.insert(), rows)
    started = time.perf_counter()
    submission = submissions.submit(author, declaration, version_id=version.id, institution_ids=[institution.id])
    db.session.commit()
    return submission.id, time.perf_counter() - started


def worker_peak_mb(master_pid: int) -> float:
    """The highest peak resident memory (VmHWM) among the gunicorn master's workers."""
    return max(workers_memory_mb(master_pid, "VmHWM"), default=0.0)


def session_cookie(server: Gunicorn, database_url: str) -> str:
    """A logged-in coordinator's cookies, second factor included."""
    app = make_app(database_url)
    client = WebClient(server.base)
    client.login("bench@example.org", PASSWORD, code=lambda: totp_code(app, "bench@example.org"))
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def prepare(database_url: str) -> dict:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        organization = Organization(name="Bench Forum", acronym="BF", type="ngo", verified=True)
        institution = Institution(name="Ministry of Benchmarks", acronym="MoB")
        db.session.add_all([organization, institution])
        db.session.flush()
        author = User(email="bench@example.org", name="Bench Coordinator", password_hash=hash_password(PASSWORD),
                      platform_role="coordinator", totp_secret=pyotp.random_base32(), totp_confirmed_at=utcnow())
        db.session.add(author)
        db.session.flush()
        started = time.perf_counter()
        large_id, submit_seconds = submitted("Large", 500, 5000, 300, author, organization, institution)
        small_id, _ = submitted("Small", 30, 60, 10, author, organization, institution)
        print(f"   built both submissions in {time.perf_counter() - started:.1f} s "
              f"(submitting the large one: {submit_seconds:.2f} s)", flush=True)
    client = app.test_client()
    assert login(client, "bench@example.org", PASSWORD).status_code == 302
    client.get(f"/submissions/{large_id}")  # templates compiled before counting
    queries = {"large": count_queries(app, client, f"/submissions/{large_id}"),
               "small": count_queries(app, client, f"/submissions/{small_id}")}
    with app.app_context():
        db.engine.dispose()
    return {"large_id": large_id, "small_id": small_id, "queries": queries}


def run(name: str, database_url: str) -> dict:
    print(f"== {name}", flush=True)
    prepared = prepare(database_url)
    large_url = f"/submissions/{prepared['large_id']}"
    queries = prepared["queries"]
    with Gunicorn(database_url, workers=2) as server:
        cookie = session_cookie(server, database_url)
        load(server, large_url, clients=2, requests=4, cookie=cookie)
        html = fetch([None], server.port, large_url, cookie)[1]
        with FixedResponse(html, workers=2) as fixed:
            load(fixed, "/", clients=2, requests=4)
            sequential, fixed_sequential = interleaved(
                RUNS, lambda: load(server, large_url, clients=1, requests=1, cookie=cookie, expect=b"SHA-256"),
                lambda: load(fixed, "/", clients=1, requests=FLOOR_PER_RUN))
            fixed_outcome = verdict(fixed, {"fixed": fixed_sequential})
        formats = {suffix: load(server, f"{large_url}/dossier.{suffix}", clients=1, requests=3, cookie=cookie)
                   for suffix in ("json", "csv")}
        concurrent = load(server, large_url, clients=CLIENTS, requests=REQUESTS, cookie=cookie, expect=b"SHA-256")
        json_body = fetch([None], server.port, f"{large_url}/dossier.json", cookie)[1]
        outcome = verdict(server, {"sequential": sequential, "concurrent": concurrent, **formats})
    with Gunicorn(database_url, workers=1) as pdf_server:  # a fresh worker: its peak memory is the PDF's
        cookie = session_cookie(pdf_server, database_url)
        started = time.perf_counter()
        status, pdf = fetch([None], pdf_server.port, f"{large_url}/dossier.pdf", cookie)
        pdf_seconds = time.perf_counter() - started
        pdf_peak_mb = worker_peak_mb(pdf_server.process.pid)
        pdf_tally = load(pdf_server, "/healthz", clients=1, requests=1)
        pdf_tally.add(status, len(pdf) if pdf.startswith(b"%PDF") else 0, pdf_seconds * 1000)
        pdf_outcome = verdict(pdf_server, {"pdf": pdf_tally})
    # The PDF's size is known once it is made (and then it is kept, not made again), so its floor follows
    # it: the same one-worker gunicorn answering with the PDF's bytes, one request at a time, in short runs
    # spread over a few seconds.
    with FixedResponse(pdf, workers=1) as pdf_fixed:
        load(pdf_fixed, "/", clients=1, requests=2)
        pdf_floor = spread(PDF_FLOOR_ROUNDS, 0.1, lambda: load(pdf_fixed, "/", clients=1, requests=3))
        pdf_fixed_outcome = verdict(pdf_fixed, {"fixed PDF": pdf_floor})
    ratios = {
        "web_p95": FloorRatio("web dossier p95, one request at a time", sequential.p95(), fixed_sequential.p50(),
                              MAX_WEB_P95_RATIO, "ms"),
        "pdf": FloorRatio("PDF of the large dossier", pdf_seconds * 1000, pdf_floor.p50(), MAX_PDF_RATIO, "ms"),
    }
    print(f"   web dossier, large: {queries['large']} queries, p50 {sequential.p50():.1f} ms, "
          f"p95 {sequential.p95():.1f} ms over {RUNS} runs, {len(html):,} bytes; small: {queries['small']} queries; "
          f"the same bytes as a fixed response, between them: p50 {fixed_sequential.p50():.2f} ms, "
          f"p95 {fixed_sequential.p95():.2f} ms")
    print(f"   {concurrent.total} large dossiers from {CLIENTS} clients on 2 workers: {concurrent.per_second:.1f}/s; "
          f"JSON {len(json_body):,} bytes")
    print(f"   PDF, large: {pdf_seconds:.2f} s, peak {pdf_peak_mb:.0f} MB (whole worker), {len(pdf):,} bytes; "
          f"the same bytes as a fixed response: p50 {pdf_floor.p50():.2f} ms, p95 {pdf_floor.p95():.2f} ms")
    for ratio in ratios.values():
        print(f"   {ratio}")
    failures = {key: outcome[key] + pdf_outcome[key] for key in outcome}
    print(f"   failed {failures['failed']}, empty {failures['empty']}, worker restarts {failures['worker_restarts']}"
          f" (fixed servers: {fixed_outcome}, {pdf_fixed_outcome})", flush=True)
    result = {"web_queries_large": queries["large"], "web_queries_small": queries["small"],
              "web_p95_ms": round(sequential.p95(), 1), "web_fixed_p50_ms": round(fixed_sequential.p50(), 2),
              "web_p95_ratio": ratios["web_p95"].ratio, "web_rps_8_clients": round(concurrent.per_second, 1),
              "pdf_seconds": round(pdf_seconds, 2), "pdf_fixed_p50_ms": round(pdf_floor.p50(), 2),
              "pdf_ratio": ratios["pdf"].ratio, "pdf_peak_mb": round(pdf_peak_mb, 1),
              "json_bytes": len(json_body), **failures}
    missed = [label for label, ok in (
        ("failed, empty or restarted", not any(failures.values())),
        ("a fixed response failed", not any(fixed_outcome.values()) and not any(pdf_fixed_outcome.values())),
        ("web queries grow with size", queries["large"] == queries["small"]),
        ("web queries > 15", queries["large"] <= 15),
        (f"web p95 > {MAX_WEB_P95_RATIO:g}× the floor", ratios["web_p95"].met),
        (f"PDF > {MAX_PDF_RATIO:g}× the floor", ratios["pdf"].met),
        ("PDF peak > 500 MB", pdf_peak_mb <= 500)) if not ok]
    result["missed"] = missed
    return result


def main() -> int:
    results = on_each_database(run)
    missed = [f"{name}: {label}" for name, r in results.items() for label in r.pop("missed")]
    print("targets:", "met" if not missed else "MISSED: " + ", ".join(missed))
    print(json.dumps(results))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
