"""Issue 25's journey in Chromium: a coordinator makes a declaration bilingual and names a translator, the
translator writes the Urdu, a member comments in Urdu on the Urdu text, an amendment accepted in English marks the
Urdu part, the translator updates it, sign-on opens (refused while a part needs translation), a representative
signs reading Urdu without JavaScript, the coordinator submits, and a visitor finds both texts in the PDF
(pdftotext) and both languages on /verify. Each person uses their own browser, in their own language.
Then axe-core on the new pages (languages, translation, reading side by side, sign) in English and Urdu.
Screenshots for the closing note go to test-artifacts/screenshots/ (and /tmp/i25-shots/ when it can be written)."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.amendments.models import Amendment
from app.comments.models import Comment
from app.declarations.models import Declaration
from app.extensions import db
from app.submissions.models import Submission
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import NARROW, check
from tests.browser.test_consultation_journey import log_in
from tests.helpers import login
from tests.submissions.test_bilingual_dossier import (
    RECOMMENDATIONS_UR,
    SECTIONS_UR,
    SUMMARY_UR,
    TITLE_UR,
    _urdu_words,
    make_bilingual_and_sign_on,
)

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
SHOTS_COPY = Path("/tmp/i25-shots")
COMMENT_UR = "پناہ گاہوں کے ساتھ یہ بھی لکھیں کہ وہاں متاثرین کو قانونی مدد ملے گی۔"
AMENDED_EN = "Open shelters for survivors in every province and district."
AMENDED_UR = "ہر صوبے اور ہر ضلع میں متاثرین کے لیے پناہ گاہیں کھولی جائیں۔"


def keep(name):
    """A screenshot the closing note shows: also copied to /tmp/i25-shots/."""
    try:
        SHOTS_COPY.mkdir(parents=True, exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS_COPY / f"{name}.png")
    except OSError:
        pass


def badges(page):
    """The translation page's states, row by row: {row id: [state per language column]}."""
    return page.evaluate("""() => Object.fromEntries(
      Array.from(document.querySelectorAll(".translation-table tbody tr")).map(row => [row.id,
        Array.from(row.querySelectorAll("td .badge"))
          .map(badge => badge.classList.contains("badge-warn") ? "needs" : "done")]))""")


# Which side of the second language's column the rule between the two columns is drawn on.
RULE_BETWEEN = """selector => { const style = getComputedStyle(document.querySelector(selector));
  return style.borderLeftWidth !== "0px" ? "left" : style.borderRightWidth !== "0px" ? "right" : "none"; }"""


def assert_written_in_urdu(page, *fields, interface):
    """What is typed is Urdu, right to left; the labels, hints and errors around it are in the interface's language."""
    for selector in fields:
        field = page.locator(selector)
        assert (field.get_attribute("lang"), field.get_attribute("dir")) == ("ur", "rtl"), selector
        label = page.locator(f"label[for={field.get_attribute('id')}]")
        assert label.evaluate("label => label.closest('[lang]').lang") == interface, selector


def languages_of(page, selector):
    return [(e.get_attribute("lang"), e.get_attribute("dir")) for e in page.locator(selector).all()]


