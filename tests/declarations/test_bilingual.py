"""Two languages, one text (app/declarations/translation.py, languages.py): a declaration made bilingual, its
parts marked as needing translation by a change to the other language, translators limited to the second
language, sign-on held until nothing needs translation, and one hash over both texts."""
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.accounts.models import User
from app.declarations import services, translation
from app.declarations.models import Declaration, Section
from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.time import utcnow
from tests.helpers import login


def _load(app, people, declaration_id):
    coordinator = db.session.get(User, people["coordinator"].id)
    return coordinator, db.session.get(Declaration, declaration_id)


@pytest.fixture
def bilingual(app, people, make_declaration):
    """A draft with one section and one recommendation, made bilingual (Urdu), the member named translator."""
    declaration = make_declaration("drafting")
    with app.app_context():
        coordinator, declaration = _load(app, people, declaration.id)
        translation.make_bilingual(coordinator, declaration, language="ur")
        translation.set_translators(coordinator, declaration, [db.session.get(User, people["member"].id)])
        db.session.commit()
        return declaration.id


def _part(declaration_id, model=Section):
    return db.session.scalars(select(model).where(model.declaration_id == declaration_id)).first()


def test_making_bilingual_marks_every_part_and_the_title(app, people, bilingual):
    with app.app_context():
        declaration = db.session.get(Declaration, bilingual)
        waiting = translation.needing_translation(declaration)
        assert waiting.title and waiting.sections and waiting.recommendations
        assert waiting.count == 1 + len(waiting.sections) + len(waiting.recommendations)
        assert {p.needs_translation for p in services.live_sections(bilingual)} == {"ur"}


def test_a_translator_writes_the_second_language_and_nothing_else(app, people, bilingual):
    with app.app_context():
        member = db.session.get(User, people["member"].id)
        section = _part(bilingual)
        revision = services.edit_section(member, section, base_revision_id=0, heading="تعارف",
                                         body="انسانی اسمگلنگ کے خلاف", language="ur")
        assert (revision.language, revision.author_id, section.translation) == ("ur", member.id, revision)
        assert section.needs_translation is None and section.current.language == "en"
        with pytest.raises(NotAllowed):  # the original language is not the translator's to change
            services.edit_section(member, section, base_revision_id=section.current_revision_id, heading="x", body="y")
        with pytest.raises(NotAllowed):
            translation.make_bilingual(member, section.declaration, language="en")


def test_a_change_to_one_language_marks_the_other_until_it_catches_up_or_is_confirmed(app, people, bilingual):
    with app.app_context():
        coordinator, declaration = _load(app, people, bilingual)
        section = _part(bilingual)
        services.edit_section(coordinator, section, base_revision_id=0, heading="تعارف", body="متن", language="ur")
        assert section.needs_translation is None
        services.edit_section(coordinator, section, base_revision_id=section.current_revision_id,
                              heading="Introduction", body="Changed English text")
        assert section.needs_translation == "ur"  # the Urdu now lags behind, in the same transaction
        services.edit_section(coordinator, section, base_revision_id=section.translation_revision_id,
                              heading="تعارف", body="نیا متن", language="ur")
        assert section.needs_translation is None  # caught up
        services.edit_section(coordinator, section, base_revision_id=section.translation_revision_id,
                              heading="تعارف", body="نیا اردو متن", language="ur")
        assert section.needs_translation == "en"  # a change to the Urdu alone marks the English
        translation.confirm_needs_no_translation(coordinator, declaration, section)
        assert section.needs_translation is None


