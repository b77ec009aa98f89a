"""How SQLite answers the API's lists: each page is read along an index from the cursor on (a SEARCH, never a SCAN
of a table nor a sort of all its rows), so a page costs the same at any depth and with any amount of history; what
is read for the page's rows afterwards is found by their ids."""
import pytest

from app.opendata.resources import API_RESOURCES
from tests.helpers import sqlite_query_plans


@pytest.fixture
def sqlite_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's query plans")


@pytest.mark.parametrize("resource", sorted(API_RESOURCES))
def test_a_page_of_every_list_is_read_along_an_index(app, sqlite_only, open_site, resource):
    client = app.test_client()
    cursor = client.get(f"/api/v1/{resource}?limit=1").get_json()["next"] or f"/api/v1/{resource}?limit=1"
    plans = sqlite_query_plans(app, lambda: client.get(cursor), lambda s: "alliance_settings" not in s)
    pages = [(statement, steps) for statement, steps in plans if "LIMIT" in statement]
    assert len(pages) == 1, plans
    statement, steps = pages[0]
    assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in steps), (statement, steps)
    for statement, steps in plans:
        assert not any(step.startswith("SCAN") for step in steps), (statement, steps)


def test_a_submissions_signatories_are_read_along_its_own_index(app, sqlite_only, open_site):
    client = app.test_client()
    plans = sqlite_query_plans(app, lambda: client.get(
        f"/api/v1/submissions/{open_site.submission_id}/signatories?limit=1"), lambda s: "signer_name" in s)
    assert any("submission_signatures" in step and "(submission_id=? AND signature_id>?)" in step
               for step in plans[0][1]), plans
