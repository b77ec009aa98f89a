"""The open-data API as a program uses it: lists a page at a time behind cursors, items, filters, errors as JSON,
ETags, caching, CORS and its own rate limit."""
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.declarations import services as declarations
from app.declarations.models import Declaration
from app.extensions import db
from app.opendata.resources import API_RESOURCES
from app.signatures.queries import signing_version
from app.submissions import services as submissions
from tests.helpers import URDU_RECOMMENDATIONS, QueryCounter, login, make_bilingual


def walk(client, url: str) -> list[dict]:
    """Every record of a list, following `next` and checking that Link says the same."""
    records = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        body = response.get_json()
        records += body["data"]
        if body["next"]:
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
        else:
            assert "Link" not in response.headers
        url = body["next"]
    return records


@pytest.mark.parametrize("resource", sorted(API_RESOURCES))
def test_a_list_read_one_record_a_page_holds_the_same_records_as_one_page(app, open_site, resource):
    client = app.test_client()
    whole = client.get(f"/api/v1/{resource}?limit=200").get_json()
    assert whole["next"] is None and whole["data"], resource
    one_by_one = walk(client, f"/api/v1/{resource}?limit=1")
    assert [r["id"] for r in one_by_one] == [r["id"] for r in whole["data"]]
    assert [r["id"] for r in one_by_one] == sorted(r["id"] for r in one_by_one)


@pytest.mark.parametrize("resource", sorted(API_RESOURCES))
def test_every_listed_record_has_its_item(app, open_site, resource):
    client = app.test_client()
    for record in client.get(f"/api/v1/{resource}").get_json()["data"]:
        response = client.get(f"/api/v1/{resource}/{record['id']}")
        assert response.status_code == 200
        item = response.get_json()["data"]
        assert {k: v for k, v in item.items() if k in record} == record


def test_a_record_added_between_pages_does_not_move_the_next_page(app, open_site, make_declaration):
    client = app.test_client()
    first = client.get("/api/v1/declarations?limit=1").get_json()
    make_declaration("consultation", visibility="public", title="Added while reading")
    rest = walk(client, first["next"])
    ids = [first["data"][0]["id"]] + [r["id"] for r in rest]
    assert ids == sorted(set(ids)) and len(ids) == 3  # the two that were there, and the new one at the end


def test_the_next_link_keeps_the_filters_and_the_limit(app, open_site):
    body = app.test_client().get(f"/api/v1/recommendations?declaration={open_site.declaration.id}&limit=1"
                                 "&ignored=1").get_json()
    assert f"declaration={open_site.declaration.id}" in body["next"] and "limit=1" in body["next"]
    assert "ignored" not in body["next"]


