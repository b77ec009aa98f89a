"""Search in both languages (app/search): a bilingual declaration's Urdu title, sections and recommendations are
found by Urdu words and shown, and linked to, in Urdu; a translation saved again is searched as saved; Urdu
typed in its other usual ways (Arabic-keyboard letters, vowel marks, hamza or yeh, Urdu digits) finds the same
words on SQLite and PostgreSQL alike; comments written in Urdu are found."""
from datetime import timedelta
from urllib.parse import quote

import pytest

from app.accounts.models import User
from app.comments.services import add_comment
from app.declarations import services, translation
from app.declarations.models import Declaration, Recommendation, Section
from app.extensions import db
from app.search.services import search
from app.search.text import fold, snippet, words
from app.time import utcnow
from tests.helpers import login

TITLE = "انسانی اسمگلنگ اور تارکینِ وطن کی اسمگلنگ پر اعلامیہ"
SUMMARY = "حکومت کے لیے اتحاد کی سفارشات۔"
HEADING = "پس منظر"
BODY = "منظم جرائم کے گروہ انسانی اسمگلنگ سے منافع کماتے ہیں، اور اس کا سب سے زیادہ نقصان متاثرین کو ہوتا ہے۔"
SHELTERS = "ہر صوبے میں متاثرین کے لیے پناہ گاہیں قائم کی جائیں۔"


@pytest.fixture
def bilingual(app, people, make_declaration):
    """A members-only declaration made bilingual while drafting, its title, one section and one
    recommendation translated into Urdu, then opened for consultation."""
    made = make_declaration("drafting")
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, made.id)
        translation.make_bilingual(coordinator, declaration, language="ur")
        translation.translate_title(coordinator, declaration, base_edit_count=declaration.edit_count, title=TITLE,
                                    summary=SUMMARY)
        services.edit_section(coordinator, db.session.get(Section, made.sections[1]), base_revision_id=0,
                              heading=HEADING, body=BODY, language="ur")
        services.edit_recommendation(coordinator, db.session.get(Recommendation, made.recommendations[1]),
                                     base_revision_id=0, text=SHELTERS, language="ur")
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=7))
        db.session.commit()
    return made


def _found(app, people, query, role="member", prefer=None):
    with app.test_request_context():
        return [(r["kind"], r["object"].id, r["language"]) for r in
                search(query, db.session.get(User, people[role].id), prefer=prefer)]


def test_urdu_words_find_the_urdu_title_sections_and_recommendations(app, people, bilingual):
    assert _found(app, people, "تارکین وطن") == [("declaration", bilingual.id, "ur")]
    assert _found(app, people, "منافع") == [("section", bilingual.sections[1], "ur")]
    assert _found(app, people, "پناہ گاہیں") == [("recommendation", bilingual.recommendations[1], "ur")]
    found = _found(app, people, "متاثرین")
    assert sorted(found) == sorted([("section", bilingual.sections[1], "ur"),
                                    ("recommendation", bilingual.recommendations[1], "ur")])
    assert _found(app, people, "اسمگ") and _found(app, people, "اسمگلنگ")  # a half-typed last word too
    # The English text is still found, once per part, and shown in English.
    assert _found(app, people, "shelters") == [("recommendation", bilingual.recommendations[1], "en")]
    assert _found(app, people, "rising") == [("section", bilingual.sections[1], "en")]


def test_urdu_typed_in_its_other_usual_ways_finds_the_same_words(app, people, bilingual):
    expected = {("section", bilingual.sections[1], "ur"), ("recommendation", bilingual.recommendations[1], "ur")}
    for query in ("متاثرين",  # with the Arabic keyboard's yeh
                  "مُتاثرین",  # with a vowel mark, which would split the word on SQLite
                  "متا\u0640ثرین"):  # with a tatweel
        assert set(_found(app, people, query)) == expected, query
    assert _found(app, people, "منظم جرائم كے") == [("section", bilingual.sections[1], "ur")]  # Arabic kaf


def test_a_translation_saved_again_is_searched_as_saved(app, people, bilingual):
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, bilingual.id)
        services.change_phase(coordinator, declaration, "revision")
        section = db.session.get(Section, bilingual.sections[1])
        services.edit_section(coordinator, section, base_revision_id=section.translation_revision_id,
                              heading=HEADING, body="سرحدی علاقوں میں بھتہ خوری بڑھ رہی ہے۔", language="ur")
        translation.translate_title(coordinator, declaration, base_edit_count=declaration.edit_count,
                                    title="منظم جرائم پر اعلامیہ", summary=SUMMARY)
        db.session.commit()
    assert _found(app, people, "بھتہ خوری") == [("section", bilingual.sections[1], "ur")]
    assert _found(app, people, "منافع") == []  # the old Urdu text is no longer searched
    assert _found(app, people, "اعلامیہ") == [("declaration", bilingual.id, "ur")]
    assert _found(app, people, "تارکین") == []
    assert _found(app, people, "rising") == [("section", bilingual.sections[1], "en")]  # the English stays


