"""On SQLite (which the app never ANALYZEs), a text's page of threads reads the text's own comments by its index,
not every first comment of every thread on the site in date order (which an index on (parent_id, created_at)
once led it to do: tens of milliseconds at 150,000 comments, bench/growth.py)."""
import pytest

from app.extensions import db
from tests.comments.test_comments import post, thread_url
from tests.helpers import login, sqlite_query_plans


def test_a_page_of_threads_starts_from_the_texts_own_comments(app, client, people, consultation):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the query plan is read on SQLite")
    login(client, people["member"].email)
    post(client, thread_url(consultation), "A first comment")

    def visit():
        assert "A first comment" in client.get(thread_url(consultation)).get_data(as_text=True)
    plans = sqlite_query_plans(app, visit, wanted=lambda statement: "comments.parent_id IS NULL" in statement)
    assert plans
    for _statement, plan in plans:
        assert "section_id=?" in plan[0] and "parent_id=?" not in plan[0], plan
