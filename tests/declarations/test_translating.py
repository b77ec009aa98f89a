"""The translation pages (app/declarations/translating.py): a coordinator makes a draft bilingual and names a
translator; the translator writes the title and each part beside the original and can touch nothing else; the
coordinator confirms a typo needs no translation; what waits is on the edit page, the translation page and the
coordinator's home; a wrong form keeps the text."""
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.declarations.models import Declaration, Recommendation, Section
from app.extensions import db
from tests.helpers import login


def _ids(app, declaration_id):
    """The declaration's sections' and recommendations' ids (the fixture makes two and three)."""
    with app.app_context():
        sections = db.session.scalars(select(Section.id).where(Section.declaration_id == declaration_id)).all()
        recommendations = db.session.scalars(select(Recommendation.id)
                                             .where(Recommendation.declaration_id == declaration_id)).all()
        return sections, recommendations


def test_a_draft_made_bilingual_and_translated_through_the_pages(app, client, people, make_declaration):
    declaration = make_declaration("drafting")
    section_ids, recommendation_ids = _ids(app, declaration.id)
    section_id = section_ids[0]
    base = f"/declarations/{declaration.id}"
    login(client, people["coordinator"].email)
    page = client.get(f"{base}/languages").get_data(as_text=True)
    assert "Make the declaration bilingual" in page
    assert client.post(f"{base}/languages/bilingual", data={"translation_language": "ur"}).status_code == 302
    assert client.post(f"{base}/languages/translators",
                       data={"translators": [str(people["member"].id)]}).status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "6 parts need translation" in home  # the title and summary, two sections, three recommendations
    client.post("/logout")

    login(client, people["member"].email)
    assert client.get(f"{base}/edit").status_code == 403  # a translator edits no original text
    form = BeautifulSoup(client.get(f"{base}/translate/section/{section_id}").get_data(as_text=True), "html.parser")
    assert form.select_one(".original-text")["lang"] == "en"
    empty = client.post(f"{base}/translate/section/{section_id}", data={"base_revision_id": "0", "heading": "تعارف",
                                                                          "body": ""})
    assert empty.status_code == 422 and "تعارف" in empty.get_data(as_text=True)  # the text is kept
    for item_id in section_ids:
        assert client.post(f"{base}/translate/section/{item_id}", data={
            "base_revision_id": "0", "heading": "تعارف", "body": "انسانی اسمگلنگ کے خلاف۔"}).status_code == 302
    for item_id in recommendation_ids:
        assert client.post(f"{base}/translate/recommendation/{item_id}", data={
            "base_revision_id": "0", "text": "خصوصی عدالتیں قائم کی جائیں۔"}).status_code == 302
    edit_count = db_edit_count(app, declaration.id)
    assert client.post(f"{base}/translate/title", data={"edit_count": str(edit_count), "title": "اعلامیہ",
                                                       "summary": ""}).status_code == 302
    assert client.post(f"{base}/languages/bilingual", data={"translation_language": "en"}).status_code == 403
    languages = client.get(f"{base}/languages").get_data(as_text=True)
    assert "Every part is in both languages." in languages
    client.post("/logout")

    # A typo fixed in the English marks the Urdu; the coordinator says it needs no translation.
    login(client, people["coordinator"].email)
    with app.app_context():
        current = db.session.get(Section, section_id).current
        heading, revision_id = current.heading, current.id
    client.post(f"{base}/section/{section_id}/edit", data={"base_revision_id": str(revision_id), "heading": heading,
                                                           "body": "A typo fixed."})
    assert "1 part needs translation" in client.get(f"{base}/languages").get_data(as_text=True)
    assert client.post(f"{base}/translate/section/{section_id}/no-change").status_code == 302
    assert "Every part is in both languages." in client.get(f"{base}/languages").get_data(as_text=True)


def db_edit_count(app, declaration_id) -> int:
    with app.app_context():
        return db.session.get(Declaration, declaration_id).edit_count


def test_people_outside_the_declaration_cannot_translate(app, client, people, make_declaration):
    declaration = make_declaration("drafting")
    section_id = _ids(app, declaration.id)[0][0]
    login(client, people["coordinator"].email)
    client.post(f"/declarations/{declaration.id}/languages/bilingual", data={"translation_language": "ur"})
    client.post("/logout")
    login(client, people["expert"].email)
    assert client.get(f"/declarations/{declaration.id}/translate/section/{section_id}").status_code in (403, 404)
    assert client.post(f"/declarations/{declaration.id}/translate/section/{section_id}",
                       data={"base_revision_id": "0", "heading": "x", "body": "y"}).status_code in (403, 404)


def test_a_declaration_is_created_in_the_language_of_its_text(app, client, people):
    login(client, people["coordinator"].email)
    form = BeautifulSoup(client.get("/declarations/new").get_data(as_text=True), "html.parser")
    labels = {label.get_text(): (label["lang"], label["dir"]) for label in form.select("#language label")}
    assert labels == {"English": ("en", "ltr"), "اردو": ("ur", "rtl")}
    assert [radio["value"] for radio in form.select("input[name=language][checked]")] == ["en"]
    assert form.select_one("input[name=title]")["dir"] == form.select_one("textarea[name=summary]")["dir"] == "auto"
    fields = {"kind": "declaration", "summary": "اتحاد کی سفارشات۔", "moderation": "post", "visibility": "members"}
    refused = client.post("/declarations/new", data={**fields, "title": "اعلامیہ", "language": "fr"})
    assert refused.status_code == 422 and "اتحاد کی سفارشات۔" in refused.get_data(as_text=True)
    response = client.post("/declarations/new", data={**fields, "title": "انسانی اسمگلنگ پر اعلامیہ", "language": "ur"})
    assert response.status_code == 302
    with app.app_context():
        declaration = db.session.scalar(select(Declaration).order_by(Declaration.id.desc()))
        assert (declaration.language, declaration.translation_language) == ("ur", None)
    assert client.post("/declarations/new", data={**fields, "title": "Lahore Declaration"}).status_code == 302
    with app.app_context():  # sent without a language (a script): English, as before
        assert db.session.scalar(select(Declaration.language).where(Declaration.title == "Lahore Declaration")) == "en"
    settings = BeautifulSoup(client.get(f"/declarations/{declaration.id}/settings").get_data(as_text=True),
                             "html.parser")
    assert not settings.select("input[name=language]")  # the original language is not changed later
    assert settings.select_one("input[name=title]")["dir"] == "auto"


def test_the_edit_page_shows_each_parts_translation_state(app, client, people, make_declaration):
    declaration = make_declaration("drafting")
    base = f"/declarations/{declaration.id}"
    login(client, people["coordinator"].email)
    assert "needs translation" not in client.get(f"{base}/edit").get_data(as_text=True)
    client.post(f"{base}/languages/bilingual", data={"translation_language": "ur"})
    page = BeautifulSoup(client.get(f"{base}/edit").get_data(as_text=True), "html.parser")
    states = [p.get_text(" ", strip=True) for p in page.select(".edit-item .translation-state")]
    assert len(states) == 5 and all("needs translation" in state for state in states)
