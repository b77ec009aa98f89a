"""An institution's scorecard in the open-data API: the figures a visitor sees on the page, for the latest year by
default, a year asked for or every year, valid against the OpenAPI document; bad years are a 400, a missing
institution a 404, both in JSON."""
import pytest

from tests.opendata.test_openapi import _check, _validator
from tests.scorecards.test_scorecard import PUBLIC, PUBLIC_ANSWERS, _page_figures


def test_the_api_gives_the_figures_a_visitor_sees_valid_against_the_document(app, client, hand_built):
    ministry = hand_built["ministry"]
    document = client.get("/api/v1/openapi.json").get_json()
    response = client.get(f"/api/v1/institutions/{ministry}/scorecard?year=all")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    _check(_validator(document, "/api/v1/institutions/{id}/scorecard"), response.get_json(), "scorecard")
    card = response.get_json()["data"]
    assert card["year"] == "all" and card["submissions"] == PUBLIC and card["recommendations"] == PUBLIC_ANSWERS
    assert card["url"].endswith(f"/institutions/{ministry}?year=all")
    assert card["csv"].endswith(f"/institutions/{ministry}/scorecard.csv?year=all")
    # The members-only dossier a coordinator would count is never in it, logged in or not.
    assert client.get(f"/api/v1/institutions/{ministry}/scorecard?year=all").get_json()["data"] == card


def test_the_api_and_the_page_count_the_same_year(app, client, hand_built, story):
    ministry = hand_built["ministry"]
    latest = client.get(f"/api/v1/institutions/{ministry}/scorecard").get_json()["data"]
    assert latest["year"] == story.day(2).year
    shown = _page_figures(client.get(f"/institutions/{ministry}").get_data(as_text=True))
    assert shown["submissions.received"] == str(latest["submissions"]["received"])
    assert shown["recommendations.addressed"] == str(latest["recommendations"]["addressed"])
    etag = client.get(f"/api/v1/institutions/{ministry}/scorecard").headers["ETag"]
    assert client.get(f"/api/v1/institutions/{ministry}/scorecard", headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("year", ["last year", "1800", "-1", "20x6"])
def test_a_bad_year_is_a_400_in_json(client, hand_built, year):
    response = client.get(f"/api/v1/institutions/{hand_built['ministry']}/scorecard", query_string={"year": year})
    assert response.status_code == 400 and "year must be" in response.get_json()["error"]["message"]


def test_a_missing_institution_is_a_404_in_json(client):
    response = client.get("/api/v1/institutions/999999/scorecard")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