def test_sign_on_waits_for_every_translation_and_the_hash_binds_both(app, people, bilingual):
    with app.test_request_context():
        coordinator, declaration = _load(app, people, bilingual)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        services.change_phase(coordinator, declaration, "revision")
        with pytest.raises(RuleError, match="need translation"):
            services.change_phase(coordinator, declaration, "signon")
        translation.translate_title(coordinator, declaration, base_edit_count=declaration.edit_count,
                                    title="انسانی اسمگلنگ پر اعلامیہ", summary="")
        for part in [*services.live_sections(bilingual), *services.live_recommendations(bilingual)]:
            edit = services.edit_section if part.kind == "section" else services.edit_recommendation
            fields = {"heading": "حصہ", "body": "متن"} if part.kind == "section" else {"text": "سفارش"}
            edit(coordinator, part, base_revision_id=0, language="ur", **fields)
        english_only = services.content_hash({k: v for k, v in services.canonical_content(declaration).items()
                                              if k not in ("language", "translation")})
        version = services.change_phase(coordinator, declaration, "signon")
        assert version.content["translation"]["language"] == "ur"
        assert version.content["translation"]["title"] == "انسانی اسمگلنگ پر اعلامیہ"
        assert version.sha256 != english_only  # the Urdu is inside the hash
        before = version.sha256
        services.change_phase(coordinator, declaration, "revision")
        section = _part(bilingual)
        services.edit_section(coordinator, section, base_revision_id=section.translation_revision_id,
                              heading="حصہ", body="بدلا ہوا متن", language="ur")
        translation.confirm_needs_no_translation(coordinator, declaration, section)
        assert services.change_phase(coordinator, declaration, "signon").sha256 != before


def test_a_declaration_in_one_language_keeps_the_content_it_always_had(app, people, make_declaration):
    declaration = make_declaration("drafting")
    with app.app_context():
        declaration = db.session.get(Declaration, declaration.id)
        assert set(services.canonical_content(declaration)) == {"title", "sections", "recommendations"}
        coordinator = db.session.get(User, people["coordinator"].id)
        section = services.live_sections(declaration.id)[0]
        services.edit_section(coordinator, section, base_revision_id=section.current_revision_id, heading="H", body="B")
        assert section.needs_translation is None and section.translation is None


def _translate_everything(coordinator, declaration):
    translation.translate_title(coordinator, declaration, base_edit_count=declaration.edit_count,
                                title="انسانی اسمگلنگ کے خلاف اعلامیہ", summary="اتحاد کی سفارشات")
    for part in [*services.live_sections(declaration.id), *services.live_recommendations(declaration.id)]:
        if part.kind == "section":
            services.edit_section(coordinator, part, base_revision_id=0, language="ur", heading="متاثرین کا تحفظ",
                                  body="ریاست **متاثرین** کی حفاظت کرے۔")
        else:
            services.edit_recommendation(coordinator, part, base_revision_id=0, language="ur",
                                         text="اسمگلنگ کے مقدمات کے لیے خصوصی عدالتیں قائم کی جائیں۔")


def test_the_reading_page_shows_either_language_or_both_each_in_its_own_direction(app, client, people, bilingual):
    with app.test_request_context():
        coordinator, declaration = _load(app, people, bilingual)
        _translate_everything(coordinator, declaration)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        db.session.commit()
    login(client, people["member"].email)
    english = client.get(f"/declarations/{bilingual}").get_data(as_text=True)
    assert "خصوصی عدالتیں" not in english and "equally authentic" in english
    urdu = BeautifulSoup(client.get(f"/declarations/{bilingual}?text=ur").get_data(as_text=True), "html.parser")
    texts = urdu.select(".text-in")
    assert texts and all(t["lang"] == "ur" and t["dir"] == "rtl" for t in texts)
    assert "خصوصی عدالتیں" in urdu.get_text() and urdu.h1.get_text() == "انسانی اسمگلنگ کے خلاف اعلامیہ"
    both = BeautifulSoup(client.get(f"/declarations/{bilingual}?text=both").get_data(as_text=True), "html.parser")
    pairs = both.select(".in-languages.side-by-side")
    assert pairs and all([t["lang"] for t in pair.select(".text-in")] == ["en", "ur"] for pair in pairs)
    # The Urdu interface shows the Urdu text by default.
    client.post("/language", data={"language": "ur"})
    default = BeautifulSoup(client.get(f"/declarations/{bilingual}").get_data(as_text=True), "html.parser")
    assert {t["lang"] for t in default.select(".text-in")} == {"ur"}


