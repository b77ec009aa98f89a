"""Importing the years before Sanad from a CSV: a preview that shows each row's result and refuses bad rows with
the line of the file and the reason, importing nothing then; a confirmation that imports everything in one
transaction, or nothing; UTF-8 with or without a byte-order mark, commas or semicolons, quoted line breaks; Urdu
kept exactly; limits; the template; coordinators only."""
import base64
import hashlib
import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.institutions.models import Institution
from app.lines import importing
from app.lines.models import EarlierAnswer, EarlierDeclaration, EarlierRecommendation, RecommendationLine
from tests.helpers import login
from tests.lines.conftest import EARLIER_ROWS, HEADER, confirm_fields, csv_of, import_csv, institution_acronym, preview

URDU = "ہر صوبے میں متاثرین کے لیے پناہ گاہیں کھولی جائیں، اور وہاں\u200cکی نگرانی ہو۔"


def _counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (EarlierDeclaration, EarlierRecommendation, EarlierAnswer, RecommendationLine))


@pytest.fixture
def coordinator(client, people):
    login(client, people["coordinator"].email)
    return client


@pytest.fixture
def inst(app, people):
    return institution_acronym(app, people["reviewer"].institution_id)


def test_a_good_file_is_previewed_row_by_row_then_imported_whole(app, coordinator, inst):
    text = csv_of(HEADER, EARLIER_ROWS, inst=inst, join="units")
    shown = preview(coordinator, text, "alliance-records.csv")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Every row can be imported." in html
    assert "2 declarations" in html and "4 recommendations" in html and "3 answers" in html and "in 2 lines" in html
    assert html.count("<tr") == 5  # the header and one row each, with its result
    assert "Recommendation 4 of 2023, in the line “units”." in html
    assert _counts(app) == (0, 0, 0, 0)  # a preview writes nothing
    done = coordinator.post("/lines/import/confirm", data=confirm_fields(html), content_type="multipart/form-data")
    assert done.status_code == 303
    assert _counts(app) == (2, 4, 3, 2)
    page = coordinator.get("/lines/import").get_data(as_text=True)
    assert "Imported: 2 declarations, 4 recommendations, 3 answers." in page and "alliance-records.csv" in page
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "earlier_declaration_imported")
                                     .order_by(AuditEntry.id)).all()
        assert [e.details["year"] for e in entries] == [2022, 2023]
        assert {e.details["sha256"] for e in entries} == {hashlib.sha256(text.encode()).hexdigest()}
        units = {r.number: r for r in db.session.scalars(select(EarlierRecommendation))}
        assert units[1].line_id == units[4].line_id != units[2].line_id == units[5].line_id
        assert units[1].assessment == "no_evidence" and units[5].assessment == "limited"
        assert units[2].language == "ur" and units[2].themes == ["victims"] and units[1].pillar == "pursue"
        answer = db.session.scalar(select(EarlierAnswer).where(EarlierAnswer.recommendation_id == units[2].id))
        assert answer.position == "not_supported" and answer.explanation == "Provinces decide."
        assert answer.answered_on.isoformat() == "2023-01-15"


BAD = [  # (what is wrong, the row's cells changed from a good row, a phrase of the reason)
    ("unknown institution", {"institution": "MoJ"}, "Unknown institution “MoJ”"),
    ("bad position", {"position": "agreed"}, "“agreed” is not one of the keys of “position”"),
    ("missing text", {"text": "", "number": "7"}, "The “text” is missing."),
    ("bad date", {"answered_on": "31/02/2023"}, "is not a valid date"),
    ("date in the future", {"answered_on": "2999-01-01"}, "is not a valid date"),
    ("wrong theme key", {"themes": "trafficking;slavery", "number": "8"},
     "“slavery” is not one of the keys of “themes”"),
    ("wrong pillar", {"pillar": "punish", "number": "9"}, "“punish” is not one of the keys of “pillar”"),
    ("wrong assessment", {"assessment": "partly", "number": "10"}, "“partly” is not one of the keys of “assessment”"),
    ("bad year", {"year": "22"}, "is not a valid year"),
    ("bad number", {"number": "one"}, "is not a valid number"),
    ("answer without a position", {"position": "", "number": "11"}, "needs both an “institution” and a “position”"),
    ("no such line", {"line": "line:99999", "number": "12"}, "There is no line 99999 to join."),
    ("no such recommendation", {"line": "recommendation:99999", "number": "13"}, "no recommendation 99999 in Sanad"),
    ("a join past any id", {"line": "recommendation:99999999999999", "number": "13"},
     "no recommendation 99999999999999 in Sanad"),
    ("a join without its number", {"line": "line:abc", "number": "13"}, "“line:abc” is not a line to join"),
    ("a join of too many digits", {"line": "recommendation:99999999999999999999", "number": "13"},
     "is not a line to join"),
    ("text too long", {"text": "x" * 5001, "number": "14"}, "5,001 characters long; the limit is 5,000"),
]


