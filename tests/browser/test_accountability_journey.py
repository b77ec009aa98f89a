"""Accountability over the years, end to end in a browser: a coordinator imports two earlier years from a CSV,
carries three of their recommendations into this year's declaration, submits it with deadlines; the deadlines
pass; the reviewer acknowledges late and answers one recommendation "noted" (refused without a reason, then given
one); the other two stay unanswered and the dossier says so; a visitor reads the institution's scorecard and each
recommendation's line, and the API and the Atom feed say the same as the pages. In English with JavaScript and in
Urdu without."""
import csv
import io
import json
import urllib.request
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.declarations import services as declarations
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.institutions.models import Institution
from app.submissions.models import RecipientDeadline, Submission
from app.time import local_date, utcnow
from tests.browser.test_consultation_journey import log_in, log_out

pytestmark = pytest.mark.browser

REASON = "The provinces must agree first; the Ministry will consult them in the spring."
COLUMNS = "year,declaration_title,submitted_on,number,text,pillar,institution,position,explanation,assessment,line"
ROWS = [  # (year, number, text, pillar, position, explanation, assessment, line)
    (2022, 1, "Create specialised prosecution units in every province.", "pursue", "noted",
     "The Ministry noted it without a plan.", "no_evidence", "units"),
    (2022, 2, "Open shelters in every province.", "protect", "noted", "Shelters are a provincial subject.",
     "not_started", "shelters"),
    (2022, 3, "Publish asset declarations.", "prevent", "partially", "Only for federal officers.", "limited", "assets"),
    (2023, 1, "Create specialised prosecution units in all provinces.", "pursue", "noted",
     "Noted again; no budget was allocated.", "no_evidence", "units"),
    (2023, 2, "Open shelters for survivors in every province.", "protect", "noted",
     "Still a provincial subject for the Ministry.", "not_started", "shelters"),
    (2023, 3, "Publish the asset declarations of officials.", "prevent", "partially",
     "Federal officers' declarations are published.", "limited", "assets"),
]