def test_a_part_waiting_for_translation_says_so_and_shows_the_original(app, client, people, bilingual):
    with app.test_request_context():
        coordinator, declaration = _load(app, people, bilingual)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        db.session.commit()
    login(client, people["member"].email)
    page = BeautifulSoup(client.get(f"/declarations/{bilingual}?text=ur").get_data(as_text=True), "html.parser")
    notes = page.select(".translation-note")
    assert notes and "Not translated yet" in notes[0].get_text()
    assert {t["lang"] for t in page.select(".text-in")} == {"en"}  # the English shown is marked English


def test_the_sign_page_shows_both_texts_as_equally_authentic(app, client, people, bilingual):
    with app.test_request_context():
        coordinator, declaration = _load(app, people, bilingual)
        _translate_everything(coordinator, declaration)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        services.change_phase(coordinator, declaration, "revision")
        services.change_phase(coordinator, declaration, "signon")
        db.session.commit()
    login(client, people["representative"].email)
    page = client.get(f"/declarations/{bilingual}/sign?text=both").get_data(as_text=True)
    assert "equally authentic" in page and "خصوصی عدالتیں" in page and "side-by-side" in page


def test_comments_and_amendments_say_which_text_and_an_accepted_amendment_marks_the_other(app, people, bilingual):
    from app.amendments import services as amendments
    from app.comments import services as comments
    with app.test_request_context():
        coordinator, declaration = _load(app, people, bilingual)
        _translate_everything(coordinator, declaration)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        member = db.session.get(User, people["member"].id)
        section = _part(bilingual)
        comment = comments.add_comment(member, declaration, body="یہ لفظ واضح نہیں۔", section=section, language="ur")
        assert comment.language == "ur"
        assert comments.add_comment(member, declaration, body="Unclear.", section=section).language == "en"
        with pytest.raises(RuleError):
            comments.add_comment(member, declaration, body="?", section=section, language="fr")
        proposal = amendments.propose(member, declaration, section, text="ریاست متاثرین کی مکمل حفاظت کرے۔",
                                      rationale="واضح تر", language="ur")
        assert (proposal.language, proposal.base_revision_id) == ("ur", section.translation_revision_id)
        services.change_phase(coordinator, declaration, "revision")
        revision = amendments.accept(coordinator, proposal)
        assert (revision.language, section.translation, section.current.language) == ("ur", revision, "en")
        assert section.needs_translation == "en"  # the English now lags behind the accepted Urdu wording


def test_versions_compare_in_each_language(app, client, people, bilingual):
    with app.test_request_context():
        coordinator, declaration = _load(app, people, bilingual)
        _translate_everything(coordinator, declaration)
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        services.change_phase(coordinator, declaration, "revision")
        section = _part(bilingual)
        services.edit_section(coordinator, section, base_revision_id=section.translation_revision_id,
                              heading="متاثرین کا تحفظ", body="ریاست **متاثرین** کی مکمل حفاظت کرے۔", language="ur")
        translation.confirm_needs_no_translation(coordinator, declaration, section)
        services.change_phase(coordinator, declaration, "signon")
        db.session.commit()
    login(client, people["member"].email)
    urdu = client.get(f"/declarations/{bilingual}/compare?from=2&to=3&text=ur").get_data(as_text=True)
    inserted = [tag.get_text() for tag in BeautifulSoup(urdu, "html.parser").select(".diff-in-language ins")]
    assert any("مکمل" in text for text in inserted), inserted
    assert 'lang="ur" dir="rtl" class="diff-in-language"' in urdu
    english = client.get(f"/declarations/{bilingual}/compare?from=2&to=3&text=en").get_data(as_text=True)
    assert "The text is the same in both versions." in english  # only the Urdu changed
