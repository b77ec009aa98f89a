"""Sign with a reservation → find it in the list → withdraw → sign again; an outside organization signs
through the open form, confirms from its email, and a coordinator approves it. In both languages."""
import re

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.extensions import db
from app.signatures.models import Signature
from tests.browser.test_consultation_journey import log_in, log_out

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_a_sign_on_from_signature_to_approval(live_server, browser, screenshot, people, mailbox, make_declaration,
                                              language, javascript):
    app, base = live_server
    declaration = make_declaration("signon", visibility="public")
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-signon-{name}")  # noqa: E731
    with app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
    read_url = f"{base}/declarations/{declaration.id}"
    list_url = f"{read_url}/signatories"

    # The representative signs from the reading page, with a reservation on recommendation 2.
    log_in(page, base, people["representative"].email, app)
    page.goto(read_url)
    page.click(f"a.button[href$='/declarations/{declaration.id}/sign']")
    assert page.locator(".version-box code").inner_text() and page.locator("input[name=capacity]").count() == 1
    page.click(f"#r{declaration.recommendations[1]} summary")
    page.fill(f"textarea[name=reservation-{declaration.recommendations[1]}]", "Shelters need two years.")
    page.check("input[name=visibility][value=alliance]")
    shot("01-sign")
    page.click("form.sign-form button[type=submit]")
    assert page.locator(".flash-success").count() == 1
    shot("02-signed")

    # The organization is in the list (alliance tier: the representative is a member).
    page.goto(list_url)
    assert page.locator("#organizations").get_by_text("Human Rights Action Forum").count() == 1
    shot("03-list")

    # Withdraw with a reason, then sign again.
    page.goto(f"{read_url}/sign")
    page.click(".signature-card details summary")
    page.fill("textarea[name=reason]", "Our board asked for a second reading.")
    page.click(".signature-card form button[type=submit]")
    assert page.locator("form.sign-form").count() == 1
    page.click("form.sign-form button[type=submit]")
    assert page.locator(".signature-card").count() == 1
    with app.app_context():
        statuses = db.session.scalars(select(Signature.status).order_by(Signature.id)).all()
        assert statuses == ["withdrawn", "active"]
    log_out(page)

    # The coordinator opens the public form.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(list_url)
    page.click(f"form[action$='/declarations/{declaration.id}/open-signon'] button")
    shot("04-coordinator-list")
    log_out(page)

    # An organization outside the alliance signs through it and confirms from its email.
    page.goto(list_url)
    page.click(f"a.button[href$='/declarations/{declaration.id}/sign/open']")
    page.fill("input[name=organization_name]", "Hazara Women's Collective")
    page.select_option("select[name=organization_type]", "ngo")
    page.select_option("select[name=province]", "balochistan")
    page.fill("input[name=signer_name]", "Shabana Ali")
    page.fill("input[name=signer_designation]", "Coordinator")
    page.fill("input[name=email]", "shabana@outside.example.org")
    page.check("input[name=authorised]")
    shot("05-open-form")
    page.click("main form button[type=submit]")
    shot("06-check-email")
    [message] = mailbox.wait_for("shabana@outside.example.org", containing="/sign/confirm/")
    link = re.search(r"https?://\S+/sign/confirm/\S+", message["body"]).group(0)
    page.goto(link)
    shot("07-confirm")
    page.click("main form button[type=submit]")
    shot("08-confirmed")
    assert "Hazara" not in page.goto(list_url).text()  # not listed before approval

    # The coordinator approves it; now everyone sees it.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(list_url + "?status=pending")
    assert page.locator("tbody tr").count() == 1
    page.click("form[action$='/approve'] button")
    log_out(page)
    page.goto(list_url)
    assert page.locator("#organizations").get_by_text("Hazara Women's Collective").count() == 1
    shot("09-public-list")
    context.close()
