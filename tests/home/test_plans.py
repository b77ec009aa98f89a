"""On SQLite, no statement of the home page reads a growing table from end to end: each block starts from the
person's own rows, a phase, an institution, a status or a date, by an index (app/home, migration 0014_homes).
The submissions with an open follow-up are the one table read whole (a few hundred rows after years)."""
import pytest

from app.extensions import db
from tests.helpers import login, sqlite_query_plans

GROWING = ("comments", "comment_flags", "moderation_decisions", "amendments", "answers", "implementation_updates",
           "submitted_recommendations", "signatures", "versions", "sections", "recommendations")


@pytest.mark.parametrize("role", ["visitor", "member", "representative", "expert", "coordinator", "reviewer"])
def test_no_home_statement_reads_a_growing_table_whole(app, client, people, submitted, role):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the query plan is read on SQLite")
    if role != "visitor":
        login(client, people[role].email)

    def visit():
        assert client.get("/").status_code == 200
    plans = sqlite_query_plans(app, visit)
    assert plans
    for statement, plan in plans:
        scans = [step for step in plan if step.startswith("SCAN ") and step.split()[1] in GROWING]
        assert not scans, (statement, plan)
