"""Amendments on a bilingual declaration (issue 25, point 4): a proposal is written on one language's text (the
one being read, ?text=), pre-filled with it in its own lang and dir; the list and the proposal's page say which
text it changes and show the change in that text's direction; accepting it writes that language's text and
says the other's now needs translation, with a link to the translation page; a merge starts from that
language's text. A part not yet written in a language takes no proposal on it, the text kept."""
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.accounts.models import User
from app.amendments.models import Amendment
from app.comments.models import Comment
from app.declarations import services
from app.declarations.models import Section
from app.extensions import db
from tests.helpers import URDU_SECTIONS, login, make_bilingual

URDU_PROPOSAL = "ہم، تنظیمیں، فوری **کارروائی** کا مطالبہ کرتے ہیں۔"


def _propose_url(d, index=0):
    return f"/declarations/{d.id}/section/{d.sections[index]}/amend"


def _amendment(app) -> Amendment:
    with app.app_context():
        return db.session.scalar(select(Amendment).order_by(Amendment.id.desc()))


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _section(app, section_id) -> tuple[int, int | None, str | None]:
    """The section's English and Urdu revision ids and which language lags."""
    with app.app_context():
        section = db.session.get(Section, section_id)
        return section.current_revision_id, section.translation_revision_id, section.needs_translation


def test_a_proposal_on_the_urdu_text_is_written_shown_and_accepted_in_urdu(app, client, people, make_declaration,
                                                                          mailbox):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["representative"].email)
    form = _soup(client.get(_propose_url(d) + "?text=ur"))
    textarea = form.select_one("textarea[name=text]")
    assert (textarea["lang"], textarea["dir"], textarea.get_text().strip()) == ("ur", "rtl", URDU_SECTIONS[0][1])
    assert form.select_one("input[name=language]")["value"] == "ur"
    assert form.select_one(".language-switch a[aria-current]")["lang"] == "ur"
    english = _soup(client.get(_propose_url(d)))  # the English interface reads the English text
    assert english.select_one("textarea[name=text]")["lang"] == "en"
    assert "**demand**" in english.select_one("textarea[name=text]").get_text()

    response = client.post(_propose_url(d), data={"language": "ur", "text": URDU_PROPOSAL, "rationale": "فوری۔"})
    assert response.status_code == 302
    amendment = _amendment(app)
    english_id, urdu_id, _lag = _section(app, d.sections[0])
    assert (amendment.language, amendment.base_revision_id) == ("ur", urdu_id)
    for url in (f"/amendments/{amendment.id}", f"/declarations/{d.id}/amendments"):
        page = _soup(client.get(url))
        assert page.select_one(".amended .badge-language").get_text() == "on the Urdu text", url
        diff = page.select_one(".diff-text")
        assert (diff["lang"], diff["dir"]) == ("ur", "rtl") and "فوری" in diff.select_one("ins").get_text(), url
    client.post("/logout")

    login(client, people["coordinator"].email)
    with app.test_request_context():
        services.change_phase(db.session.get(User, people["coordinator"].id),
                              db.session.get(Section, d.sections[0]).declaration, "revision")
        db.session.commit()
    response = client.post(f"/amendments/{amendment.id}/accept")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The English text of this part now needs translation." in page  # the flash, and the page says it
    languages = f"/declarations/{d.id}/languages#s{d.sections[0]}"
    assert BeautifulSoup(page, "html.parser").select_one(f'.alert a[href="{languages}"]') is not None
    new_english, new_urdu, lag = _section(app, d.sections[0])
    assert new_english == english_id and new_urdu != urdu_id and lag == "en"
    with app.app_context():
        section = db.session.get(Section, d.sections[0])
        assert section.translation.body_source == URDU_PROPOSAL
        assert section.translation.author_id == people["representative"].id
    assert "1 part needs translation" in client.get(f"/declarations/{d.id}/languages").get_data(as_text=True)


