"""The reviewer's pages fit a phone (360–390 px) in English and Urdu with JavaScript off: the "Answer the
recommendations" table reflows into stacked rows as the tracker does, and nothing on the workspace, the
publication's confirmation page or the answer form is wider than the screen or cut at its edge."""
import pytest
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.browser.test_consultation_journey import log_in
from tests.helpers import login

pytestmark = pytest.mark.browser

# Every element of the page inside the screen: the document does not scroll sideways, and no element shown (an
# action link in a table that scrolls inside its box, say) starts before its left edge or ends after its right
# edge.
MEASURE = """() => {
  const width = window.innerWidth;
  let worst = null;
  for (const e of document.querySelectorAll('main *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let clipped = false;  // visually hidden (the stacked table's header, screen-reader text): not on the screen
    for (let a = e; a && !clipped; a = a.parentElement) {
      const st = getComputedStyle(a);
      clipped = st.clipPath !== 'none' || (st.position === 'absolute' && st.clip !== 'auto');
    }
    if (clipped) continue;
    if (r.right > width + 0.5 || r.left < -0.5) { worst = e.tagName + ' ' + (e.className || '') + ' '
      + (e.textContent || '').trim().slice(0, 40) + ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']';
      break; }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, worst: worst};
}"""


@pytest.fixture
def drafted_with_long_text(app, client, submitted, people):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    for rec in declaration.recommendations[:2]:
        assert client.post(f"/submissions/{submission.id}/recommendations/{rec}/answer", data={
            "position": "partially", "explanation": "The ministry will consult the provinces first. " * 4,
            "lead_institution": "", "target_date": ""}).status_code == 303
    client.post("/logout")
    return declaration, submission


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_reviewers_pages_fit_a_phone(live_server, browser, screenshot, people, drafted_with_long_text,
                                         language, width):
    app, base = live_server
    declaration, submission = drafted_with_long_text
    with app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
    log_in(page, base, people["reviewer"].email, app)
    first = declaration.recommendations[0]
    for name, path in (("workspace", f"/submissions/{submission.id}/respond"),
                       ("publish", f"/submissions/{submission.id}/publish"),
                       ("answer", f"/submissions/{submission.id}/recommendations/{first}/answer")):
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == language
        found = page.evaluate(MEASURE)
        screenshot(page, f"{language}-reviewer-{name}-{width}px")
        assert found["scroll"] <= found["width"], f"{name}: the page is {found['scroll']}px wide at {width}px"
        assert found["worst"] is None, f"{name}: {found['worst']} is outside the {width}px screen"
    context.close()