class Journey:
    """The people of the journey, each in a browser of their own, and what they share: the declaration's ids."""

    def __init__(self, app, base, browser, screenshot, declaration):
        self.app, self.base, self.browser, self.screenshot = app, base, browser, screenshot
        self.declaration = declaration
        self.read_url = f"{base}/declarations/{declaration.id}"
        self.contexts = []

    def browser_of(self, person, javascript=True):
        context = self.browser.new_context(java_script_enabled=javascript, viewport=WIDE, accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        if person is not None:
            log_in(page, self.base, person.email, self.app)
        return page

    def shot(self, page, name, closing=False):
        self.screenshot(page, name)
        if closing:
            keep(name)

    def close(self):
        for context in self.contexts:
            context.close()


def make_bilingual(j, coordinator, translator):
    """The coordinator makes the draft bilingual from its edit page and names the translator."""
    d = j.declaration
    coordinator.goto(j.read_url + "/edit")
    coordinator.click(f"a[href$='/declarations/{d.id}/languages']")
    assert "This declaration is in English only." in coordinator.inner_text("main")
    coordinator.check("input[name=translation_language][value=ur]")
    coordinator.click("form[action$='/languages/bilingual'] button[type=submit]")
    assert coordinator.locator(".flash-success").count() == 1
    states = badges(coordinator)
    assert len(states) == 1 + 2 + 3 and all(row == ["done", "needs"] for row in states.values())
    assert "Original: English. Translation: Urdu. 6 parts need translation." in coordinator.inner_text("main")
    coordinator.fill("form[action$='/languages/translators'] input[name=add]", translator.email)
    coordinator.click("form[action$='/languages/translators'] button[type=submit]")
    assert coordinator.locator(f"input[name=translators][value='{translator.id}']").is_checked()
    j.shot(coordinator, "bilingual-journey-01-made-bilingual")


def translate_everything(j, translator):
    """The translator finds the work on their home page and writes the Urdu, part by part, beside the English."""
    d = j.declaration
    translator.goto(j.base + "/")
    assert translator.get_attribute("html", "lang") == "ur"
    waiting = translator.locator(f"section.translating a[href$='/declarations/{d.id}/languages']")
    assert "6" in waiting.inner_text()  # six parts wait for the translation: the title and summary, 2 + 3 parts
    waiting.click()
    assert translator.locator("form[action$='/languages/bilingual'], form[action$='/translators']").count() == 0
    translator.click("#title a[href$='/translate/title']")
    assert "Declaration on trafficking" in translator.locator(".original-text[lang=en]").inner_text()
    assert_written_in_urdu(translator, "input[name=title]", "textarea[name=summary]", interface="ur")
    translator.fill("input[name=title]", TITLE_UR)
    translator.fill("textarea[name=summary]", SUMMARY_UR)
    translator.click("main form button[type=submit]")
    for section_id, english in zip(d.sections, ("Preamble", "Context"), strict=True):
        translator.click(f"#s{section_id} a[href$='/translate/section/{section_id}']")
        original = translator.locator(".text-in.original-text")
        assert (original.get_attribute("lang"), original.get_attribute("dir")) == ("en", "ltr")
        assert english in original.inner_text()
        heading, body = SECTIONS_UR[english]
        assert_written_in_urdu(translator, "input[name=heading]", "textarea[name=body]", interface="ur")
        translator.fill("input[name=heading]", heading)
        translator.fill("textarea[name=body]", body)
        if section_id == d.sections[0]:
            j.shot(translator, "ur-bilingual-translate-item", closing=True)
        translator.click("main form button[type=submit]")
    for recommendation_id, urdu in zip(d.recommendations, RECOMMENDATIONS_UR.values(), strict=True):
        translator.click(f"#r{recommendation_id} a[href$='/translate/recommendation/{recommendation_id}']")
        translator.fill("textarea[name=text]", urdu)
        translator.click("main form button[type=submit]")
    assert all(row == ["done", "done"] for row in badges(translator).values())
    assert translator.locator(".translation-table [lang=ur][dir=rtl]").get_by_text(TITLE_UR).count() == 1


def change_phase(j, coordinator, target, deadline=None):
    coordinator.goto(j.read_url + "/edit")
    coordinator.click(f"a[href$='/phase/{target}']")
    if deadline:
        coordinator.locator("main form input[name=deadline]").fill(deadline)
    coordinator.click("main form button[type=submit]")


def comment_and_amend(j, member):
    """A member reads the Urdu text, comments on it in Urdu, then proposes new English wording for it."""
    second = j.declaration.recommendations[1]
    member.goto(j.read_url)
    assert member.locator(f"#r{second} .text-in").get_attribute("lang") == "ur"  # the interface's language first
    member.click(f"#r{second} .item-actions a[href*='/comments']")
    assert member.locator("#comment-form input[name=language][value=ur]").is_checked()  # the text being read
    assert member.locator("main .text-in[lang=ur][dir=rtl]").count() == 1
    member.fill("#comment-form textarea[name=body]", COMMENT_UR)
    member.click("#comment-form button[type=submit]")
    comment = member.locator(".comment", has_text=COMMENT_UR)
    assert comment.locator(".badge-language").count() == 1  # "on the Urdu text"
    j.shot(member, "bilingual-journey-02-comment-in-urdu")
    with j.app.app_context():
        assert db.session.scalars(select(Comment.language)).all() == ["ur"]
    member.goto(j.read_url + "?text=en")
    member.click(f"#r{second} .item-actions a[href*='/recommendation/{second}/amend']")
    assert member.locator("main nav.language-switch a[lang=en][aria-current]").count() == 1  # on the English
    member.fill("textarea[name=text]", AMENDED_EN)
    member.fill("textarea[name=rationale]", "پناہ گاہیں ضلع کی سطح پر بھی ہونی چاہئیں۔")
    member.click("main form button[type=submit]")
    assert member.locator("ins").count() >= 1
    with j.app.app_context():
        assert db.session.scalars(select(Amendment.language)).all() == ["en"]
    return member.url


def accept_and_try_signon(j, coordinator, amendment_url):
    """The coordinator accepts the English amendment: the Urdu of that part now lags, and sign-on waits."""
    d, second = j.declaration, j.declaration.recommendations[1]
    change_phase(j, coordinator, "revision")
    coordinator.goto(amendment_url)
    coordinator.click("form[action$='/accept'] button")
    assert coordinator.locator(".badge-ok").count() == 1
    coordinator.goto(j.read_url + "/languages")
    states = badges(coordinator)
    assert states.pop(f"r{second}") == ["done", "needs"]
    assert all(row == ["done", "done"] for row in states.values())
    assert "1 part needs translation." in coordinator.inner_text("main")
    assert coordinator.locator(f"#r{second} form[action$='/no-change'] button").count() == 1  # a typo? say so
    j.shot(coordinator, "en-bilingual-translation-page", closing=True)
    coordinator.goto(j.read_url + "/edit")
    coordinator.click("a[href$='/phase/signon']")  # the confirmation page says so before anything is clicked
    assert "Sign-on cannot open while 1 part needs translation" in coordinator.inner_text("main")
    assert coordinator.locator("main form button[type=submit]").count() == 0
    j.shot(coordinator, "bilingual-journey-03-signon-refused")
    with j.app.app_context():
        assert db.session.get(Declaration, d.id).phase == "revision"


def update_translation(j, translator):
    """The translator sees which part changed, and updates its Urdu."""
    second = j.declaration.recommendations[1]
    translator.goto(j.base + "/")
    waiting = translator.locator(f"section.translating a[href$='/declarations/{j.declaration.id}/languages']")
    assert "1" in waiting.inner_text()
    waiting.click()
    assert badges(translator)[f"r{second}"] == ["done", "needs"]
    j.shot(translator, "ur-bilingual-translation-page", closing=True)
    translator.click(f"#r{second} a[href$='/translate/recommendation/{second}']")
    assert translator.locator("main .alert").count() == 1  # the English changed since it was translated
    assert AMENDED_EN in translator.locator(".original-text").inner_text()
    assert translator.input_value("textarea[name=text]") == RECOMMENDATIONS_UR["Open shelters in every province."]
    translator.fill("textarea[name=text]", AMENDED_UR)
    translator.click("main form button[type=submit]")
    assert all(row == ["done", "done"] for row in badges(translator).values())


def sign_in_urdu(j, representative):
    """A representative signs reading the Urdu, without JavaScript."""
    representative.goto(j.read_url)
    representative.click(f"a.button[href$='/declarations/{j.declaration.id}/sign']")
    assert "یکساں مستند" in representative.inner_text("main")  # both language versions are equally authentic
    texts = languages_of(representative, "form.sign-form .text-in")
    assert len(texts) == 2 + 3 and set(texts) == {("ur", "rtl")}  # the reader's language, part by part
    assert AMENDED_UR in representative.inner_text("form.sign-form")
    assert representative.locator("form.sign-form nav.language-switch a[lang=en]").count() == 1  # one link away
    j.shot(representative, "bilingual-journey-04-sign-in-urdu")
    representative.click("form.sign-form button[type=submit]")
    assert representative.locator(".signature-card").count() == 1


def submit(j, coordinator):
    """The coordinator closes sign-on and submits to the ministry the recommendations are addressed to."""
    d = j.declaration
    coordinator.goto(j.read_url)
    coordinator.click(f"a[href$='/declarations/{d.id}/submit']")
    coordinator.click(f"a[href$='/declarations/{d.id}/signon']")
    coordinator.click(f"form[action$='/declarations/{d.id}/close-signon'] button")
    coordinator.click("form.wide-form button[type=submit]")
    with j.app.app_context():
        submission = db.session.scalar(select(Submission).where(Submission.declaration_id == d.id))
    assert submission.sha256 in coordinator.locator(".cover-hash").inner_text()
    return submission


def read_both_and_check_the_pdf(j, visitor, submission, pdf):
    """A visitor reads both texts side by side, downloads the dossier's PDF and finds both texts in it."""
    second = j.declaration.recommendations[1]
    visitor.goto(j.read_url)
    visitor.click("nav.language-switch a[href$='text=both']")
    assert visitor.locator("#recommendations .in-languages.side-by-side").count() == 3
    assert languages_of(visitor, f"#r{second} .text-in") == [("en", "ltr"), ("ur", "rtl")]
    assert visitor.evaluate(RULE_BETWEEN, f"#r{second} .text-in + .text-in") == "left"  # on the English page
    j.shot(visitor, "en-bilingual-reading-wide", closing=True)
    visitor.click(f"a[href$='/submissions/{submission.id}']")
    with visitor.expect_download() as download:
        visitor.click(f"a[href$='/submissions/{submission.id}/dossier.pdf']")
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = {re.sub("[\u202a-\u202e]", "", line).strip() for line in text.splitlines()}  # without bidi marks
    for english in ("Declaration on trafficking", "We, the organizations, demand action.", "Trafficking is rising.",
                    "Create specialised prosecution units.", AMENDED_EN, "Publish asset declarations."):
        assert english in lines, english
    # The Urdu as it stands: each text whole on its line, or (a sentence with commas, which pdftotext gives in
    # runs) word for word; the Urdu the translator replaced is gone.
    urdu = [TITLE_UR, SUMMARY_UR, AMENDED_UR,
            *(part.replace("**", "") for pair in SECTIONS_UR.values() for part in pair),
            *(t for english, t in RECOMMENDATIONS_UR.items() if english != "Open shelters in every province.")]
    for words in urdu:
        assert words in lines or "،" in words and _urdu_words(words) <= _urdu_words(text), words
    assert RECOMMENDATIONS_UR["Open shelters in every province."] not in lines
    assert submission.sha256 in text


def verify(j, visitor, sha256):
    """/verify names both languages the hash covers."""
    visitor.goto(j.base + "/verify")
    visitor.fill("input[name=sha256]", sha256)
    visitor.click("form.wide-form button[type=submit]")
    facts = visitor.locator("[role=status] dl.facts")
    assert facts.locator("dt:has-text('Languages the hash covers') + dd").inner_text() == "English and Urdu"
    j.shot(visitor, "bilingual-journey-05-verify")


def reading_in_urdu_and_on_a_phone(j, visitor):
    """The reading page side by side in the Urdu interface, and on a phone (stacked, never wider) in both."""
    second = j.declaration.recommendations[1]
    visitor.goto(j.read_url + "?text=both")
    visitor.click("header button[name=language][value=ur]")
    assert visitor.get_attribute("html", "dir") == "rtl"
    assert visitor.evaluate(RULE_BETWEEN, f"#r{second} .text-in + .text-in") == "right"
    j.shot(visitor, "ur-bilingual-reading-wide", closing=True)
    for language in ("ur", "en"):
        if language == "en":
            visitor.click("header button[name=language][value=en]")
        visitor.set_viewport_size({"width": NARROW[0], "height": NARROW[1]})
        visitor.goto(j.read_url + "?text=both")
        english, urdu = (e.bounding_box() for e in visitor.locator(f"#r{second} .text-in").all())
        assert urdu["y"] >= english["y"] + english["height"] - 1  # one above the other
        assert visitor.evaluate("document.documentElement.scrollWidth") <= NARROW[0]  # nothing sticks out
        j.shot(visitor, f"{language}-bilingual-reading-phone", closing=True)
        visitor.set_viewport_size(WIDE)


def test_a_bilingual_declaration_from_draft_to_verify(live_server, browser, screenshot, people, make_user,
                                                      make_declaration, tmp_path):
    app, base = live_server
    declaration = make_declaration("drafting", visibility="public")
    translator = make_user(expert=True, email="translator@example.org", name="Ayesha Siddiqui")
    with app.app_context():  # the people who read Urdu have it in their profiles; the coordinator reads English
        db.session.execute(update(User).where(User.id.in_(
            [translator.id, people["member"].id, people["representative"].id])).values(language="ur"))
        db.session.commit()
    j = Journey(app, base, browser, screenshot, declaration)
    coordinator, translator_page = j.browser_of(people["coordinator"]), j.browser_of(translator)
    make_bilingual(j, coordinator, translator)
    translate_everything(j, translator_page)
    change_phase(j, coordinator, "consultation", deadline="2099-01-01T10:00")
    amendment_url = comment_and_amend(j, j.browser_of(people["member"]))
    accept_and_try_signon(j, coordinator, amendment_url)
    update_translation(j, translator_page)
    change_phase(j, coordinator, "signon")
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).phase == "signon"
    sign_in_urdu(j, j.browser_of(people["representative"], javascript=False))
    submission = submit(j, coordinator)
    visitor = j.browser_of(None)
    read_both_and_check_the_pdf(j, visitor, submission, tmp_path / "dossier.pdf")
    verify(j, visitor, submission.sha256)
    reading_in_urdu_and_on_a_phone(j, visitor)
    j.close()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_translation_pages_pass_axe(live_server, browser, client, people, make_declaration, language):
    """axe-core on the pages issue 25 added, in each interface language, as their users see them: the
    languages page before and after the declaration is bilingual, the translation of the title and of a part
    (one whose original changed since), the reading page side by side and the sign page in each language."""
    app, base = live_server
    draft = make_declaration("drafting", title="Declaration on shelters")
    signing = make_declaration("drafting", visibility="public")
    make_bilingual_and_sign_on(app, people, signing.id)
    login(client, people["coordinator"].email)
    client.post(f"/declarations/{draft.id}/languages/bilingual", data={"translation_language": "ur"})
    client.post("/logout")
    with app.test_request_context():  # a part translated, then its English changed: its Urdu needs translation
        from app.declarations import services
        from app.declarations.models import Section
        coordinator = db.session.get(User, people["coordinator"].id)
        section = db.session.get(Section, draft.sections[0])
        services.edit_section(coordinator, section, base_revision_id=0, heading="تمہید",
                              body="ہم، تنظیمیں، کارروائی کا **مطالبہ** کرتی ہیں۔", language="ur")
        services.edit_section(coordinator, section, base_revision_id=section.current.id, heading="Preamble",
                              body="We, the organizations, **demand** action now.")
        db.session.commit()
    english_only = make_declaration("drafting", title="Declaration on smuggling")
    read, sign_page = f"/declarations/{signing.id}", f"/declarations/{signing.id}/sign"
    pages = {"coordinator": [("languages page of a one-language draft", f"/declarations/{english_only.id}/languages"),
                             ("languages page", f"/declarations/{draft.id}/languages"),
                             ("title translation", f"/declarations/{draft.id}/translate/title"),
                             ("part translation", f"/declarations/{draft.id}/translate/section/{draft.sections[0]}"),
                             ("recommendation translation",
                              f"/declarations/{draft.id}/translate/recommendation/{draft.recommendations[0]}")],
             "visitor": [(f"reading page, {text}", f"{read}?text={text}") for text in ("both", "en", "ur")],
             "representative": [(f"sign page, {text}", f"{sign_page}?text={text}") for text in ("both", "en", "ur")]}
    found = []
    for role, paths in pages.items():
        context = browser.new_context(bypass_csp=True, viewport={"width": 1000, "height": 900})  # axe is inline
        page = context.new_page()
        if role != "visitor":
            log_in(page, base, people[role].email, app)
        page.goto(base + "/")
        if language == "ur":
            page.click("header button[name=language][value=ur]")
        for name, path in paths:
            response = page.goto(base + path)
            assert response.status == 200, f"{role} {name} {path}: {response.status}"
            assert page.get_attribute("html", "lang") == language
            check(page, f"{language} {role} {name} ({path})", found)
            if "/translate/" in path:
                fields = page.locator("main form input:not([type=hidden]), main form textarea")
                assert fields.count() and all(f.get_attribute("name") for f in fields.all())
                assert_written_in_urdu(page, *(f"main form [name={f.get_attribute('name')}]" for f in fields.all()),
                                       interface=language)
        if role == "coordinator":  # the translation form in its error state
            page.goto(base + f"/declarations/{draft.id}/translate/section/{draft.sections[1]}")
            page.fill("input[name=heading]", "")
            page.click("main form button[type=submit]")
            assert page.locator(".error, .alert-error").count()
            check(page, f"{language} part translation, error state", found)
        context.close()
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)

