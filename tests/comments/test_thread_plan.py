"""On SQLite (which the app never ANALYZEs), a text's page of threads reads the text's own comments by its index,
not every first comment of every thread on the site in date order (which an index on (parent_id, created_at)
once led it to do: tens of milliseconds at 150,000 comments, bench/growth.py)."""
import pytest
from sqlalchemy import event

from app.extensions import db
from tests.comments.test_comments import post, thread_url
from tests.helpers import login


def test_a_page_of_threads_starts_from_the_texts_own_comments(app, client, people, consultation):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the query plan is read on SQLite")
        engine = db.engine
    login(client, people["member"].email)
    post(client, thread_url(consultation), "A first comment")
    statements = []

    def keep(_connection, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT") and "comments.parent_id IS NULL" in statement:
            statements.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert "A first comment" in client.get(thread_url(consultation)).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert statements
    with app.app_context():
        connection = db.session.connection()
        for statement, parameters in statements:
            plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                  tuple(parameters))]
            assert "section_id=?" in plan[0] and "parent_id=?" not in plan[0], plan
