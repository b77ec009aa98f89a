"""Keyboard only: sign in, comment, sign with a reservation, moderate, and answer a recommendation with Tab,
Shift+Tab, Enter and Space (and typing into the focused field), with "Skip to content" the first Tab stop and a
visible focus indicator on every element that takes focus."""
import pytest

from tests.helpers import PASSWORD, totp_code

pytestmark = pytest.mark.browser

# An element's look: compared while it has the focus and after the focus has moved on, they must differ.
LOOK = """el => { const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderTopStyle, s.borderTopWidth,
          s.borderTopColor, s.backgroundColor, s.color, s.textDecorationLine].join(" | "); }"""


class Keyboard:
    """Presses keys on a page and checks the focus indicator of every element the focus leaves."""

    def __init__(self, page):
        self.page, self.stops, self.invisible, self.focused = page, 0, [], None

    def press(self, key):
        self.page.keyboard.press(key)
        if key in ("Tab", "Shift+Tab"):
            self.moved()

    def moved(self):
        """The focus moved: the element it left must now look different from when it had the focus."""
        active = self.page.evaluate_handle("document.activeElement")
        if self.focused and self.page.evaluate("([a, b]) => a === b", [active, self.focused[0]]):
            return  # the same element (a date field's day, month and year)
        self.leave()
        if not self.page.evaluate("el => el === document.body", active):
            html = self.page.evaluate("el => el.outerHTML.slice(0, 160)", active)
            self.focused = (active, self.page.evaluate(LOOK, active), html)

    def leave(self):
        if self.focused:
            element, focused_look, html = self.focused
            self.stops += 1
            if self.page.evaluate(LOOK, element) == focused_look:
                self.invisible.append(f"{self.page.url}: {html}\n  the same with and without focus: {focused_look}")
        self.focused = None

    def tab_to(self, selector, limit=80, backwards=False):
        """Tab (or Shift+Tab) until the selector is focused, at most `limit` times."""
        for _ in range(limit):
            self.press("Shift+Tab" if backwards else "Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} not reached in {limit} Tab presses on {self.page.url}")

    def type_into(self, selector, text):
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def activate(self, selector, key="Enter"):
        """Tab to a link or button and press Enter (or Space), waiting for the page it opens."""
        self.tab_to(selector)
        self.press("Tab")  # on and back, so this element's look without focus is checked before the page is left
        self.tab_to(selector, limit=1, backwards=True)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.focused = None

    def open_page(self, url):
        """A fresh page (as typed in the address bar): "Skip to content" is the first Tab stop and moves focus
        to the main content."""
        self.page.goto(url)
        self.press("Tab")
        assert self.page.evaluate("document.activeElement.matches('a.skip-link')"), "the skip link is not first"
        assert self.page.locator("a.skip-link").is_visible()
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"


def keyboard_log_in(keys, base, email, app):
    keys.open_page(base + "/login")
    keys.type_into("main input[name=email]", email)
    keys.type_into("main input[name=password]", PASSWORD)
    keys.activate("main form button[type=submit]")
    if keys.page.url.split("#")[0].endswith("/login/code"):
        keys.type_into("main input[name=code]", totp_code(app, email))
        keys.activate("main form button[type=submit]")
    assert "/login" not in keys.page.url.split("#")[0]


def test_the_journeys_with_the_keyboard_alone(live_server, browser, people, make_declaration, submitted):
    app, base = live_server
    consultation = make_declaration(moderation="pre", title="Declaration on smuggling")
    signon = make_declaration("signon", visibility="public", title="Declaration on shelters")
    declaration, submission = submitted
    everyone = []

    def person(role):
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        keys = Keyboard(context.new_page())
        everyone.append((context, keys))
        keyboard_log_in(keys, base, people[role].email, app)
        return keys

    # A member comments on a section (the declaration is pre-moderated: the comment waits for a coordinator).
    keys = person("member")
    keys.open_page(f"{base}/declarations/{consultation.id}")
    keys.activate("section.text-section .item-actions a[href$='/comments']")
    keys.type_into("#comment-form textarea[name=body]", "The victim's village should not be named here.")
    keys.activate("#comment-form button[type=submit]")
    assert "victim's village" in keys.page.inner_text("main")

    # A representative signs with a reservation on the first recommendation.
    keys = person("representative")
    keys.open_page(f"{base}/declarations/{signon.id}/sign")
    keys.tab_to("details.reservation summary")
    keys.press("Enter")  # opens the reservation
    keys.type_into("details.reservation textarea", "Our members disagree on the timeline.")
    keys.tab_to("form.sign-form input[name=capacity]")
    keys.press("Space")
    keys.activate("form.sign-form button[type=submit]")
    keys.page.goto(f"{base}/declarations/{signon.id}/sign")
    assert "Our members disagree on the timeline." in keys.page.inner_text("main")

    # The coordinator approves the comment: past "Reject", then back with Shift+Tab to "Approve".
    keys = person("coordinator")
    keys.open_page(f"{base}/moderation")
    keys.type_into("form.moderation-form textarea[name=reason]", "Fine as it is.")
    keys.tab_to("form.moderation-form button[value=reject]")
    keys.tab_to("form.moderation-form button[value=approve]", backwards=True)
    keys.press("Tab")
    keys.tab_to("form.moderation-form button[value=approve]", limit=2, backwards=True)
    with keys.page.expect_navigation():
        keys.page.keyboard.press("Space")
    assert "victim's village" not in keys.page.inner_text("main")

    # The reviewer acknowledges the submission and answers the first recommendation.
    keys = person("reviewer")
    keys.open_page(f"{base}/submissions/{submission.id}/respond")
    keys.activate("form[action$='/acknowledge'] button")
    keys.activate(f"a[href$='/recommendations/{declaration.recommendations[0]}/answer']")
    keys.tab_to("main form input[name=position]")
    keys.press("Space")
    keys.press("ArrowDown")  # "Partially supported": the explanation below gives its reason (issue 27)
    keys.type_into("main form textarea[name=explanation]", "A unit will be set up this year.")
    keys.activate("main form.wide-form button[type=submit]")
    assert "/answer" not in keys.page.url, keys.page.inner_text("main")[:500]
    assert "Answer to recommendation 1 saved as a draft." in keys.page.inner_text("main")

    stops = sum(k.stops for _, k in everyone)
    invisible = [line for _, k in everyone for line in k.invisible]
    for context, _ in everyone:
        context.close()
    print(f"\nkeyboard: {stops} focus stops checked")
    assert not invisible, "focused elements without a visible focus indicator:\n" + "\n".join(invisible)
