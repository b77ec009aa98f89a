"""A coordinator submits → the reviewer acknowledges, drafts answers, publishes and reports progress → the
coordinator publishes the alliance's assessment → a visitor sees all three on the public recommendation page and
in the filtered tracker; the PDF carries the hash and a recommendation; the verify page confirms the JSON.
In both languages (English with JavaScript, Urdu without)."""
import subprocess

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.responses.models import Answer
from app.submissions.models import Submission
from tests.browser.test_consultation_journey import log_in, log_out

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_from_submission_to_published_answers(live_server, browser, screenshot, people, make_declaration, tmp_path,
                                              language, javascript):
    app, base = live_server
    declaration = make_declaration("signon", visibility="public")
    first, second, _third = declaration.recommendations
    with app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-submission-{name}")  # noqa: E731
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
    read_url = f"{base}/declarations/{declaration.id}"

    # The coordinator closes sign-on and submits to the ministry the recommendations are addressed to.
    log_in(page, base, people["representative"].email, app)
    page.goto(read_url + "/sign")
    page.click("form.sign-form button[type=submit]")
    log_out(page)
    log_in(page, base, people["coordinator"].email, app)
    page.goto(read_url)
    page.click(f"a[href$='/declarations/{declaration.id}/submit']")
    # Closing sign-on goes through its page, which shows the version, the deadline and what follows.
    page.click(f"a[href$='/declarations/{declaration.id}/signon']")
    assert page.locator("code.hash").count() == 1
    shot("00-close-signon")
    page.click(f"form[action$='/declarations/{declaration.id}/close-signon'] button")
    assert page.url.endswith(f"/declarations/{declaration.id}/submit")
    recipient = page.locator(f"input[name=recipients][value='{people['reviewer'].institution_id}']")
    assert recipient.is_checked()  # the addressee is ticked already
    shot("01-submit")
    page.click("form.wide-form button[type=submit]")
    with app.app_context():
        submission = db.session.scalar(select(Submission).where(Submission.declaration_id == declaration.id))
        sha256, submission_id = submission.sha256, submission.id
    assert sha256 in page.locator(".cover-hash").inner_text()
    shot("02-dossier")
    log_out(page)

    # The reviewer finds it on the home page, acknowledges, drafts two answers and publishes them.
    log_in(page, base, people["reviewer"].email, app)
    page.goto(base + "/")
    page.click(f"section.work a[href$='/submissions/{submission_id}']")
    page.click(f"form[action$='/submissions/{submission_id}/acknowledge'] button")
    page.click(f"a[href$='/submissions/{submission_id}/recommendations/{first}/answer']")
    page.check("input[name=position][value=supported]")
    page.fill("textarea[name=explanation]", "Units will open in Lahore and Karachi.")
    page.fill("input[name=target_date]", "2027-06-30")
    shot("03-answer")
    page.click("form.wide-form button[type=submit]")
    page.click(f"a[href$='/submissions/{submission_id}/recommendations/{second}/answer']")
    page.check("input[name=position][value=noted]")
    page.click("form.wide-form button[type=submit]")  # "Noted" without a reason is refused, the form kept
    assert page.locator("#explanation-error").count() == 1
    page.fill("textarea[name=explanation]", "Shelters are funded by the provinces, not the Ministry.")
    page.click("form.wide-form button[type=submit]")
    with app.app_context():
        assert db.session.scalars(select(Answer.published_at)).all() == [None, None]
    shot("04-workspace")
    page.click(f"a[href$='/submissions/{submission_id}/publish']")  # the confirmation page lists both drafts
    assert page.locator("input[name=publish_answer]:checked").count() == 2
    shot("05-publish")
    page.click(f"form[action$='/submissions/{submission_id}/publish'] button[type=submit]")
    with app.app_context():
        assert None not in db.session.scalars(select(Answer.published_at)).all()

    # Then reports progress on the first one.
    page.click(f"#r{first} a[href$='/recommendations/{first}/update']")
    page.check("input[name=status][value=in_progress]")
    page.fill("textarea[name=evidence]", "Notification 12/2026 issued to the provinces.")
    page.click("form.wide-form button[type=submit]")
    assert page.get_by_text("Notification 12/2026 issued to the provinces.").count() == 1

    # The dossier's PDF carries the hash and a recommendation; its JSON is kept for the check below.
    page.goto(f"{base}/submissions/{submission_id}")
    with page.expect_download() as pdf:
        page.click(f"a[href$='/submissions/{submission_id}/dossier.pdf']")
    pdf_path = tmp_path / "dossier.pdf"
    pdf.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert sha256 in text and "Create specialised prosecution units." in text
    with page.expect_download() as dossier_json:
        page.click(f"a[href$='/submissions/{submission_id}/dossier.json']")
    json_path = tmp_path / "dossier.json"
    dossier_json.value.save_as(json_path)
    log_out(page)

    # The coordinator publishes the alliance's own assessment beside the government's answer.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(f"{base}/recommendations/{first}")
    page.click(f"a[href$='/submissions/{submission_id}/recommendations/{first}/assessment']")
    page.check("input[name=rating][value=limited]")
    page.fill("textarea[name=notes]", "Only Lahore has a unit so far.")
    page.click("form.wide-form button[type=submit]")
    log_out(page)

    # A visitor sees the published answer beside the recommendation, and on its own page.
    page.goto(read_url)
    assert page.locator(f"#r{first} .government-answer .position-supported").count() == 1
    page.click(f"#r{first} .government-answer a")
    assert page.get_by_text("Units will open in Lahore and Karachi.").count() == 1
    assert page.get_by_text("Notification 12/2026 issued to the provinces.").count() == 1
    assert page.get_by_text("Only Lahore has a unit so far.").count() == 1
    shot("05-public-answer")

    # The tracker filters across declarations: supported answers only.
    page.goto(base + "/tracker")
    page.select_option("select[name=position]", "supported")
    page.click("form.filters button[type=submit]")
    tracker = page.locator("table.tracker")
    assert tracker.locator(f"a[href$='/recommendations/{first}']").count() == 1
    assert tracker.locator(f"a[href$='/recommendations/{second}']").count() == 0  # noted, not supported
    shot("06-tracker")

    # Anyone can check the JSON against the submissions.
    page.goto(base + "/verify")
    page.set_input_files("input[name=dossier]", str(json_path))
    page.click("form.wide-form button[type=submit]")
    assert sha256 in page.locator("[role=status] .hash").inner_text()
    shot("07-verified")
    context.close()
