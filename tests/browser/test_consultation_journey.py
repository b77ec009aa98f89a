"""Draft → consultation → comment and amendment → flag and hide → accept → diff, in both languages."""
import pytest
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.helpers import PASSWORD, totp_code

pytestmark = pytest.mark.browser


def log_in(page, base, email, app):
    """Log in through the form, typing the authenticator app's code when the site asks for one."""
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    if page.url.endswith("/login/code"):
        page.fill("input[name=code]", totp_code(app, email))
        page.click("main form button[type=submit]")
    assert "/login" not in page.url


def log_out(page):
    page.click("form[action='/logout'] button")


@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_a_consultation_from_draft_to_diff(live_server, browser, screenshot, people, mailbox, language, javascript):
    app, base = live_server
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-consultation-{name}")  # noqa: E731
    with app.app_context():  # everyone reads the site in the language of this run
        db.session.execute(update(User).values(language=language))
        db.session.commit()
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")

    # The coordinator drafts a declaration with a section and a recommendation.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(base + "/declarations/new")
    page.fill("input[name=title]", "Karachi Declaration on Migrant Smuggling")
    page.fill("textarea[name=summary]", "What the alliance asks of the government.")
    page.check("input[name=visibility][value=public]")
    shot("01-new")
    page.click("main form button[type=submit]")
    declaration_url = page.url.replace("/edit", "")
    page.click("a[href$='/section/new']")
    page.fill("input[name=heading]", "Context")
    page.fill("textarea[name=body]", "Smugglers charge **families** for dangerous journeys.")
    page.click("main form button[type=submit]")
    page.click("a[href$='/recommendation/new']")
    page.fill("textarea[name=text]", "Investigate the financial networks behind smuggling.")
    page.check("input[name=pillar][value=pursue]")
    page.check("input[name=themes][value=smuggling]")
    page.check("input[name=addressees]")
    shot("02-recommendation")
    page.click("main form button[type=submit]")
    shot("03-editor")

    # Open the consultation: the confirmation page says what will happen and asks for the deadline.
    page.click("a[href$='/phase/consultation']")
    assert page.locator("main code.hash").count() == 1  # the version that will be frozen, by its hash
    page.locator("main form input[name=deadline]").fill("2099-01-01T10:00")
    page.click("main form button[type=submit]")
    assert page.url.startswith(declaration_url)
    assert "Smugglers charge" in page.inner_text("main")
    shot("04-consultation")
    log_out(page)

    # A member comments on the section and proposes an amendment to the recommendation.
    log_in(page, base, people["member"].email, app)
    page.goto(declaration_url)
    page.click("section.text-section .item-actions a[href$='/comments']")
    page.fill("textarea[name=body]", "The victim's village should not be named here.")
    page.click("#comment-form button[type=submit]")
    assert "victim's village" in page.inner_text("main")
    shot("05-comment")
    page.goto(declaration_url)
    page.click("ol.recommendations a[href$='/amend']")
    page.fill("textarea[name=text]", "Investigate and prosecute the financial networks behind smuggling.")
    page.fill("textarea[name=rationale]", "Investigation alone is not enough.")
    page.click("main form button[type=submit]")
    assert page.locator("ins").count() >= 1
    amendment_url = page.url
    shot("06-amendment")
    log_out(page)

    # A representative flags the comment.
    log_in(page, base, people["representative"].email, app)
    page.goto(declaration_url)
    page.click("section.text-section .item-actions a[href$='/comments']")
    page.click("a[href$='/flag']")
    page.fill("input[name=reason]", "It could identify a victim.")
    page.click("main form button[type=submit]")
    log_out(page)

    # The coordinator hides it with a reason, closes the consultation and accepts the amendment.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(base + "/moderation")
    assert "It could identify a victim." in page.inner_text("main")
    shot("07-moderation")
    page.fill("form.moderation-form textarea[name=reason]", "Protects a survivor's identity.")
    page.click("form.moderation-form button[value=hide]")
    assert mailbox.wait_for(people["member"].email, containing="Protects a survivor's identity.")
    page.goto(declaration_url + "/edit")
    page.click("a[href$='/phase/revision']")
    page.click("main form button[type=submit]")
    page.goto(amendment_url)
    page.click("form[action$='/accept'] button")
    assert page.locator(".badge-ok").count() == 1
    shot("08-accepted")
    page.goto(declaration_url + "/edit")
    page.click("a[href$='/phase/signon']")
    shot("08b-confirm-signon")
    page.click("main form button[type=submit]")

    # The diff between versions 2 and 3 shows the accepted change; the hidden comment is gone.
    page.goto(declaration_url + "/history")
    shot("09-history")
    page.goto(declaration_url + "/compare?from=2&to=3")
    inserted = " ".join(page.locator("ins").all_inner_texts())
    assert "prosecute" in inserted
    shot("10-diff")
    page.goto(declaration_url)
    assert "0" in page.locator("section.text-section .item-actions a[href$='/comments']").inner_text()
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ur" else "ltr")
    context.close()
