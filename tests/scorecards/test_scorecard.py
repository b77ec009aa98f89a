"""The scorecard of an institution: every figure against a hand-built set of submissions whose timeliness is known
(on time, late, missing, no deadline), medians of odd and even counts, who sees what (a members-only dossier never
counts for a visitor, a draft answer never counts), the CSV equal to the page, the chart without inline style,
404 for an institution that does not exist, and a page that costs the same however much history there is."""
import csv
import io
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from flask_login import AnonymousUserMixin

from app.accounts.models import User
from app.extensions import db
from app.institutions.models import Institution
from app.scorecards import queries
from bench import counting
from tests.helpers import login


def _card(app, viewer_id, institution_id, year=None):
    with app.app_context():
        viewer = db.session.get(User, viewer_id) if viewer_id else AnonymousUserMixin()
        return queries.scorecard(viewer, db.session.get(Institution, institution_id), year)


PUBLIC = {"received": 5, "acknowledged_on_time": 1, "acknowledged_late": 1, "unacknowledged_deadline_passed": 1,
          "unacknowledged_deadline_ahead": 1, "no_deadline": 1, "median_days_to_acknowledge": 15.0}
PUBLIC_ANSWERS = {"addressed": 11, "answered_on_time": 3, "answered_late": 1, "unanswered_deadline_passed": 2,
                  "unanswered_deadline_ahead": 3, "no_deadline_answered": 1, "no_deadline_unanswered": 1,
                  "answered": 5, "updated_last_12_months": 2, "updated_share_percent": 40.0,
                  "median_days_to_answer": 50.0}


def test_a_visitor_sees_the_figures_of_public_dossiers_only(app, hand_built, story):
    card = _card(app, None, hand_built["ministry"])
    assert card["submissions"] == PUBLIC  # two acknowledged, after 10 and 20 days: an even count
    assert card["recommendations"] == PUBLIC_ANSWERS  # five answered: an odd count, 5 10 [50] 60 95 days
    assert card["positions_by_pillar"] == {
        "prevent": {"supported": 2, "partially": 0, "noted": 0, "not_supported": 0},
        "pursue": {"supported": 0, "partially": 0, "noted": 0, "not_supported": 1},
        "protect": {"supported": 0, "partially": 1, "noted": 0, "not_supported": 0},
        "promote": {"supported": 0, "partially": 0, "noted": 1, "not_supported": 0}}
    assert card["assessments"] == {"no_evidence": 0, "not_started": 0, "limited": 1, "substantial": 0, "complete": 1,
                                   "agrees": 1, "none": 8}
    one = hand_built["one"]
    assert [(o["recommendation_id"], o["days_overdue"]) for o in card["overdue_items"]] == [
        (one["recommendations"][2], 10), (one["recommendations"][3], 10)]  # the draft leaves the fourth unanswered
    assert (card["first_year"], card["last_year"]) == (story.day(100).year, story.day(2).year)


@pytest.mark.parametrize("role", ["member", "coordinator", "reviewer"])
def test_the_alliance_and_the_institutions_reviewers_count_its_members_only_submissions(app, hand_built, people,
                                                                                        role):
    card = _card(app, people[role].id, hand_built["ministry"])
    assert card["submissions"] == {**PUBLIC, "received": 6, "acknowledged_on_time": 2,
                                   "median_days_to_acknowledge": 10.0}  # 5 [10] 20: odd
    assert card["recommendations"] == {**PUBLIC_ANSWERS, "addressed": 13, "answered_on_time": 4,
                                       "unanswered_deadline_passed": 3, "answered": 6, "updated_share_percent": 33.3,
                                       "median_days_to_answer": 30.0}  # 2 5 [10 50] 60 95: even
    assert card["positions_by_pillar"]["pursue"] == {"supported": 1, "partially": 0, "noted": 0, "not_supported": 1}
    assert card["assessments"]["substantial"] == 1 and card["assessments"]["none"] == 9
    assert card["overdue_items"][0]["recommendation_id"] == hand_built["members_only"]["recommendations"][1]
    assert card["overdue_items"][0]["days_overdue"] == 20


