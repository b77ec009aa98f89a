"""Dossier benchmark: a submission of 500 recommendations, 300 signatories and 5,000 comments, and a small
one (30 recommendations, 10 signatories, 60 comments), served through the app on a migrated SQLite file (or
DATABASE_URL). Prints its figures and ends with one line of JSON.

Targets: the web dossier's query count does not grow with size and is at most 15; web p95 <= 500 ms for the
large dossier; its PDF in at most 20 s and 500 MB peak memory (the whole process that renders it, measured in
a separate process so the rest of the benchmark does not count).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.accounts.services import hash_password  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.declarations import services as declarations  # noqa: E402
from app.declarations.models import Declaration  # noqa: E402
from app.extensions import db  # noqa: E402
from app.institutions.models import Institution  # noqa: E402
from app.organizations.models import Organization  # noqa: E402
from app.signatures.models import Signature  # noqa: E402
from app.submissions import services as submissions  # noqa: E402
from bench.reading import build, count_queries, timed  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 30))
PASSWORD = "bench-pass-1"
VISIBILITIES = ["public", "public", "alliance", "coordinators"]


def make_app(database_url: str):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    config.SECRET_KEY = "bench"
    config.MAIL_BACKEND = "console"
    return create_app(config)


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
              "capacity": "individual", "organization_id": None, "user_id": u.id, "signer_name": u.name, "signer_designation": "Expert",
              "visibility": VISIBILITIES[n % 4], "status": "active"} for n, u in enumerate(experts)]
    db.session.execute(Signature.__table__.insert(), rows)
    started = time.perf_counter()
    submission = submissions.submit(author, declaration, version_id=version.id, institution_ids=[institution.id])
    db.session.commit()
    return submission.id, time.perf_counter() - started


def pdf_child(database_url: str, submission_id: int) -> None:
    """Render one PDF in this fresh process and report its time and the process's peak memory."""
    app = make_app(database_url)
    client = app.test_client()
    assert client.post("/login", data={"email": "bench@example.org", "password": PASSWORD}).status_code == 302
    started = time.perf_counter()
    response = client.get(f"/submissions/{submission_id}/dossier.pdf")
    seconds = time.perf_counter() - started
    assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "bytes": len(response.data)}))


def main():
    workdir = tempfile.mkdtemp(prefix="sanad-bench-")
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{workdir}/bench.db")
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        organization = Organization(name="Bench Forum", acronym="BF", type="ngo", verified=True)
        institution = Institution(name="Ministry of Benchmarks", acronym="MoB")
        db.session.add_all([organization, institution])
        db.session.flush()
        author = User(email="bench@example.org", name="Bench Coordinator", password_hash=hash_password(PASSWORD),
                      platform_role="coordinator")
        db.session.add(author)
        db.session.flush()
        started = time.perf_counter()
        large_id, submit_seconds = submitted("Large", 500, 5000, 300, author, organization, institution)
        small_id, _ = submitted("Small", 30, 60, 10, author, organization, institution)
        print(f"built both submissions in {time.perf_counter() - started:.1f} s "
              f"(submitting the large one: {submit_seconds:.2f} s)")

    client = app.test_client()
    assert client.post("/login", data={"email": "bench@example.org", "password": PASSWORD}).status_code == 302
    large_url, small_url = f"/submissions/{large_id}", f"/submissions/{small_id}"
    client.get(large_url)  # warm up templates and caches
    queries_large = count_queries(app, client, large_url)
    queries_small = count_queries(app, client, small_url)
    times, html = timed(client, large_url, RUNS)
    json_body = client.get(f"/submissions/{large_id}/dossier.json").get_data()
    p50 = statistics.median(times)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    print(f"web dossier, large: {queries_large} queries, p50 {p50:.1f} ms, p95 {p95:.1f} ms over {RUNS} runs, "
          f"{len(html):,} bytes")
    print(f"web dossier, small: {queries_small} queries")
    print(f"JSON: {len(json_body):,} bytes")

    child = subprocess.run([sys.executable, __file__, "--pdf", database_url, str(large_id)],
                           capture_output=True, text=True)
    if child.returncode != 0:
        print(child.stdout, child.stderr)
        raise SystemExit("the PDF could not be made")
    pdf = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"PDF, large: {pdf['seconds']} s, peak {pdf['peak_mb']} MB (whole process), {pdf['bytes']:,} bytes")

    result = {"web_queries_large": queries_large, "web_queries_small": queries_small,
              "web_p95_ms": round(p95, 1), "pdf_seconds": pdf["seconds"], "pdf_peak_mb": pdf["peak_mb"],
              "json_bytes": len(json_body)}
    missed = [name for name, ok in (
        ("web queries grow with size", queries_large == queries_small),
        ("web queries > 15", queries_large <= 15), ("web p95 > 500 ms", p95 <= 500),
        ("PDF > 20 s", pdf["seconds"] <= 20), ("PDF peak > 500 MB", pdf["peak_mb"] <= 500)) if not ok]
    print("targets:", "met" if not missed else "MISSED: " + ", ".join(missed))
    print(json.dumps(result))
    if missed:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--pdf":
        pdf_child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
