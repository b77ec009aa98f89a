"""Word in, Word out, end to end in a browser: a coordinator uploads the alliance's draft as LibreOffice saved it
— the English as .docx, the Urdu as .odt — checks the preview, makes a paragraph of the background a
recommendation of its own in both files, and creates the declaration; it goes to consultation; the version
downloads as a Word file (rendered to PNG through LibreOffice for the record), and that file imported again as a
new revision changes nothing in either language. In English with JavaScript and in Urdu without."""
import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.declarations import services as declarations
from app.declarations.models import Declaration, RecommendationRevision, SectionRevision
from app.extensions import db
from app.time import utcnow
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_consultation_journey import log_in
from tests.documents.corpus import EXPECTED, SOFFICE, draft

pytestmark = pytest.mark.browser
MOVED = {"en": "The FIA registered hundreds of trafficking cases", "ur": "FIA نے گزشتہ سال"}


def _rendered(document, name: str, workdir) -> None:
    """The downloaded document as LibreOffice lays it out: its first page as a PNG among the screenshots."""
    profile = workdir / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to",
                    "pdf", "--outdir", str(workdir), str(document)], check=True, capture_output=True, timeout=240)
    pdf = workdir / (document.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(SCREENSHOTS / name)], check=True, timeout=120)


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and poppler-utils: scripts/system-deps.sh installs them")
@pytest.mark.parametrize("language,javascript", [("en", True), ("ur", False)])
def test_a_word_draft_comes_in_whole_and_goes_back_out_unchanged(live_server, browser, screenshot, people, tmp_path,
                                                                  language, javascript):
    app, base = live_server
    with app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
    english, urdu = tmp_path / "karachi-declaration.docx", tmp_path / "کراچی-اعلامیہ.odt"
    english.write_bytes(draft("docx", "en", tmp_path))
    urdu.write_bytes(draft("odt", "ur", tmp_path))
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1100, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    shot = lambda name: screenshot(page, f"{language}-word-{name}")  # noqa: E731

    # The coordinator uploads both files from the declarations list.
    log_in(page, base, people["coordinator"].email, app)
    page.goto(base + "/declarations")
    page.click("a[href$='/declarations/import']")
    page.set_input_files("input[name=document]", str(english))
    page.set_input_files("input[name=translation]", str(urdu))
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 0
    assert page.locator("ol.import-recommendations").nth(0).locator("li").count() == 5
    assert page.locator("ol.import-recommendations").nth(1).locator("li").count() == 5
    assert page.get_by_text(EXPECTED["draft-ur"]["title"]).count() >= 1
    shot("01-preview")

    # A paragraph of the background becomes a recommendation of its own, in both files, under "Pursue".
    for file_language in ("en", "ur"):
        unit = page.locator("li.import-unit", has_text=MOVED[file_language])
        unit.locator("select[name^=role]").select_option("recommendation")
    page.click("button[value=update]")
    for file_language in ("en", "ur"):
        unit = page.locator("li.import-unit", has_text=MOVED[file_language])
        unit.locator("select[name^=pillar]").select_option("pursue")
    page.click("button[value=update]")
    assert page.locator(".error-summary").count() == 0
    assert page.locator("ol.import-recommendations").nth(0).locator("li").count() == 6
    shot("02-preview-moved")
    page.click("button[value=confirm]")
    assert "/edit" in page.url
    with app.app_context():
        declaration = db.session.scalar(select(Declaration).order_by(Declaration.id.desc()))
        assert declaration.title == EXPECTED["draft-en"]["title"]
        assert declaration.title_translation == EXPECTED["draft-ur"]["title"]
        recommendations = declarations.live_recommendations(declaration.id)
        assert len(recommendations) == 6
        # The paragraph alone: the background's list after it stays in the background.
        assert recommendations[0].current.text_source == EXPECTED["draft-en"]["paragraphs"][2]
        background = declarations.live_sections(declaration.id)[0]
        assert MOVED["en"] not in background.current.body_source
        assert "Recruitment agents promise jobs abroad" in background.current.body_source
        assert recommendations[0].current.pillar == "pursue"
        assert recommendations[0].translation.text_source.startswith(MOVED["ur"])
        coordinator = db.session.get(User, people["coordinator"].id)
        declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=7))
        db.session.commit()
        declaration_id = declaration.id
    shot("03-imported")

    # The version goes out as a Word file (both languages, as the history page offers it first).
    page.goto(f"{base}/declarations/{declaration_id}/history")
    with page.expect_download() as download:
        page.click(f"a[href='/declarations/{declaration_id}/versions/1.docx']")
    exported = tmp_path / "version-1.docx"
    download.value.save_as(exported)
    for part in ("en", "ur"):
        with page.expect_download() as one:
            page.click(f"a[href='/declarations/{declaration_id}/versions/1.docx?language={part}']")
        one.value.save_as(tmp_path / f"version-1-{part}.docx")
        _rendered(tmp_path / f"version-1-{part}.docx", f"{language}-word-04-exported-{part}", tmp_path)

    # In revision, the exported file imported again as a new revision: nothing changes, in either language.
    with app.app_context():
        declarations.change_phase(db.session.get(User, people["coordinator"].id),
                                  db.session.get(Declaration, declaration_id), "revision")
        db.session.commit()
        counts = (db.session.query(SectionRevision).count(), db.session.query(RecommendationRevision).count())
    page.goto(f"{base}/declarations/{declaration_id}/edit")
    page.click(f"a[href$='/declarations/{declaration_id}/import']")
    page.set_input_files("input[name=document]", str(exported))
    page.click("main form button[type=submit]")
    assert page.locator(".import-no-change").count() == 2
    shot("05-round-trip")
    page.click("button[value=confirm]")
    assert "/edit" in page.url
    with app.app_context():
        assert (db.session.query(SectionRevision).count(), db.session.query(RecommendationRevision).count()) == counts
