"""Reading-page benchmark: a large declaration (30 sections, 500 recommendations, 5,000 comments) and a
small one (30 recommendations, 60 comments), served through the app on a migrated SQLite file (or
DATABASE_URL). Prints its figures and ends with one line of JSON.

Targets: the query count does not grow with size and is at most 12; p95 <= 300 ms for the large page;
the small page is at most 30 KB gzipped.
"""
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.accounts.services import hash_password  # noqa: E402
from app.comments.models import Comment  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.declarations import services  # noqa: E402
from app.declarations.models import (Declaration, Recommendation, RecommendationRevision, Section,  # noqa: E402
                                     SectionRevision)
from app.extensions import db  # noqa: E402
from app.markup import render_markdown  # noqa: E402
from app.organizations.models import Organization  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 30))
PILLARS = ["prevent", "pursue", "protect", "promote"]
THEMES = ["trafficking", "smuggling", "firearms", "cybercrime", "money_laundering", "drugs", "corruption", "victims"]
PARAGRAPH = ("Organized crime networks profit from the trafficking of persons and the smuggling of migrants. "
             "The alliance asks the government to act with **urgency** and to report on progress every year. ")


def build(app, title, sections, recommendations, comments, author, organization):
    """Insert a declaration directly (bulk, for speed), then record its first version through the service."""
    declaration = Declaration(title=title, summary="Benchmark declaration.", phase="consultation",
                              visibility="members", created_by_id=author.id)
    db.session.add(declaration)
    db.session.flush()
    items = []
    for n in range(sections):
        section = Section(declaration_id=declaration.id, position=n + 1)
        db.session.add(section)
        db.session.flush()
        body = f"{PARAGRAPH}\n\n- point one\n- point two {n}"
        revision = SectionRevision(section_id=section.id, number=1, heading=f"Section {n + 1}", body_source=body,
                                   body_html=render_markdown(body), author_id=author.id)
        db.session.add(revision)
        db.session.flush()
        section.current_revision_id = revision.id
        items.append(("section", section.id))
    for n in range(recommendations):
        rec = Recommendation(declaration_id=declaration.id, position=n + 1)
        db.session.add(rec)
        db.session.flush()
        text = f"Recommendation {n + 1}: establish specialised units and publish data on cases, number {n}."
        revision = RecommendationRevision(recommendation_id=rec.id, number=1, text_source=text,
                                          text_html=render_markdown(text), pillar=PILLARS[n % 4],
                                          themes=[THEMES[n % 8], THEMES[(n + 3) % 8]], addressees=[],
                                          convention_articles="UNTOC art. 31" if n % 3 == 0 else "",
                                          author_id=author.id)
        db.session.add(revision)
        db.session.flush()
        rec.current_revision_id = revision.id
        items.append(("recommendation", rec.id))
    body = "I support this, but the wording should name the provincial police and set a deadline."
    html = render_markdown(body)
    rows = []
    for n in range(comments):
        kind, item_id = items[n % len(items)] if n % 10 else items[0]  # every tenth on the first section
        rows.append({"declaration_id": declaration.id, "section_id": item_id if kind == "section" else None,
                     "recommendation_id": item_id if kind == "recommendation" else None, "author_id": author.id,
                     "organization_id": organization.id, "body_source": body, "body_html": html,
                     "version_number": 1, "status": "published"})
    if rows:
        db.session.execute(Comment.__table__.insert(), rows)
    services.snapshot(author, declaration, "consultation")
    db.session.commit()
    return declaration.id, items[0][1]


def timed(client, url, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, response.get_data()


def count_queries(app, client, url):
    with app.app_context():
        engine = db.engine
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1
    event.listen(engine, "before_cursor_execute", count)
    client.get(url)
    event.remove(engine, "before_cursor_execute", count)
    return counter["n"]


def main():
    workdir = tempfile.mkdtemp(prefix="sanad-bench-")
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{workdir}/bench.db").replace(
        "postgresql://", "postgresql+psycopg://", 1)
    config.SECRET_KEY = "bench"
    config.MAIL_BACKEND = "console"
    app = create_app(config)
    fixed = {}

    @app.route("/bench-static")
    def bench_static():
        """The same bytes as the large page, as a fixed response: the floor for static_ratio."""
        return fixed["html"]

    with app.app_context():
        upgrade()
        organization = Organization(name="Bench Forum", acronym="BF", type="ngo", verified=True)
        db.session.add(organization)
        db.session.flush()
        author = User(email="bench@example.org", name="Bench Coordinator", password_hash=hash_password("bench-pass-1"),
                      platform_role="coordinator", organization_id=organization.id, org_role="member")
        db.session.add(author)
        db.session.flush()
        started = time.perf_counter()
        large_id, large_section = build(app, "Large", 30, 500, 5000, author, organization)
        small_id, small_section = build(app, "Small", 30, 30, 60, author, organization)
        print(f"built the declarations in {time.perf_counter() - started:.1f} s")

    client = app.test_client()
    assert client.post("/login", data={"email": "bench@example.org", "password": "bench-pass-1"}).status_code == 302
    large_url, small_url = f"/declarations/{large_id}", f"/declarations/{small_id}"
    thread_url = f"/declarations/{large_id}/section/{large_section}/comments"

    client.get(large_url)  # warm up templates and caches
    queries_large = count_queries(app, client, large_url)
    queries_small = count_queries(app, client, small_url)
    queries_thread = count_queries(app, client, thread_url)
    large_times, large_html = timed(client, large_url, RUNS)
    small_times, small_html = timed(client, small_url, RUNS)
    thread_times, thread_html = timed(client, thread_url, RUNS)
    fixed["html"] = large_html

    static_times, _ = timed(client, "/bench-static", RUNS)
    p50 = statistics.median(large_times)
    p95 = statistics.quantiles(large_times, n=20)[-1]
    figures = {
        "queries_large": queries_large,
        "queries_small": queries_small,
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "html_bytes": len(large_html),
        "gzip_bytes": len(gzip.compress(large_html)),
        "small_gzip_bytes": len(gzip.compress(small_html)),
        "static_ratio": round(p50 / statistics.median(static_times), 1),
    }
    print(f"database: {config.SQLALCHEMY_DATABASE_URI.split(':')[0]}, runs: {RUNS}")
    print(f"reading page, large (30 sections, 500 recommendations, 5,000 comments): {queries_large} queries, "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, {len(large_html):,} bytes, {figures['gzip_bytes']:,} gzipped")
    print(f"reading page, small (30 recommendations, 60 comments): {queries_small} queries, "
          f"p50 {statistics.median(small_times):.1f} ms, {figures['small_gzip_bytes']:,} bytes gzipped")
    print(f"section comment page (500 comments, 20 threads a page): {queries_thread} queries, "
          f"p50 {statistics.median(thread_times):.1f} ms, {len(thread_html):,} bytes")
    print(f"fixed response of the same bytes: p50 {statistics.median(static_times):.2f} ms")
    targets = (queries_large == queries_small and queries_large <= 12 and p95 <= 300
               and figures["small_gzip_bytes"] <= 30 * 1024)
    print("targets met" if targets else "TARGETS MISSED")
    print(json.dumps(figures))
    return 0 if targets else 1


if __name__ == "__main__":
    sys.exit(main())