def test_another_institutions_reviewer_sees_what_a_visitor_sees(app, hand_built):
    card = _card(app, hand_built["other_reviewer"].id, hand_built["ministry"])
    assert card["submissions"] == PUBLIC and card["recommendations"] == PUBLIC_ANSWERS


def test_each_institution_counts_only_its_own_answers(app, hand_built):
    card = _card(app, None, hand_built["agency"])
    assert card["submissions"]["received"] == 1 and card["submissions"]["no_deadline"] == 1
    assert card["recommendations"]["addressed"] == 2  # its two; the ministry's answer to one is not the agency's
    assert card["recommendations"]["no_deadline_answered"] == 1
    assert card["recommendations"]["no_deadline_unanswered"] == 1
    assert card["recommendations"]["updated_last_12_months"] == 0  # its update is on the ministry's recommendation
    assert card["positions_by_pillar"]["prevent"]["supported"] == 1
    assert card["recommendations"]["median_days_to_answer"] == 50.0
    assert card["submissions"]["median_days_to_acknowledge"] is None  # nothing acknowledged: nothing to measure


def test_a_deadline_is_met_on_its_day_in_the_sites_time_zone(app, story, people):
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Karachi"  # UTC+5, no summer time
    ministry = people["reviewer"].institution_id
    deadline = {ministry: (story.day(10), story.day(5))}
    # 18:00 UTC is 23:00 in Karachi, on the day; 20:00 UTC is 01:00 there, the day after.
    story.submission([ministry], submitted=story.at(20), acknowledged={ministry: story.at(10, hour=18)},
                     deadlines=deadline)
    late = story.submission([ministry], submitted=story.at(20), acknowledged={ministry: story.at(10, hour=20)},
                            deadlines=deadline, items=[{}])
    story.answer(late["items"][0], ministry, "noted", story.at(5, hour=20))
    card = _card(app, None, ministry)
    assert card["submissions"]["acknowledged_on_time"] == 1 and card["submissions"]["acknowledged_late"] == 1
    assert card["submissions"]["median_days_to_acknowledge"] == 10.5  # 10 and 11 local days
    assert card["recommendations"]["answered_late"] == 1
    assert card["recommendations"]["median_days_to_answer"] == 16.0


def test_the_year_filter_counts_the_submissions_of_that_local_year(app, story, people):
    ministry = people["reviewer"].institution_id
    story.submission([ministry], submitted=datetime(2023, 6, 1, 7), items=[{}, {}])
    story.submission([ministry], submitted=datetime(2023, 12, 31, 20), items=[{}])  # 1 January 2024 in Karachi
    story.submission([ministry], submitted=datetime(2024, 3, 1, 7), items=[{}])
    card = _card(app, None, ministry)
    assert (card["first_year"], card["last_year"]) == (2023, 2024)
    assert _card(app, None, ministry, 2023)["submissions"]["received"] == 1
    assert _card(app, None, ministry, 2023)["recommendations"]["addressed"] == 2
    assert _card(app, None, ministry, 2024)["recommendations"]["addressed"] == 2
    assert _card(app, None, ministry, 2022)["submissions"]["received"] == 0
    assert _card(app, None, ministry, 2022)["recommendations"]["median_days_to_answer"] is None