def test_a_merge_starts_from_the_text_in_the_amendments_language(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["member"].email)
    client.post(_propose_url(d, 1), data={"language": "ur", "text": "انسانی اسمگلنگ تیزی سے بڑھ رہی ہے۔",
                                          "rationale": "زیادہ درست۔"})
    amendment = _amendment(app)
    client.post("/logout")
    with app.test_request_context():  # the Urdu text moves on after the proposal
        coordinator = db.session.get(User, people["coordinator"].id)
        section = db.session.get(Section, d.sections[1])
        services.change_phase(coordinator, section.declaration, "revision")
        services.edit_section(coordinator, section, base_revision_id=section.translation_revision_id,
                              heading="پس منظر", body="انسانی اسمگلنگ بڑھ رہی ہے، رپورٹوں کے مطابق۔", language="ur")
        db.session.commit()
    english_id, urdu_id, _lag = _section(app, d.sections[1])
    login(client, people["coordinator"].email)
    response = client.post(f"/amendments/{amendment.id}/accept")
    assert response.headers["Location"].endswith(f"/amendments/{amendment.id}/merge")
    merge = client.get(f"/amendments/{amendment.id}/merge")
    page = _soup(merge)
    assert merge.status_code == 409 and page.select_one("input[name=base_revision_id]")["value"] == str(urdu_id)
    assert "رپورٹوں کے مطابق" in page.select_one("pre.source").get_text()
    assert (page.select_one("textarea[name=text]")["lang"], page.select_one("pre.source")["dir"]) == ("ur", "rtl")
    merged = "انسانی اسمگلنگ تیزی سے بڑھ رہی ہے، رپورٹوں کے مطابق۔"
    assert client.post(f"/amendments/{amendment.id}/merge",
                       data={"base_revision_id": str(urdu_id), "text": merged}).status_code == 302
    with app.app_context():
        section = db.session.get(Section, d.sections[1])
        assert section.translation.body_source == merged and section.current_revision_id == english_id
        assert section.needs_translation == "en"


def test_an_english_proposal_accepted_marks_the_urdu(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["member"].email)
    client.post(_propose_url(d, 1) + "?text=ur", data={"language": "en", "text": "Trafficking is rising fast.",
                                                       "rationale": "Sharper."})
    amendment = _amendment(app)
    assert amendment.language == "en"
    client.post("/logout")
    login(client, people["coordinator"].email)
    with app.test_request_context():
        services.change_phase(db.session.get(User, people["coordinator"].id),
                              db.session.get(Section, d.sections[1]).declaration, "revision")
        db.session.commit()
    page = client.get(client.post(f"/amendments/{amendment.id}/accept").headers["Location"]).get_data(as_text=True)
    assert "The Urdu text of this part now needs translation." in page
    assert _section(app, d.sections[1])[2] == "ur"


def test_a_part_not_yet_in_urdu_takes_no_proposal_on_its_urdu_text(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"), translate=False)
    login(client, people["member"].email)
    form = _soup(client.get(_propose_url(d) + "?text=ur"))
    assert "no text in that language yet" in form.select_one(".alert").get_text()
    response = client.post(_propose_url(d), data={"language": "ur", "text": URDU_PROPOSAL, "rationale": "فوری۔"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert URDU_PROPOSAL in page and "no text in that language yet" in page  # the text is kept
    refused = client.post(_propose_url(d), data={"language": "fr", "text": "Changed.", "rationale": "Why not."})
    assert refused.status_code == 422 and "Changed." in refused.get_data(as_text=True)
    assert _amendment(app) is None


def test_the_discussion_of_an_amendment_is_on_its_text(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["member"].email)
    client.post(_propose_url(d), data={"language": "ur", "text": URDU_PROPOSAL, "rationale": "فوری۔"})
    amendment = _amendment(app)
    page = _soup(client.get(f"/amendments/{amendment.id}"))
    assert not page.select("#comment-form input[name=language]")  # nothing to ask: the amendment says it
    client.post(f"/amendments/{amendment.id}", data={"body": "بہتر ہے۔"})
    with app.app_context():
        assert db.session.scalar(select(Comment.language).where(Comment.amendment_id == amendment.id)) == "ur"


def test_a_declaration_in_one_language_proposes_as_before(app, client, people, consultation):
    login(client, people["member"].email)
    form = _soup(client.get(f"/declarations/{consultation.id}/recommendation/{consultation.recommendations[0]}/amend"))
    assert not form.select("input[name=language], .language-switch, .badge-language")
    assert "lang" not in form.select_one("textarea[name=text]").attrs
    client.post(f"/declarations/{consultation.id}/recommendation/{consultation.recommendations[0]}/amend",
                data={"language": "ur", "text": "Create prosecution units.", "rationale": "Shorter."})
    assert _amendment(app).language is None
    page = _soup(client.get(f"/amendments/{_amendment(app).id}"))
    assert not page.select(".badge-language") and page.select_one(".diff-text")["dir"] == "auto"
