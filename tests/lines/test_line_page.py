"""A line's page: each year's text in order with what changed, each institution's position each time, the
implementation updates and the alliance's assessments; imported years labelled as the alliance's own records;
what the reader may not see left out, and 404 when they may see nothing of it."""
import re

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.declarations.models import Recommendation
from app.extensions import db
from app.lines import record
from app.lines.models import EarlierRecommendation, RecommendationLine
from tests.helpers import login
from tests.lines.conftest import csv_of, import_csv


def _years(html: str) -> list[int]:
    return [int(y) for y in re.findall(r'<span class="line-year">(\d{4})</span>', html)]


def test_a_line_shows_each_year_in_order_with_its_changes_positions_and_assessments(app, client, earlier):
    declaration, line_id = earlier
    response = client.get(f"/lines/{line_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    years = _years(html)
    assert years[:2] == [2022, 2023] and len(years) == 3 and years[2] >= 2026
    assert "Asked since 2022 (3 declarations)" in html
    assert "Create specialised prosecution units in every province." in html  # 2022, as imported
    # 2023 against 2022, word by word: "every" gave way to "all"
    assert "<del>every</del><ins>all</ins>" in html
    assert "What changed since 2022:" in html and "What changed since 2023:" in html
    assert html.count("Imported from the alliance's records") == 2 and "Not a signed dossier" in html
    # each institution's position each time: noted (2022), noted (2023), noted (the submitted one)
    table = re.search(r'<table class="positions-over-time">.*?</table>', html, re.S).group(0)
    assert table.count("position-noted") == 3
    assert "The units need a budget first." in html and "We will study it." in html
    assert "A circular went to the provinces." in html  # the government's update
    assert "assessment-no_evidence" in html and "assessment-not_started" in html and "assessment-limited" in html
    assert f'/recommendations/{declaration.recommendations[0]}"' in html


def test_a_text_is_compared_with_the_nearest_year_in_its_own_language(app, client, earlier):
    _declaration, units = earlier
    with app.app_context():
        shelters = db.session.scalar(select(EarlierRecommendation.line_id).where(EarlierRecommendation.number == 5))
    html = client.get(f"/lines/{shelters}").get_data(as_text=True)
    assert "Asked since 2022 (2 declarations)" in html
    assert "ہر صوبے میں متاثرین کے لیے پناہ گاہیں کھولی جائیں۔" in html  # the Urdu kept as imported
    assert "<ins> متاثرین کے لیے</ins>" in html and 'lang="ur"' in html
    assert "assessment-limited" in html and "No position on record." in html


def test_a_visitor_sees_public_and_imported_entries_but_not_a_members_only_one(app, client, people, draft_carrying):
    draft, line_id = draft_carrying
    visitor = client.get(f"/lines/{line_id}").get_data(as_text=True)
    assert "Declaration on prosecution 2027" not in visitor and "Asked since 2022 (3 declarations)" in visitor
    login(client, people["member"].email)
    member = client.get(f"/lines/{line_id}").get_data(as_text=True)
    assert "Declaration on prosecution 2027" in member and "Asked since 2022 (4 declarations)" in member
    assert "not submitted yet" in member and f"#r{draft.recommendations[0]}" in member


def test_a_draft_entry_is_seen_only_by_those_who_may_edit_it(app, client, people, make_declaration, earlier):
    declaration, line_id = earlier
    draft = make_declaration("drafting", title="A draft still being written")
    login(client, people["coordinator"].email)
    client.post(f"/lines/carry/{draft.recommendations[1]}", data={"kind": "sanad",
                                                                 "source_id": declaration.recommendations[0]})
    assert "A draft still being written" in client.get(f"/lines/{line_id}").get_data(as_text=True)
    client.post("/logout")
    login(client, people["member"].email)
    assert "A draft still being written" not in client.get(f"/lines/{line_id}").get_data(as_text=True)


def test_a_line_nobody_may_see_answers_404(app, client, people, make_declaration):
    draft = make_declaration("drafting")
    with app.app_context():
        line = RecommendationLine(created_by_id=people["coordinator"].id)
        db.session.add(line)
        db.session.flush()
        db.session.get(Recommendation, draft.recommendations[0]).line_id = line.id
        db.session.commit()
        line_id = line.id
    assert client.get(f"/lines/{line_id}").status_code == 404  # a visitor: only a draft in it
    assert client.get("/lines/999999").status_code == 404
    login(client, people["member"].email)
    assert client.get(f"/lines/{line_id}").status_code == 404
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert client.get(f"/lines/{line_id}").status_code == 200


def test_a_long_line_is_capped_and_says_so(app, client, people, earlier, monkeypatch):
    _declaration, line_id = earlier
    monkeypatch.setattr(record, "LINE_ENTRIES", 2)
    html = client.get(f"/lines/{line_id}").get_data(as_text=True)
    assert _years(html)[0] == 2023 and len(_years(html)) == 2
    assert "The latest 2 entries are shown; 1 earlier entry is left out." in html
    assert "Asked since 2022 (3 declarations)" in html



def test_each_entry_carries_its_classification_as_imported_or_submitted(app, client, people, earlier):
    """What the line page can show of each year's classification (app/choices.py's keys)."""
    _declaration, line_id = earlier
    login(client, people["coordinator"].email)
    header = ["year", "declaration_title", "number", "text", "untoc", "sdg_targets", "groups", "line"]
    rows = [["2021", "Declaration 2021", "1", "Units, again.", "tip-5;untoc-24", "16.3", "children", f"line:{line_id}"]]
    assert import_csv(client, csv_of(header, rows)).status_code == 303
    with app.test_request_context():
        entries = record.entries_of(AnonymousUserMixin(), [line_id], 10)[line_id]
    assert [(e.year, e.untoc, e.sdg_targets, e.groups) for e in entries][0] == (2021, ["tip-5", "untoc-24"], ["16.3"],
                                                                               ["children"])
    assert [e.untoc for e in entries[1:]] == [[], [], []]