def _row(inst, **changes) -> list[str]:
    good = dict(zip(HEADER, ["2021", "Declaration 2021", "2021-11-30", "1", "A recommendation.", "en", "pursue",
                             "trafficking", inst, "noted", "", "2022-01-10", "", ""], strict=True))
    return [changes.get(name, good[name]) for name in HEADER]


@pytest.mark.parametrize("kind, changes, reason", BAD, ids=[b[0] for b in BAD])
def test_each_kind_of_bad_row_is_refused_with_its_line_and_reason_and_nothing_is_imported(
        app, coordinator, inst, kind, changes, reason):
    # line 2 and 3: a good recommendation whose text has a line break (quoted), so the bad row starts on line 4
    rows = [_row(inst, text="A good recommendation,\nover two lines.", number="1"), _row(inst, **changes)]
    if kind == "bad date":
        rows[1][HEADER.index("number")] = "2"
    shown = preview(coordinator, csv_of(HEADER, rows))
    html = shown.get_data(as_text=True)
    assert shown.status_code == 422 and "/lines/import/confirm" not in html
    assert "1 row is refused." in html and "Nothing will be imported" in html
    refused = re.findall(r'<tr class="row-refused">\s*<td data-label="Line">(\d+)</td>(.*?)</tr>', html, re.S)
    assert [line for line, _cells in refused] == ["4"], refused
    assert reason in refused[0][1].replace("&#34;", '"').replace("&#39;", "'"), refused[0][1][:500]
    forced = coordinator.post("/lines/import/confirm", data={
        "content": base64.b64encode(csv_of(HEADER, rows).encode()).decode(),
        "sha256": hashlib.sha256(csv_of(HEADER, rows).encode()).hexdigest(), "filename": "x.csv"})
    assert forced.status_code == 422 and "nothing was imported" in forced.get_data(as_text=True)
    assert _counts(app) == (0, 0, 0, 0)


def test_rows_that_do_not_fit_together_are_refused_with_their_lines(app, coordinator, inst):
    rows = [_row(inst, line="witnesses"),
            _row(inst, institution=inst),  # line 3: the same institution answers recommendation 1 again
            _row(inst, number="2", declaration_title="Another title"),  # line 4: a second declaration in 2021
            _row(inst, number="3", line="witnesses"),  # line 5: two recommendations of 2021 in one line
            _row(inst, text="Other words.", institution="", position="")]  # line 6: recommendation 1 differs
    html = preview(coordinator, csv_of(HEADER, rows)).get_data(as_text=True)
    refused = dict(re.findall(r'<tr class="row-refused">\s*<td data-label="Line">(\d+)</td>(.*?)</tr>', html, re.S))
    assert sorted(refused) == ["3", "4", "5", "6"]
    assert "Duplicate" in refused["3"] and "one declaration a year per file" in refused["4"]
    assert "a line takes one recommendation a year" in refused["5"] and "differs from line 2" in refused["6"]


def test_a_file_with_a_bad_header_is_refused_whole(coordinator, inst):
    html = preview(coordinator, "year,declaration_title,number,txt,institution\n2021,A,1,B,C\n").get_data(as_text=True)
    assert "Line 1: Unknown column “txt”" in html and "Line 1: The column “text” is missing." in html


def test_a_declaration_already_imported_is_refused_as_a_duplicate(app, coordinator, inst):
    text = csv_of(HEADER, EARLIER_ROWS, inst=inst, join="")
    assert import_csv(coordinator, text, "first.csv").status_code == 303
    again = preview(coordinator, text, "again.csv")
    html = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "was already imported (first.csv): importing it again would duplicate it" in html
    assert _counts(app)[0] == 2


def test_nothing_is_half_imported_when_a_year_is_imported_meanwhile(app, coordinator, people, inst):
    text = csv_of(HEADER, EARLIER_ROWS, inst=inst, join="units")
    fields = confirm_fields(preview(coordinator, text).get_data(as_text=True))
    with app.app_context():  # another coordinator imports 2023 between this preview and its confirmation
        db.session.add(EarlierDeclaration(year=2023, title="Declaration 2023", imported_by_id=people["coordinator"].id))
        db.session.commit()
    done = coordinator.post("/lines/import/confirm", data=fields, content_type="multipart/form-data")
    assert done.status_code == 422 and "nothing was imported" in done.get_data(as_text=True)
    assert _counts(app) == (1, 0, 0, 0)  # 2022 was not imported either


