"""Pages fit a phone (390 px) with no sideways scrolling (issue 14, #4): the tracker's table reflows into
stacked rows, each cell labelled with its column, by CSS alone (JavaScript off)."""
import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_tracker_fits_a_phone(live_server, browser, screenshot, client, people, submitted, language):
    _app, base = live_server
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
    page.goto(base + "/tracker")
    assert page.locator("table.tracker tbody tr").count() >= 3
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    cell = page.locator("table.tracker tbody td").nth(1)
    label = page.evaluate("(td) => getComputedStyle(td, '::before').content", cell.element_handle())
    assert label not in ("none", "normal", '""')  # each stacked cell says which column it is
    screenshot(page, f"{language}-tracker-390px")
    context.close()
