"""A coordinator submits → the reviewer acknowledges, drafts answers and publishes → a visitor sees them on the
public recommendation page; the PDF carries the hash and a recommendation; the verify page confirms the JSON.
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
    log_in(page, base, people["representative"].email)
    page.goto(read_url + "/sign")
    page.click("form.sign-form button[type=submit]")
    log_out(page)
    log_in(page, base, people["coordinator"].email)
    page.goto(read_url)
    page.click(f"a[href$='/declarations/{declaration.id}/submit']")
    page.click(f"form[action$='/declarations/{declaration.id}/close-signon'] button")
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
    log_in(page, base, people["reviewer"].email)
    page.goto(base + "/")
    page.click(f".awaiting a[href$='/submissions/{submission_id}']")
    page.click(f"form[action$='/submissions/{submission_id}/acknowledge'] button")
    page.click(f"a[href$='/submissions/{submission_id}/recommendations/{first}/answer']")
    page.check("input[name=position][value=supported]")
    page.fill("textarea[name=explanation]", "Units will open in Lahore and Karachi.")
    page.fill("input[name=target_date]", "2027-06-30")
    shot("03-answer")
    page.click("form.wide-form button[type=submit]")
    page.click(f"a[href$='/submissions/{submission_id}/recommendations/{second}/answer']")
    page.check("input[name=position][value=noted]")
    page.click("form.wide-form button[type=submit]")
    with app.app_context():
        assert db.session.scalars(select(Answer.published_at)).all() == [None, None]
    shot("04-workspace")
    page.click(f"form[action$='/submissions/{submission_id}/publish'] button")
    with app.app_context():
        assert None not in db.session.scalars(select(Answer.published_at)).all()

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

    # A visitor sees the published answer beside the recommendation, and on its own page.
    page.goto(read_url)
    assert page.locator(f"#r{first} .government-answer .position-supported").count() == 1
    page.click(f"#r{first} .government-answer a")
    assert page.get_by_text("Units will open in Lahore and Karachi.").count() == 1
    shot("05-public-answer")

    # Anyone can check the JSON against the submissions.
    page.goto(base + "/verify")
    page.set_input_files("input[name=dossier]", str(json_path))
    page.click("form.wide-form button[type=submit]")
    assert sha256 in page.locator("[role=status] .hash").inner_text()
    shot("06-verified")
    context.close()
