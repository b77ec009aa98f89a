"""The dossier of a declaration in two languages in Chromium, laid out by CSS alone: both texts side by side, part by
part, on a wide screen and one above the other on a phone, in English and in Urdu pages; axe-core finds nothing
serious. Screenshots of the page and of the PDF's text pages go to test-artifacts/screenshots/."""
import subprocess

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import NARROW, check
from tests.browser.test_consultation_journey import log_in
from tests.helpers import login
from tests.submissions.test_bilingual_dossier import submit_bilingual

pytestmark = pytest.mark.browser

WIDE = (1280, 900)
BOXES = """() => Array.from(document.querySelectorAll("#text .both-languages, #recommendations .both-languages"))
  .map(pair => Array.from(pair.children).map(child => {
    const box = child.getBoundingClientRect();
    return {lang: child.lang, dir: child.dir, top: box.top, bottom: box.bottom, left: box.left, right: box.right};
  }))"""


@pytest.mark.parametrize("language", ["en", "ur"])
def test_both_texts_side_by_side_on_a_wide_screen_and_stacked_on_a_phone(live_server, browser, client, people,
                                                                          make_declaration, make_user,
                                                                          make_organization, screenshot, tmp_path,
                                                                          language):
    app, base = live_server
    _declaration, submission = submit_bilingual(app, client, people, make_declaration, make_user, make_organization)
    context = browser.new_context(bypass_csp=True,  # axe is injected inline
                                  viewport={"width": WIDE[0], "height": WIDE[1]})
    page = context.new_page()
    log_in(page, base, people["reviewer"].email, app)
    page.goto(base + "/")
    if language == "ur":
        page.click("header button[name=language][value=ur]")
    page.goto(f"{base}/submissions/{submission.id}")
    pairs = page.evaluate(BOXES)
    assert len(pairs) == 2 + 3  # two sections, three recommendations
    for english, urdu in pairs:
        assert (english["lang"], english["dir"], urdu["lang"], urdu["dir"]) == ("en", "ltr", "ur", "rtl")
        assert abs(english["top"] - urdu["top"]) < 2  # side by side, in the page's direction
        assert (english["right"] <= urdu["left"]) if language == "en" else (urdu["right"] <= english["left"])
    screenshot(page, f"{language}-bilingual-dossier-wide")
    found = []
    check(page, f"{language} bilingual dossier", found)
    assert not found, "\n".join(found)
    page.set_viewport_size({"width": NARROW[0], "height": NARROW[1]})
    for english, urdu in page.evaluate(BOXES):
        assert urdu["top"] >= english["bottom"] - 1  # one above the other: the original first
    screenshot(page, f"{language}-bilingual-dossier-phone")
    # The reviewer answers reading the recommendation in both languages.
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    page.click("form[action$='/acknowledge'] button")
    first = submission.content["text"]["recommendations"][0]["id"]
    page.goto(f"{base}/submissions/{submission.id}/recommendations/{first}/answer")
    assert page.locator(".rec-body .language-text[lang=ur][dir=rtl]").count() == 1
    assert page.get_attribute("textarea[name=explanation]", "dir") == "auto"
    check(page, f"{language} answer form of a bilingual submission", found)
    assert not found, "\n".join(found)
    context.close()
    # The PDF as the reviewer downloads it in this language: its cover and first text page, as pictures.
    login(client, people["reviewer"].email)
    client.post("/language", data={"language": language})
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(client.get(f"/submissions/{submission.id}/dossier.pdf").data)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "3", str(pdf),
                    str(SCREENSHOTS / f"{language}-bilingual-dossier-pdf")], check=True)