def test_a_confirmation_must_carry_the_file_the_preview_showed(app, coordinator, inst):
    text = csv_of(HEADER, EARLIER_ROWS, inst=inst, join="units")
    fields = confirm_fields(preview(coordinator, text).get_data(as_text=True))
    other = base64.b64encode(text.replace("every", "each").encode()).decode()
    changed = coordinator.post("/lines/import/confirm", data={**fields, "content": other})
    assert changed.status_code == 422 and "not the one the preview showed" in changed.get_data(as_text=True)
    damaged = coordinator.post("/lines/import/confirm", data={**fields, "content": "not base64!"})
    assert damaged.status_code == 422 and "damaged" in damaged.get_data(as_text=True)
    assert coordinator.post("/lines/import/confirm", data={}).status_code == 422
    assert _counts(app) == (0, 0, 0, 0)


def test_urdu_a_byte_order_mark_semicolons_and_quoted_line_breaks_come_through_exactly(app, coordinator, inst):
    rows = [["2020", "اعلامیہ ۲۰۲۰", "", "3", URDU + "\r\nدوسری سطر۔", "", "protect", "victims", inst, "partially",
             "صوبوں سے مشاورت جاری ہے۔", "", "", ""]]
    data = ("\ufeff" + csv_of(HEADER, rows, delimiter=";")).encode("utf-8")
    assert import_csv(coordinator, data, "excel.csv").status_code == 303
    with app.app_context():
        recommendation = db.session.scalar(select(EarlierRecommendation))
        assert recommendation.text == URDU + "\nدوسری سطر۔" and recommendation.language == "ur"
        assert recommendation.declaration.title == "اعلامیہ ۲۰۲۰"
        assert db.session.scalar(select(EarlierAnswer.explanation)) == "صوبوں سے مشاورت جاری ہے۔"


def test_a_file_not_in_utf8_is_refused_with_what_to_do(coordinator, inst):
    data = csv_of(HEADER, [_row(inst, text="Café and naïve")]).encode("cp1252")
    html = preview(coordinator, data).get_data(as_text=True)
    assert "Line 2: The file is not in UTF-8." in html and "CSV UTF-8" in html


def test_files_over_the_limits_are_refused_with_a_clear_message(app, coordinator, inst, monkeypatch):
    rows = [_row(inst, number=str(n), institution="", position="") for n in range(1, 5002)]
    many = preview(coordinator, csv_of(HEADER, rows)).get_data(as_text=True)
    assert "The file has more than 5,000 rows; import it in parts." in many
    monkeypatch.setattr(importing, "MAX_BYTES", 1000)
    big = preview(coordinator, csv_of(HEADER, rows[:40])).get_data(as_text=True)
    assert "larger than the limit of 1,000 bytes" in big
    assert _counts(app) == (0, 0, 0, 0)


def test_a_row_can_join_an_existing_line(app, coordinator, inst):
    assert import_csv(coordinator, csv_of(HEADER, EARLIER_ROWS, inst=inst, join="units")).status_code == 303
    with app.app_context():
        line_id = db.session.scalar(select(EarlierRecommendation.line_id).where(EarlierRecommendation.number == 4))
    row = _row(inst, year="2021", line=f"line:{line_id}")
    assert import_csv(coordinator, csv_of(HEADER, [row])).status_code == 303
    with app.app_context():
        joined = db.session.scalar(select(EarlierRecommendation).join(EarlierDeclaration)
                                   .where(EarlierDeclaration.year == 2021))
        assert joined.line_id == line_id
    assert "Asked since 2021 (3 declarations)" in coordinator.get(f"/lines/{line_id}").get_data(as_text=True)


def test_the_template_downloads_and_imports_as_it_is(app, coordinator):
    with app.app_context():
        db.session.add(Institution(name="Federal Investigation Agency", acronym="FIA"))
        db.session.commit()
    template = coordinator.get("/lines/import/template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert "attachment" in template.headers["Content-Disposition"]
    data = template.get_data()
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").split("\r\n")[0] == ",".join(importing.COLUMNS)
    assert import_csv(coordinator, data, "template.csv").status_code == 303
    assert _counts(app) == (1, 2, 3, 2)  # two institutions answered the first recommendation, one the second


def test_the_import_is_the_coordinators(app, client, people, inst):
    for role in ("member", "representative", "reviewer", "admin"):
        login(client, people[role].email)
        assert client.get("/lines/import").status_code == 403, role
        assert client.get("/lines/import/template.csv").status_code == 403
        assert preview(client, csv_of(HEADER, EARLIER_ROWS, inst=inst, join="")).status_code == 403
        assert client.post("/lines/import/confirm", data={"content": "eA==", "sha256": "x"}).status_code == 403
        client.post("/logout")
    assert client.get("/lines/import").status_code == 302
    assert _counts(app) == (0, 0, 0, 0)
