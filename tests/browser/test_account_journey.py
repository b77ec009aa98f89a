"""Invite → accept → log in → edit profile → log out, in English (JavaScript on) and Urdu (JavaScript off)."""
import re

import pyotp
import pytest
from sqlalchemy import func, select

from app.accounts.models import RecoveryCode
from app.extensions import db
from tests.helpers import PASSWORD, totp_code

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a long and new password"


@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_invite_accept_login_edit_profile_logout(live_server, browser, screenshot, people, mailbox, language,
                                                 javascript):
    app, base = live_server
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 800})
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-{name}")  # noqa: E731
    email = f"new.expert.{language}@example.org"

    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
        assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ur"
    shot("01-home")

    # The coordinator logs in and invites an individual expert.
    page.goto(base + "/login")
    page.fill("input[name=email]", people["coordinator"].email)
    page.fill("input[name=password]", PASSWORD)
    shot("02-login")
    page.click("form:not(.language-switcher) button[type=submit]")
    assert page.url.endswith("/login/code")  # coordinators have a second factor
    page.fill("input[name=code]", totp_code(app, people["coordinator"].email))
    shot("02b-login-code")
    page.click("main form button[type=submit]")
    page.goto(base + "/invitations/new")
    page.fill("input[name=email]", email)
    page.check("input[name=capacity][value=expert]")
    shot("03-invite")
    page.click("main form button[type=submit]")
    assert page.url.endswith("/invitations")
    assert email in page.content()
    shot("04-invitations")
    page.click("button.link-button:text-is('%s')" % ("Log out" if language == "en" else page.inner_text(
        "form[action='/logout'] button")))

    # The invited person opens the link from the email that reached the SMTP server.
    [message] = mailbox.wait_for(email)
    link = re.search(r"http://127\.0\.0\.1:\d+/invite/\S+", message["body"]).group(0)
    page.goto(link)
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ur" else "ltr")
    page.fill("input[name=name]", "Amina Siddiqui")
    page.fill("input[name=designation]", "Researcher")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.select_option("select[name=language]", language)
    page.select_option("select[name=province]", "sindh")
    shot("05-accept")
    page.click("main form button[type=submit]")
    assert "Amina Siddiqui" in page.inner_text("main h1")
    shot("06-welcome")

    # Log out, then log in with the new password.
    page.click("form[action='/logout'] button")
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("main form button[type=submit]")
    assert "Amina Siddiqui" in page.inner_text("main h1")

    # Edit the profile; a missing name first: a clear message, and the typed text is kept.
    page.goto(base + "/account")
    page.fill("input[name=name]", "")
    page.fill("input[name=designation]", "Senior Researcher")
    page.click("main form button[type=submit]")
    assert page.input_value("input[name=designation]") == "Senior Researcher"
    assert page.locator(".field-error input[name=name]").count() == 1
    shot("07-profile-error")
    page.fill("input[name=name]", "Amina Siddiqui")
    page.select_option("select[name=gender]", "woman")
    page.click("main form button[type=submit]")
    assert page.input_value("input[name=designation]") == "Senior Researcher"
    assert page.locator(".flash-success").count() == 1
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ur" else "ltr")
    shot("08-profile-saved")

    # Turn on two-step login from the account page: the key is shown as text beside the QR code.
    page.click("a[href='/account/two-factor']")
    assert page.locator("img.qr").count() == 1
    key = page.inner_text("code.secret").replace(" ", "")
    page.fill("input[name=code]", "000000" if pyotp.TOTP(key).now() != "000000" else "111111")
    page.click("main form button[type=submit]")
    assert page.locator(".field-error input[name=code], .alert-error").count() >= 1
    shot("08b-two-factor-wrong-code")
    page.fill("input[name=code]", pyotp.TOTP(key).now())
    shot("08c-two-factor-setup")
    page.click("main form button[type=submit]")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    shot("08d-recovery-codes")

    # The next login asks for a code; a recovery code works once.
    page.click("form[action='/logout'] button")
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("main form button[type=submit]")
    assert page.url.endswith("/login/code")
    page.fill("input[name=code]", codes[0])
    page.click("main form button[type=submit]")
    assert "/login" not in page.url
    with app.app_context():
        left = db.session.scalar(select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_(None)))
    assert left == 9
    page.goto(base + "/account/two-factor")
    shot("08e-two-factor-on")

    page.click("form[action='/logout'] button")
    assert page.locator("a[href='/login']").count() >= 1
    page.goto(base + "/account")
    assert "/login" in page.url
    shot("09-logged-out")
    context.close()