def _earlier_years(acronym: str) -> str:
    """The alliance's 2022 and 2023 as the import's CSV template has them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS.split(","))
    for year, number, text, pillar, position, explanation, assessment, line in ROWS:
        writer.writerow([year, f"Declaration of {year}", f"{year}-09-01", number, text, pillar, acronym, position,
                         explanation, assessment, line])
    return out.getvalue()


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_what_the_government_did_with_what_the_alliance_asked_since_2022(live_server, browser, screenshot, people,
                                                                          make_declaration, tmp_path, language,
                                                                          javascript):
    app, base = live_server
    declaration = make_declaration("drafting", visibility="public", title="Declaration of this year")
    recommendations = declaration.recommendations
    with app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
        institution = db.session.get(Institution, people["reviewer"].institution_id)
        institution_id, acronym = institution.id, institution.acronym or institution.name
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-accountability-{name}")  # noqa: E731
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")

    # The coordinator imports 2022 and 2023: a preview first, then the rows.
    log_in(page, base, people["coordinator"].email, app)
    csv_path = tmp_path / "earlier-years.csv"
    csv_path.write_text(_earlier_years(acronym), encoding="utf-8")
    page.goto(base + "/lines/import")
    page.set_input_files("input[name=csv_file]", str(csv_path))
    page.click("form[action$='/lines/import'] button[type=submit]")
    assert page.locator("tr.row-refused").count() == 0
    shot("01-import-preview")
    page.click("form[action$='/lines/import/confirm'] button[type=submit]")

    # Then carries each of this year's three recommendations forward from 2023's of the same number.
    for number, recommendation_id in enumerate(recommendations, start=1):
        page.goto(f"{base}/lines/carry/{recommendation_id}?year=2023&number={number}")
        page.click(f"form[action$='/lines/carry/{recommendation_id}'] button[type=submit]")
    shot("02-carried")
    with app.app_context():
        lines = [db.session.get(Recommendation, r).line_id for r in recommendations]
        assert None not in lines and len(set(lines)) == 3
        coordinator = db.session.get(User, people["coordinator"].id)
        drafted = db.session.get(Declaration, declaration.id)
        declarations.change_phase(coordinator, drafted, "consultation", deadline=utcnow() + timedelta(days=7))
        declarations.change_phase(coordinator, drafted, "revision")
        declarations.change_phase(coordinator, drafted, "signon")
        db.session.commit()
    log_out(page)
    log_in(page, base, people["representative"].email, app)
    page.goto(f"{base}/declarations/{declaration.id}/sign")
    page.click("form.sign-form button[type=submit]")
    log_out(page)

    # The coordinator closes sign-on and submits with the institution's two dates.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(f"{base}/declarations/{declaration.id}/signon")
    page.click(f"form[action$='/declarations/{declaration.id}/close-signon'] button")
    with app.app_context():
        today = local_date(utcnow())
    page.fill(f"input[name=acknowledge_by_{institution_id}]", (today + timedelta(days=3)).isoformat())
    page.fill(f"input[name=answer_by_{institution_id}]", (today + timedelta(days=30)).isoformat())
    shot("03-submit-with-deadlines")
    page.click("form.wide-form button[type=submit]")
    with app.app_context():
        submission_id = db.session.scalar(select(Submission.id).where(Submission.declaration_id == declaration.id))
        deadline = db.session.get(RecipientDeadline, (submission_id, institution_id))
        assert (deadline.acknowledge_by, deadline.answer_by) == (today + timedelta(days=3), today + timedelta(days=30))
        # Time passes: both dates are behind us (the acknowledgement ten days ago, the answers three).
        deadline.acknowledge_by, deadline.answer_by = today - timedelta(days=10), today - timedelta(days=3)
        db.session.commit()
    log_out(page)

    # The reviewer acknowledges late and answers the first "noted": refused without a reason, then with one.
    log_in(page, base, people["reviewer"].email, app)
    page.goto(f"{base}/submissions/{submission_id}")
    page.click(f"form[action$='/submissions/{submission_id}/acknowledge'] button")
    first = recommendations[0]
    page.goto(f"{base}/submissions/{submission_id}/recommendations/{first}/answer")
    page.check("input[name=position][value=noted]")
    page.fill("textarea[name=explanation]", "Noted.")
    page.click("form.wide-form button[type=submit]")
    assert page.locator("#explanation-error, .field-error").count() >= 1
    assert page.locator("textarea[name=explanation]").input_value() == "Noted."  # the text is kept
    shot("04-noted-refused")
    page.fill("textarea[name=explanation]", REASON)
    page.click("form.wide-form button[type=submit]")
    page.goto(f"{base}/submissions/{submission_id}/publish")
    page.click(f"form[action$='/submissions/{submission_id}/publish'] button[type=submit]")
    log_out(page)

    # A visitor: the dossier shows the silence on the other two, the scorecard counts it all.
    page.goto(f"{base}/submissions/{submission_id}")
    assert page.locator("p.silence").count() >= 2
    shot("05-dossier-silence")
    page.goto(f"{base}/institutions/{institution_id}?year={today.year}")
    figures = {cell.get_attribute("data-figure"): cell.inner_text().strip()
               for cell in page.locator("[data-figure]").all()}
    assert figures["submissions.acknowledged_late"] == "1"
    assert figures["recommendations.answered_late"] == "1"
    assert figures["recommendations.unanswered_deadline_passed"] == "2"
    shot("06-scorecard")
    card = _get_json(f"{base}/api/v1/institutions/{institution_id}/scorecard?year={today.year}")["data"]
    assert card["submissions"]["acknowledged_late"] == 1 and card["recommendations"]["answered_late"] == 1
    assert card["recommendations"]["unanswered_deadline_passed"] == 2

    # Each recommendation's line: asked since 2022, three declarations, the Ministry's positions each time.
    for number, (recommendation_id, line_id) in enumerate(zip(recommendations, lines, strict=True), start=1):
        page.goto(f"{base}/recommendations/{recommendation_id}")
        page.click(f"a[href$='/lines/{line_id}']")
        assert page.url.endswith(f"/lines/{line_id}")
        assert page.locator(".badge-imported").count() >= 2  # 2022 and 2023, from the alliance's records
        if number == 1:
            assert page.get_by_text(REASON).count() >= 1
            shot("07-line")
        api_line = _get_json(f"{base}/api/v1/lines/{line_id}")["data"]
        assert len(api_line["entries"]) == 3
        assert [e["year"] for e in api_line["entries"]][:2] == [2022, 2023]

    # The feed of answers carries the published "noted" with its reason.
    with urllib.request.urlopen(f"{base}/feeds/answers.atom?institution={institution_id}", timeout=30) as response:
        feed = ET.fromstring(response.read())
    atom = "{http://www.w3.org/2005/Atom}"
    contents = " ".join("".join(entry.itertext()) for entry in feed.iter(f"{atom}entry"))
    assert REASON in contents
    context.close()
