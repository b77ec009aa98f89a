"""Printing: the reading page, the signatory list, the tracker and the dossier print clean, in both languages.

Chromium prints each page to PDF (page.pdf(), print media); pdftotext reads it back. On paper there is no
navigation, form, button, language switcher or skip link; the content is there; a link's address follows its
text, left to right even in Urdu; and the page count stays reasonable."""
import re
import subprocess

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.browser.test_consultation_journey import log_in

pytestmark = pytest.mark.browser

# Texts that only the screen shows: navigation, forms, buttons, the coordinators' tools.
SCREEN_ONLY = ["Skip to content", "Log out", "My account", "Search", "Filter", "Versions", "Amendments",
               "For coordinators", "Chase list", "Acknowledge receipt", "Download:", "Check a hash", "Previous", "Next"]


URDU_LETTERS = re.compile("[\u0600-\u06ff]")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _squeeze(text: str) -> str:
    """pdftotext splits Urdu words at joins and wraps runs in bidi controls: compare without either."""
    return re.sub(r"\s+", "", BIDI_CONTROLS.sub("", text))


def gettext_in(app, language, message):
    with app.test_request_context(), force_locale(language):
        return gettext(message)


def _pdf_text(page, tmp_path, name) -> tuple[str, int]:
    path = tmp_path / f"{name}.pdf"
    page.emulate_media(media="print")
    path.write_bytes(page.pdf(format="A4", print_background=False))
    page.emulate_media(media="screen")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return text, pages


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_main_pages_print_clean(live_server, browser, people, submitted, tmp_path, language):
    app, base = live_server
    declaration, submission = submitted
    with app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
    with app.test_request_context(), force_locale(language):
        hidden = [gettext(s) for s in SCREEN_ONLY]
        # Urdu read back from the PDF has no reliable word boundaries: look for the phrases no page content uses.
        distinctive = {gettext(s) for s in ("Skip to content", "Log out", "My account", "For coordinators",
                                            "Chase list", "Acknowledge receipt", "Check a hash")}
        labels = {key: gettext(key) for key in ("Dossier", "Answers and follow-up", "Recommendation tracker",
                                                "Organizations", "Annex 1: Organizations that signed")}
        rec_one = gettext("Recommendation %(number)d", number=1)
    switcher = "English" if language == "ur" else "اردو"  # the other language's button

    context = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    if language == "ur":
        page.click("button[name=language][value=ur]")
    log_in(page, base, people["coordinator"].email, app)  # the coordinator sees the most tools

    # The content looked for is Latin user text (pdftotext reads Nastaliq back only approximately) plus, in
    # English, the page's own headings; in Urdu the page must also carry Urdu letters.
    title, rec_text = "Declaration on trafficking", "Create specialised prosecution units."
    english = language == "en"
    pages = {
        "reading": (f"/declarations/{declaration.id}", [title, rec_text], 8),
        "signatories": (f"/declarations/{declaration.id}/signatories",
                        [title, "Safe Haven Society"] + ([labels["Organizations"]] if english else []), 6),
        "tracker": ("/tracker", [rec_text] + ([labels["Recommendation tracker"], rec_one] if english else []), 8),
        "dossier": (f"/submissions/{submission.id}",
                    [title, rec_text] + ([labels["Annex 1: Organizations that signed"]] if english else []), 14),
    }
    texts = {}
    for name, (path, content, most_pages) in pages.items():
        page.goto(base + path)
        assert page.locator("nav.site-nav").is_visible()  # on screen the navigation is there...
        text, count = _pdf_text(page, tmp_path, f"{language}-{name}")
        texts[name] = text
        flat = " ".join(BIDI_CONTROLS.sub("", text).split())
        for screen_only in hidden + [switcher]:  # ...on paper it is not
            word = r"(?<!\w)" + re.escape(screen_only) + r"(?!\w)"
            assert not re.search(word, flat), (name, screen_only, text[:3000])
            if language == "ur" and screen_only in distinctive:
                assert _squeeze(screen_only) not in _squeeze(text), (name, screen_only, text[:3000])
        for wanted in content:
            assert _squeeze(wanted) in _squeeze(text), (name, wanted, text[:3000])
        if not english:
            assert len(URDU_LETTERS.findall(text)) > 20, (name, text[:3000])
        assert 1 <= count <= most_pages, (name, count)
        assert "(#" not in flat  # in-page anchors get no address

    # A link's address follows its text, in one left-to-right piece, in both directions.
    reading = " ".join(BIDI_CONTROLS.sub("", texts["reading"]).split())
    dossier_url = f"/submissions/{submission.id}"
    tracker_url = f"/tracker?declaration={declaration.id}"
    assert dossier_url in reading and tracker_url in reading
    if language == "en":
        assert f"Dossier ({dossier_url})" in reading
        assert f"Answers and follow-up ({tracker_url})" in reading
    else:  # pdftotext writes RTL lines in visual order; the address itself must still read left to right
        line = next(line for line in texts["reading"].splitlines() if dossier_url in line)
        assert _squeeze(labels["Dossier"]) in _squeeze(line), line
    tracker_lines = [_squeeze(line) for line in texts["tracker"].splitlines()]
    link_text = _squeeze(rec_one) if english else _squeeze(gettext_in(app, language, "Recommendation"))
    assert any(link_text in line and re.search(r"\(/recommendations/\d+\)", line)  # the address reads LTR
               for line in tracker_lines), texts["tracker"][:2000]
    # The dossier starts each main part on a new page: the text, the recommendations and the three annexes.
    assert texts["dossier"].count("\f") >= 5
    context.close()