def _page_figures(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {cell["data-figure"]: cell.get_text(strip=True) for cell in soup.select("[data-figure]")}


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("year", ["all", "latest", "this"])
def test_the_csv_holds_the_figures_the_page_shows(app, client, hand_built, story, year):
    """Every year, the latest (shown unless another is asked for) and one asked for."""
    ministry = hand_built["ministry"]
    query = {"all": {"year": "all"}, "latest": {}, "this": {"year": story.today.year}}[year]
    shown_year = {"all": None, "latest": story.day(2).year, "this": story.today.year}[year]
    page = client.get(f"/institutions/{ministry}", query_string=query)
    download = client.get(f"/institutions/{ministry}/scorecard.csv", query_string=query)
    assert page.status_code == 200 and download.status_code == 200
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    header, *rows = _csv_rows(download)
    assert header == ["Institution", "Year", "Figure", "Description", "Value"]
    from_csv = {row[2]: row[4] for row in rows}
    shown = _page_figures(page.get_data(as_text=True))
    assert set(shown) == set(from_csv) and len(rows) == len(from_csv)
    assert {key: value.replace(",", "").rstrip("%").replace("—", "") for key, value in shown.items()} == from_csv
    assert {row[1] for row in rows} == {str(shown_year) if shown_year else "All years"}
    card = _card(app, None, ministry, shown_year)
    assert from_csv["submissions.received"] == str(card["submissions"]["received"])
    assert from_csv["positions.prevent.supported"] == str(card["positions_by_pillar"]["prevent"]["supported"])
    if year == "all":
        assert from_csv["recommendations.median_days_to_answer"] == "50"
        assert from_csv["implementation.updated_share_percent"] == "40"
        assert from_csv["assessments.agrees"] == "1" and from_csv["assessments.none"] == "8"


def test_the_chart_is_drawn_on_the_server_without_inline_style_in_both_directions(app, client, hand_built):
    for language in ("en", "ur"):
        response = client.get(f"/institutions/{hand_built['ministry']}?year=all&lang={language}")
        html = response.get_data(as_text=True)
        soup = BeautifulSoup(html, "html.parser")
        assert response.status_code == 200
        assert not soup.select("[style]") and "<style" not in html and "<script" not in html
        assert soup.html["dir"] == ("rtl" if language == "ur" else "ltr")
        bars = soup.select("svg.stacked-bar")
        assert len(bars) == 4  # one per pillar
        prevent = bars[0].select("rect")
        assert [r["class"] for r in prevent] == [["seg-supported"]] and prevent[0]["width"] == "100.0"
        protect = bars[2].select("rect")
        assert [r["class"] for r in protect] == [["seg-partially"]] and protect[0]["width"] == "50.0"
        assert soup.select_one(".stacked")["aria-hidden"] == "true"  # the table beside it is what is read out
        assert soup.select_one("table.positions [data-figure='positions.prevent.supported']").get_text() == "2"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_a_missing_institution_is_a_404(client):
    assert client.get("/institutions/999999").status_code == 404
    assert client.get("/institutions/999999/scorecard.csv").status_code == 404


def test_the_list_gives_each_institution_its_last_12_months(app, client, hand_built, people, story):
    ministry = hand_built["ministry"]
    story.submission([ministry], submitted=story.at(400), acknowledged={ministry: story.at(399)},
                     deadlines={ministry: (story.day(390), story.day(300))})  # on time, but more than a year ago
    page = client.get("/institutions/").get_data(as_text=True)
    assert "Federal Investigation Agency" in page and f'href="/institutions/{ministry}"' in page
    assert "1 of 4 with a deadline" in page  # the ministry: the first on time, of four with a deadline
    with app.app_context():
        viewer = db.session.get(User, people["member"].id)
        found = queries.headlines(viewer, [hand_built["ministry"]])[hand_built["ministry"]]
    assert (found["received"], found["with_deadline"], found["acknowledged_on_time"]) == (6, 5, 2)


def test_institution_names_lead_to_their_scorecards(app, client, submitted, people):
    _declaration, submission = submitted
    institution = people["reviewer"].institution_id
    link = f'href="/institutions/{institution}"'
    assert link in client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert 'href="/institutions/"' in client.get("/").get_data(as_text=True)  # the footer's "Government scorecards"


def _cost(client, path) -> tuple[int, int]:
    tally = counting.start()
    try:
        assert client.get(path).status_code == 200
    finally:
        counting.stop()
    return tally.queries, tally.rows


def _more_history(story, ministry, count):
    """`count` more submissions like the first one, each with nine recommendations: six answered (on time, in the
    pillars and positions the first set has) and assessed, three overdue."""
    positions = {"prevent": "supported", "pursue": "not_supported", "protect": "partially"}
    for _n in range(count):
        more = story.submission([ministry], submitted=story.at(100), acknowledged={ministry: story.at(90)},
                                deadlines={ministry: (story.day(86), story.day(10))},
                                items=[{"pillar": pillar} for pillar in positions] * 3)
        for item, pillar in zip(more["items"][:6], list(positions) * 2, strict=True):
            story.answer(item, ministry, positions[pillar], story.at(50))
            story.assess(item, "limited")


def test_the_page_costs_the_same_however_much_history_there_is(app, client, hand_built, story):
    """Statements and rows fetched, counted as bench/growth.py counts them, once the overdue list is full (as
    the growth benchmark compares its two largest sizes), then with three times the history."""
    counting.install()
    ministry = hand_built["ministry"]
    paths = [f"/institutions/{ministry}?year=all", f"/institutions/{ministry}/scorecard.csv?year=all",
             f"/institutions/{ministry}", "/institutions/"]
    _more_history(story, ministry, 4)
    before = [_cost(client, path) for path in paths]
    _more_history(story, ministry, 8)
    after = [_cost(client, path) for path in paths]
    assert after == before, (before, after)
    card = _card(app, None, ministry)
    assert card["recommendations"]["addressed"] == 11 + 12 * 9
    assert len(card["overdue_items"]) == queries.OVERDUE_LISTED
    assert card["recommendations"]["unanswered_deadline_passed"] == 2 + 12 * 3


def test_the_page_shows_the_latest_year_unless_asked_for_another_or_every_year(app, client, story, people):
    ministry = people["reviewer"].institution_id
    story.submission([ministry], submitted=datetime(2023, 6, 1, 7), items=[{}, {}])
    story.submission([ministry], submitted=datetime(2024, 3, 1, 7), items=[{}])
    story.submission([ministry], submitted=datetime(2024, 9, 1, 7), visibility="members", items=[{}])

    def received(query: str) -> str:
        return _page_figures(client.get(f"/institutions/{ministry}{query}").get_data(as_text=True))[
            "submissions.received"]
    assert received("") == "1" and received("?year=2024") == "1" and received("?year=2023") == "1"
    assert received("?year=all") == "2" and received("?year=2025") == "0"
    assert received("?year=abc") == "1" and received("?year=1850") == "1"  # nothing sensible: the latest year
    said = client.get(f"/institutions/{ministry}?year=abc").get_data(as_text=True)
    assert "“abc” is not a year from 1900 to 2999: these are the figures of the latest year." in said
    assert "is not a year" not in client.get(f"/institutions/{ministry}?year=2023").get_data(as_text=True)
    login(client, people["member"].email)
    assert received("") == "2" and received("?year=all") == "3"


def test_a_logged_in_member_is_told_what_is_counted(app, client, hand_built, people):
    assert "public declarations only" in client.get(f"/institutions/{hand_built['ministry']}").get_data(as_text=True)
    login(client, people["member"].email)
    page = client.get(f"/institutions/{hand_built['ministry']}?year=all").get_data(as_text=True)
    assert "Counted from the submissions you may see." in page
    assert _page_figures(page)["submissions.received"] == "6"


def _steps(app, client, path) -> int:
    """SQLite's virtual-machine instructions (thousands) the request ran: the database's own work."""
    with app.app_context():
        db.engine.dispose()  # new connections, with bench.counting's progress handler
    tally = counting.start()
    try:
        assert client.get(path).status_code == 200
    finally:
        counting.stop()
    return tally.steps


def test_a_years_figures_cost_that_years_data_whatever_the_other_years_hold(app, client, story, people):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite counts its own steps; PostgreSQL has no such counter")
    counting.install()
    ministry = people["reviewer"].institution_id

    def year(submitted, count):
        for _n in range(count):
            made = story.submission([ministry], submitted=submitted, acknowledged={ministry: submitted},
                                    deadlines={ministry: (submitted.date(), submitted.date())},
                                    items=[{"pillar": "protect"}] * 20)
            for item in made["items"][:10]:
                story.answer(item, ministry, "noted", submitted)
    year(datetime(2024, 5, 1, 7), 2)
    year(datetime(2023, 5, 1, 7), 2)
    one_year, every_year = (_steps(app, client, f"/institutions/{ministry}?year={y}") for y in ("2024", "all"))
    year(datetime(2023, 6, 1, 7), 20)  # ten times the history, in another year
    assert _steps(app, client, f"/institutions/{ministry}?year=2024") <= one_year + 5
    assert _steps(app, client, f"/institutions/{ministry}?year=all") > 3 * every_year  # what every year costs