def test_a_word_in_both_languages_shows_the_readers_language(app, people, bilingual):
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, bilingual.id)
        services.change_phase(coordinator, declaration, "revision")
        recommendation = db.session.get(Recommendation, bilingual.recommendations[0])
        services.edit_recommendation(coordinator, recommendation, base_revision_id=0, language="ur",
                                     text="FIA میں خصوصی استغاثہ یونٹ بنائے جائیں۔")
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current_revision_id,
                                     text="Create specialised FIA prosecution units.", pillar="pursue",
                                     themes=["trafficking"], addressees=[])
        db.session.commit()
    one = [("recommendation", bilingual.recommendations[0])]
    assert [f[:2] for f in _found(app, people, "FIA", prefer="ur")] == one
    assert _found(app, people, "FIA", prefer="ur")[0][2] == "ur"
    assert _found(app, people, "FIA", prefer="en")[0][2] == "en"


def test_the_results_page_shows_urdu_as_urdu_and_links_to_the_urdu_text(app, client, people, bilingual):
    login(client, people["member"].email)
    page = client.get("/search?q=" + quote("منافع")).get_data(as_text=True)
    assert f'<a href="/declarations/{bilingual.id}?text=ur#s{bilingual.sections[1]}" lang="ur" dir="rtl">' \
           f"{HEADING}</a>" in page
    # The declaration beside the result is named in the reader's language (the Urdu title for an Urdu reader).
    assert '<span class="meta"><bdi lang="en" dir="auto">Declaration on trafficking</bdi></span>' in page
    assert "منظم جرائم کے گروہ انسانی اسمگلنگ" in page  # the snippet, as written (not folded)
    client.post("/language", data={"language": "ur"})
    in_urdu = client.get("/search?q=" + quote("منافع")).get_data(as_text=True)
    assert f'<span class="meta"><bdi lang="ur" dir="auto">{TITLE}</bdi></span>' in in_urdu
    client.post("/language", data={"language": "en"})
    english = client.get("/search?q=rising").get_data(as_text=True)
    assert f'href="/declarations/{bilingual.id}?text=en#s{bilingual.sections[1]}" lang="en" dir="ltr">Context' \
        in english


def test_comments_written_in_urdu_are_found_by_their_words(app, client, people, consultation):
    body = "بھٹہ مالکان مزدوروں کو قرض کا حساب کبھی نہیں دکھاتے۔ ہر مزدور کو اس کے کھاتے کی نقل دی جائے۔"
    with app.app_context():
        comment = add_comment(db.session.get(User, people["representative"].id),
                              db.session.get(Declaration, consultation.id),
                              body=body, recommendation=db.session.get(Recommendation, consultation.recommendations[0]))
        db.session.commit()
        comment_id = comment.id
    assert _found(app, people, "کھاتے کی نقل") == [("comment", comment_id, None)]
    assert _found(app, people, "بھٹہ مالكان") == [("comment", comment_id, None)]  # Arabic kaf typed
    login(client, people["member"].email)
    page = client.get("/search?q=" + quote("مزدوروں")).get_data(as_text=True)
    assert "1 result" in page and f'<span class="meta" dir="auto">{body[:60]}' in page


def test_folding_keeps_english_and_brings_urdu_variants_together():
    assert fold("Victims of trafficking, 2026.") == "Victims of trafficking, 2026."
    assert fold("متاثرين") == fold("مُتاثرین") == "متاثرین"
    assert fold("لئے") == fold("لیے") and fold("مؤثر") == fold("موثر") and fold("ادارۂ") == fold("ادارہ")
    assert fold("ہ\u0654") == fold("ۂ")  # decomposed and composed alike
    assert fold("۲۰۲۶") == "2026" and words("بین\u200cالاقوامی") == ["بین", "الاقوامی"]
    assert words("سفارش۔ نمبر؟") == ["سفارش", "نمبر"]


def test_the_snippet_is_the_text_as_written_around_the_word_found():
    text = "ابتدا " * 30 + "ہر صوبے میں مُتاثرین کے لیے پناہ گاہیں۔"
    shown = snippet(text, words("متاثرين"))
    assert shown.startswith("… ") and "مُتاثرین کے لیے" in shown
    assert snippet("Short text.", words("text")) == "Short text."