def test_filters_narrow_in_the_database(app, open_site, make_user):
    client = app.test_client()
    other = make_user("reviewer")
    declaration = open_site.declaration.id
    assert {r["declaration_id"] for r in walk(client, f"/api/v1/versions?declaration={declaration}")} == {declaration}
    assert len(walk(client, f"/api/v1/recommendations?institution={open_site.institution_id}")) == 3
    assert walk(client, f"/api/v1/recommendations?institution={other.institution_id}") == []
    assert walk(client, f"/api/v1/answers?institution={other.institution_id}") == []
    assert len(walk(client, f"/api/v1/answers?institution={open_site.institution_id}")) == 2
    assert len(walk(client, f"/api/v1/submissions?institution={open_site.institution_id}")) == 1
    later = (open_site.now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert walk(client, f"/api/v1/answers?since={later}") == []
    earlier = (open_site.now - timedelta(days=1)).date().isoformat()
    assert len(walk(client, f"/api/v1/answers?since={earlier}")) == 2


@pytest.mark.parametrize("query, says", [
    ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("cursor=not-a-cursor", "cursor"),
    ("cursor=answers.1", "another list"), ("cursor=", "cursor"), ("limit=", "limit"), ("since=yesterday", "since"),
    ("since=20260131", "since"), ("since=2026-01-31T09:00", "since"), ("declaration=abc", "declaration"),
    ("declaration=0", "declaration"), ("declaration=", "declaration"), ("declaration=4294967296", "declaration"),
])
def test_a_bad_cursor_limit_or_filter_is_a_400_in_json(app, open_site, query, says):
    response = app.test_client().get(f"/api/v1/versions?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == 400 and says in error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_what_is_not_there_is_a_404_in_json(app, open_site):
    client = app.test_client()
    for path in ("/api/v1/declarations/999999", f"/api/v1/declarations/{open_site.members.id}",
                 "/api/v1/declarations/4294967296", "/api/v1/submissions/4294967296/signatories",
                 f"/api/v1/submissions/{open_site.members_submission_id}/signatories", "/api/v1/nothing",
                 "/api/v2/declarations"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["status"] == 404


def test_a_cursor_past_every_id_is_an_empty_last_page(app, open_site):
    body = app.test_client().get("/api/v1/declarations?cursor=declarations.zzzzzz").get_json()
    assert body == {"data": [], "next": None, "limit": 50}


def test_answers_carry_a_strong_etag_and_a_public_max_age_and_answer_304(app, open_site):
    client = app.test_client()
    response = client.get("/api/v1/answers")
    etag, weak = response.get_etag()
    assert etag and not weak
    assert response.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/answers", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304 and again.get_data() == b""
    compressed = client.get("/api/v1/answers", headers={"If-None-Match": f'"{etag}:gzip"'})
    assert compressed.status_code == 304
    assert client.get("/api/v1/answers", headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_logged_in_reader_is_served_the_same_data_but_not_cached(app, open_site, people):
    client = app.test_client()
    anonymous = client.get("/api/v1/declarations").get_json()
    login(client, people["coordinator"].email)
    response = client.get("/api/v1/declarations")
    assert response.get_json() == anonymous
    assert response.headers["Cache-Control"] == "no-store"


def test_every_origin_may_read_and_ask_first(app, open_site):
    client = app.test_client()
    assert client.get("/api/v1/institutions").headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in client.get("/api/v1/institutions").headers["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/institutions", headers={"Origin": "https://example.org",
                                                                "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert client.get("/feeds/answers.atom").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/open-data").headers


def test_the_api_has_its_own_rate_limit_answered_in_json_with_retry_after(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API_LIMITS="3 per minute")
    client = app.test_client()
    for path in ("/api/v1/institutions", "/api/v1/declarations", "/api/v1/"):
        assert client.get(path).status_code == 200
    refused = client.get("/api/v1/answers")  # the limit is the whole API's, whichever address
    assert refused.status_code == 429
    assert refused.get_json()["error"]["status"] == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/declarations").status_code == 200  # the site's pages are not counted


def test_a_page_costs_the_same_statements_however_many_records_it_holds(app, open_site, make_declaration):
    client = app.test_client()
    counts = {}
    for resource in sorted(API_RESOURCES):
        with QueryCounter(app) as few:
            client.get(f"/api/v1/{resource}?limit=1")
        with QueryCounter(app) as many:
            client.get(f"/api/v1/{resource}?limit=200")
        counts[resource] = (few.count, many.count)
    assert all(few == many for few, many in counts.values()), counts
    assert max(many for _few, many in counts.values()) <= 4, counts


def test_a_line_shows_its_years_and_leaves_out_what_is_not_public(app, open_site):
    line = app.test_client().get(f"/api/v1/lines/{open_site.line_id}").get_json()["data"]
    assert [(e["source"], e["year"]) for e in line["entries"]] == [("earlier", 2022),
                                                                    ("sanad", open_site.now.year)]
    earlier, sanad = line["entries"]
    assert earlier["recommendation"]["id"] == open_site.earlier_recommendation_id
    assert earlier["positions"][0]["position"]["key"] == "noted" and earlier["positions"][0]["date"] == "2022-12-01"
    assert earlier["assessment"]["key"] == "not_started"
    assert sanad["recommendation"]["id"] == open_site.declaration.recommendations[0]
    assert [p["position"]["key"] for p in sanad["positions"]] == ["noted"]  # the published one, not the draft
    assert line["recommendation_ids"] == [open_site.declaration.recommendations[0]]  # not the members-only one


def test_a_declaration_in_two_languages_gives_both_texts(app, people, make_declaration):
    draft = make_declaration("drafting", visibility="public")
    make_bilingual(app, people, draft, phase="revision")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, draft.id)
        declarations.change_phase(coordinator, declaration, "signon")
        submissions.submit(coordinator, declaration, version_id=signing_version(declaration).id,
                           institution_ids=[people["reviewer"].institution_id])
        db.session.commit()
    client = app.test_client()
    record = client.get(f"/api/v1/declarations/{draft.id}").get_json()["data"]
    assert record["languages"] == ["en", "ur"]
    assert record["title"] == {"en": "Declaration on trafficking", "ur": "انسانی اسمگلنگ پر اعلامیہ"}
    recommendations = client.get(f"/api/v1/recommendations?declaration={draft.id}").get_json()["data"]
    assert [r["translation"]["markdown"] for r in recommendations] == list(URDU_RECOMMENDATIONS)
    assert all(r["translation"]["language"] == "ur" and r["translation"]["html"] for r in recommendations)
    assert recommendations[0]["text"] == {"language": "en", "html": "<p>Create specialised prosecution units.</p>",
                                          "markdown": "Create specialised prosecution units."}
