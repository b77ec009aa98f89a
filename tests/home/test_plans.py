"""On SQLite, no statement of the home page reads a growing table from end to end: each block starts from the
person's own rows, a phase, an institution, a status or a date, by an index (app/home, migration 0014_homes).
The submissions with an open follow-up are the one table read whole (a few hundred rows after years)."""
import pytest
from sqlalchemy import event

from app.extensions import db
from tests.helpers import login

GROWING = ("comments", "comment_flags", "moderation_decisions", "amendments", "answers", "implementation_updates",
           "submitted_recommendations", "signatures", "versions", "sections", "recommendations")


@pytest.mark.parametrize("role", ["visitor", "member", "representative", "expert", "coordinator", "reviewer"])
def test_no_home_statement_reads_a_growing_table_whole(app, client, people, submitted, role):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the query plan is read on SQLite")
    if role != "visitor":
        login(client, people[role].email)
    statements = []

    def keep(_connection, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert statements
    with app.app_context():
        connection = db.session.connection()
        for statement, parameters in statements:
            plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                  tuple(parameters))]
            scans = [step for step in plan if step.startswith("SCAN ") and step.split()[1] in GROWING]
            assert not scans, (statement, plan)
