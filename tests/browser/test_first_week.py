"""Every role's first week, starting from the home page and following only what the pages offer (no typed
URLs after the first): a member finds the consultation and comments; the coordinator works the moderation
queue from the home counts and opens sign-on through its confirmation page; a representative finds the
declaration waiting for signature and signs; an outside organization signs through the public form and is
emailed the approval; the coordinator submits; a visitor reads the submitted dossier; the reviewer finds
what is unanswered. In English with JavaScript, and in Urdu without it: everyone's profile says English,
and the Urdu chosen on the page before logging in must survive each login."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.accounts.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.time import utcnow
from tests.browser.test_consultation_journey import log_in, log_out

pytestmark = pytest.mark.browser

OUTSIDE = "naseem@outside.example.org"


def _home(page, base):
    """Back to the home page by the site's own link (the name in the header)."""
    page.click("header a[href='/']")
    assert page.url == base + "/"


@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_each_role_reaches_their_week_from_the_home_page(live_server, browser, screenshot, people, mailbox,
                                                         make_declaration, language, javascript):
    app, base = live_server
    consultation = make_declaration("consultation", visibility="public", moderation="pre",
                                    title="Declaration on shelters")
    revision = make_declaration("revision", visibility="public", title="Statement on border smuggling")
    with app.app_context():
        db.session.execute(update(User).values(language="en"))  # the profile says English
        db.session.get(Declaration, revision.id).open_signon = True
        db.session.commit()
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-first-week-{name}")  # noqa: E731

    def in_language():
        assert page.get_attribute("html", "lang") == language, page.url

    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
    in_language()
    shot("01-visitor-home")
    assert page.locator(f"main a[href='/declarations/{consultation.id}']").count() >= 1

    # A member logs in (Urdu stays), finds the consultation on their home page and comments.
    log_in(page, base, people["member"].email, app)
    in_language()
    shot("02-member-home")
    page.click(f"main section.card a[href='/declarations/{consultation.id}']")
    page.click("section.text-section .item-actions a[href$='/comments']")
    page.fill("textarea[name=body]", "Shelters must be open to men who were trafficked, too.")
    page.click("#comment-form button[type=submit]")
    in_language()
    log_out(page)

    # The coordinator works the queue from the home counts, then opens sign-on through its confirmation page.
    log_in(page, base, people["coordinator"].email, app)
    in_language()
    shot("03-coordinator-home")
    page.click("section.work a[href='/moderation']")
    page.click("form.moderation-form button[value=approve]")
    _home(page, base)
    page.click(f"section.work a[href='/declarations/{revision.id}/edit']")
    page.click(f"a[href$='/declarations/{revision.id}/phase/signon']")
    in_language()
    shot("04-confirm-signon")
    deadline = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    page.locator("main form input[name=deadline]").fill(deadline)
    page.click("main form button[type=submit]")
    log_out(page)
    with app.app_context():
        assert db.session.get(Declaration, revision.id).phase == "signon"

    # The representative was invited by email, and finds the declaration waiting on the home page.
    assert mailbox.wait_for(people["representative"].email, containing=f"/declarations/{revision.id}/sign")
    log_in(page, base, people["representative"].email, app)
    in_language()
    shot("05-representative-home")
    page.click(f"section.awaiting a[href='/declarations/{revision.id}/sign']")
    page.click("form.sign-form button[type=submit]")
    assert page.locator(".flash-success").count() == 1
    log_out(page)

    # An organization outside the alliance signs from the public pages and confirms from its email.
    _home(page, base)
    page.click(f"main a[href='/declarations/{revision.id}/signatories']")
    page.click(f"a.button[href$='/declarations/{revision.id}/sign/open']")
    page.fill("input[name=organization_name]", "Makran Coast Fishers' Union")
    page.select_option("select[name=organization_type]", "ngo")
    page.select_option("select[name=province]", "balochistan")
    page.fill("input[name=signer_name]", "Naseem Baloch")
    page.fill("input[name=signer_designation]", "General Secretary")
    page.fill("input[name=email]", OUTSIDE)
    page.check("input[name=authorised]")
    page.click("main form button[type=submit]")
    [message] = mailbox.wait_for(OUTSIDE, containing="/sign/confirm/")
    page.goto(re.search(r"https?://\S+/sign/confirm/\S+", message["body"]).group(0))  # the emailed link
    page.click("main form button[type=submit]")

    # The coordinator approves it from the home count (the signer is emailed), then submits from the
    # sign-on table.
    log_in(page, base, people["coordinator"].email, app)
    page.click(f"section.work a[href='/declarations/{revision.id}/signatories?status=pending']")
    page.click("form[action$='/approve'] button")
    [approved] = mailbox.wait_for(OUTSIDE, containing=f"/declarations/{revision.id}")
    assert "Makran Coast Fishers' Union" in approved["body"] and approved["subject"] != message["subject"]
    _home(page, base)
    shot("06-coordinator-signon")
    if language == "en":  # against the membership: 1 of the 1 verified member; the outside one apart
        assert "1 of 1 · 1 from outside" in page.inner_text("section.work")
    page.click(f"section.work a[href='/declarations/{revision.id}/submit']")
    in_language()
    shot("07-submit")
    page.click("form.wide-form button[type=submit]")
    assert page.locator(".cover-hash").count() == 1
    log_out(page)

    # A visitor reads the submitted dossier from the home page.
    _home(page, base)
    page.click("main a[href^='/submissions/']")
    in_language()
    shot("08-visitor-dossier")
    assert page.locator(".cover-hash").count() == 1

    # The reviewer finds what is unanswered.
    log_in(page, base, people["reviewer"].email, app)
    in_language()
    shot("09-reviewer-home")
    page.click("section.work a[href$='/respond']")
    in_language()
    page.click("form[action$='/acknowledge'] button")  # receipt first, then the answers
    assert page.locator("a[href$='/answer']").count() == 3
    shot("10-workspace")
    context.close()
