"""The dossier of a declaration in two languages (issue 25, point 6): the web page, the public extract and the
PDF show both texts part by part, each in its own language and direction; the JSON holds both texts under one
hash and lists the languages; the recommendations CSV has a text column per language; /verify says which
languages the hash covers. A dossier of a text in one language is exactly as it was."""
import csv
import html
import io
import json
import re
import subprocess
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.declarations import services, translation
from app.declarations.models import Declaration
from app.declarations.services import content_hash
from app.extensions import db
from app.time import utcnow
from tests.helpers import login, publish_answers, sign, submit, the_submission

TITLE_UR = "انسانی اسمگلنگ پر اعلامیہ"
SUMMARY_UR = "انسانی اسمگلنگ کے خلاف تنظیموں کا مشترکہ موقف۔"
SECTIONS_UR = {"Preamble": ("تمہید", "ہم، تنظیمیں، کارروائی کا **مطالبہ** کرتی ہیں۔"),
               "Context": ("پس منظر", "انسانی اسمگلنگ بڑھ رہی ہے۔")}
RECOMMENDATIONS_UR = {"Create specialised prosecution units.": "استغاثہ کے خصوصی یونٹ قائم کیے جائیں۔",
                      "Open shelters in every province.": "ہر صوبے میں پناہ گاہیں کھولی جائیں۔",
                      "Publish asset declarations.": "اثاثوں کے گوشوارے شائع کیے جائیں۔"}
ENGLISH_HEADER = ["Number", "Pillar", "Themes", "Addressees", "Convention articles", "Recommendation", "SHA-256"]


def make_bilingual_and_sign_on(app, people, declaration_id):
    """Give the draft its Urdu text, part by part, and take it to sign-on (nothing needs translation)."""
    with app.test_request_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, declaration_id)
        translation.make_bilingual(coordinator, declaration, language="ur")
        translation.translate_title(coordinator, declaration, base_edit_count=declaration.edit_count,
                                    title=TITLE_UR, summary=SUMMARY_UR)
        for section in services.live_sections(declaration_id):
            heading, body = SECTIONS_UR[section.current.heading]
            services.edit_section(coordinator, section, base_revision_id=0, heading=heading, body=body,
                                  language="ur")
        for recommendation in services.live_recommendations(declaration_id):
            services.edit_recommendation(coordinator, recommendation, base_revision_id=0, language="ur",
                                         text=RECOMMENDATIONS_UR[recommendation.current.text_source])
        services.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=5))
        services.change_phase(coordinator, declaration, "revision")
        services.change_phase(coordinator, declaration, "signon")
        db.session.commit()


@pytest.fixture
def bilingual_submitted(app, client, people, make_declaration, make_user, make_organization):
    return submit_bilingual(app, client, people, make_declaration, make_user, make_organization)


def submit_bilingual(app, client, people, make_declaration, make_user, make_organization):
    """A public declaration in English and Urdu, signed by the representative (public) and by a coordinators-only
    organization, submitted to the reviewer's institution. Returns (declaration, submission)."""
    declaration = make_declaration("drafting", visibility="public")
    make_bilingual_and_sign_on(app, people, declaration.id)
    login(client, people["representative"].email)
    assert sign(client, declaration.id).status_code == 303
    client.post("/logout")
    hidden = make_organization("Safe Haven Society", acronym="SHS")
    login(client, make_user(organization=hidden, org_role="representative", email="hidden-rep@example.org").email)
    assert sign(client, declaration.id, visibility="coordinators").status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = submit(client, declaration.id, [people["reviewer"].institution_id])
    assert response.status_code == 303, re.findall(r"alert[^<]*<[^<]*<[^<]*", response.get_data(as_text=True))
    client.post("/logout")
    return declaration, the_submission(app, declaration.id)


def _blocks(page: str) -> list[tuple[str, str, str]]:
    """Each language's text in the page, in order: (lang, dir, text without tags)."""
    found = re.findall(r'<(?:div|span|p) class="(?:prose )?language-text[^"]*" lang="(\w+)" dir="(\w+)">'
                       r'(.*?)</(?:div|span|p)>', page, re.S)
    return [(lang, direction, html.unescape(re.sub(r"<[^>]+>", "", text)).strip()) for lang, direction, text in found]


def _assert_both_texts_part_by_part(page: str):
    blocks = _blocks(page)
    assert all((lang, direction) in (("en", "ltr"), ("ur", "rtl")) for lang, direction, _text in blocks)
    texts = [text for _lang, _dir, text in blocks]
    # The title, then every section and recommendation: the English, then the Urdu of the same part.
    assert texts[:2] == ["Declaration on trafficking", TITLE_UR]
    for english, (heading, body) in SECTIONS_UR.items():
        at = next(i for i, text in enumerate(texts) if text.startswith(english))
        assert blocks[at][0] == "en" and blocks[at + 1][0] == "ur"
        assert texts[at + 1].startswith(heading) and body.replace("**", "") in texts[at + 1]
    for english, urdu in RECOMMENDATIONS_UR.items():
        at = texts.index(english)
        assert (blocks[at][0], blocks[at + 1]) == ("en", ("ur", "rtl", urdu))
    assert "Both language versions, English and Urdu, are equally authentic." in page


def test_the_web_dossier_shows_both_texts_part_by_part(client, people, bilingual_submitted):
    _declaration, submission = bilingual_submitted
    login(client, people["reviewer"].email)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    _assert_both_texts_part_by_part(page)
    assert SUMMARY_UR in page and submission.sha256 in page
    assert 'class="both-languages"' in page


def test_a_visitor_reads_both_texts_in_the_public_extract(app, bilingual_submitted):
    _declaration, submission = bilingual_submitted
    visitor = app.test_client()
    page = visitor.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "public extract" in page and "Safe Haven Society" not in page
    _assert_both_texts_part_by_part(page)
    body = json.loads(visitor.get(f"/submissions/{submission.id}/dossier.json").data)
    assert body["extract"] == "public" and body["dossier"]["languages"] == ["en", "ur"]
    assert body["dossier"]["text"]["translation"]["title"] == TITLE_UR
    result = visitor.post("/verify", data={"dossier": (io.BytesIO(visitor.get(
        f"/submissions/{submission.id}/dossier.json").data), "extract.json")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "It matches: this is a public extract." in result and "English and Urdu" in result


def test_the_json_holds_both_texts_under_one_hash_and_verifies(client, people, bilingual_submitted):
    _declaration, submission = bilingual_submitted
    login(client, people["reviewer"].email)
    downloaded = client.get(f"/submissions/{submission.id}/dossier.json").data
    body = json.loads(downloaded)
    dossier = body["dossier"]
    assert body["sha256"] == submission.sha256 == content_hash(dossier)
    assert dossier["languages"] == ["en", "ur"]
    text = dossier["text"]
    assert text["language"] == "en" and text["translation"]["language"] == "ur"
    assert text["translation"]["title"] == TITLE_UR
    assert [s["heading"] for s in text["translation"]["sections"]] == ["تمہید", "پس منظر"]
    assert [r["text"] for r in text["translation"]["recommendations"]] == list(RECOMMENDATIONS_UR.values())
    assert [r["id"] for r in text["translation"]["recommendations"]] == [r["id"] for r in text["recommendations"]]
    assert dossier["declaration"]["translation"] == {"language": "ur", "title": TITLE_UR, "summary": SUMMARY_UR}
    # The signed text's hash (inside the dossier) is the version's, over both languages.
    assert dossier["version"]["sha256"] == submission.text_sha256 == content_hash(text)
    # Verified as downloaded, by file and by hash, /verify names both languages.
    client.post("/logout")
    for data in ({"dossier": (io.BytesIO(downloaded), "dossier.json")}, {"sha256": submission.sha256},
                 {"sha256": submission.text_sha256}):
        page = client.post("/verify", data=data, content_type="multipart/form-data").get_data(as_text=True)
        assert "It matches." in page, data
        assert re.search(r"Languages the hash covers</dt><dd>English and Urdu</dd>", page), data
    # Change the Urdu alone: the file no longer matches.
    changed = json.loads(downloaded)
    changed["dossier"]["text"]["translation"]["recommendations"][0]["text"] = "کچھ اور"
    page = client.post("/verify", data={"dossier": (io.BytesIO(json.dumps(changed).encode()), "d.json")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "No submission matches." in page


def test_the_recommendations_csv_has_a_column_per_language(client, people, bilingual_submitted):
    _declaration, submission = bilingual_submitted
    login(client, people["reviewer"].email)
    response = client.get(f"/submissions/{submission.id}/recommendations.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Number", "Pillar", "Themes", "Addressees", "Convention articles", "Recommendation (English)",
                       "Recommendation (Urdu)", "SHA-256"]
    assert [(row[5], row[6]) for row in rows[1:]] == list(RECOMMENDATIONS_UR.items())
    assert {row[7] for row in rows[1:]} == {submission.sha256}


def _pdf(client, submission, tmp_path, name) -> tuple[str, str, str]:
    response = client.get(f"/submissions/{submission.id}/dossier.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    path = tmp_path / name
    path.write_bytes(response.data)
    run = lambda *args: subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: E731
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return run("pdftotext", "-layout"), run("pdftotext", "-bbox-layout"), fonts


def _drawn_lines(boxes: str) -> list[list[tuple[float, float, float, float, str]]]:
    """The PDF's lines as drawn, page by page, from the top: (yMin, yMax, xMin, xMax, words)."""
    pages = []
    for page in boxes.split("<page ")[1:]:
        lines = []
        for line in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                               page, re.S):
            words = " ".join(html.unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", line[4]))
            lines.append((float(line[1]), float(line[3]), float(line[0]), float(line[2]), words))
        pages.append(sorted(lines))
    return pages


def _urdu_words(text: str) -> set[str]:
    """The Urdu words of a text, without punctuation (، ۔), Markdown or bidi marks."""
    return set(re.findall("[\u0600-\u060b\u060d-\u06d3\u06d5-\u06ff]+", text))


def _urdu_script(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_pdf_carries_both_texts_part_by_part_each_in_its_script(client, people, bilingual_submitted, tmp_path,
                                                                   language):
    _declaration, submission = bilingual_submitted
    login(client, people["reviewer"].email)
    client.post("/language", data={"language": language})
    text, boxes, fonts = _pdf(client, submission, tmp_path, f"dossier-{language}.pdf")
    assert submission.sha256 in text
    # The English, word for word, set in Noto Sans, from the left margin (left to right in an Urdu dossier too).
    # The Urdu is set in Naskh, with the letters only Urdu has, and reads back word for word.
    assert "Noto-Sans" in fonts and "Noto-Naskh-Arabic" in fonts
    assert set("ںےہھگک") <= set(text)
    pages = _drawn_lines(boxes)
    middle = lambda line: (line[0] + line[1]) / 2  # noqa: E731
    pairs = {"Declaration on trafficking": TITLE_UR,
             **{body: " ".join(SECTIONS_UR[heading]) for heading, body in (
                 ("Preamble", "We, the organizations, demand action."), ("Context", "Trafficking is rising."))},
             **RECOMMENDATIONS_UR}
    for english, urdu in pairs.items():
        page, at = next((page, at) for page in pages for at, line in enumerate(page) if line[4] == english)
        assert page[at][2] < 60, (english, page[at])  # at the left margin (2 cm = 56.7 pt)
        # Right below it, before the next line in Latin letters (a heading, the recommendation's addressees),
        # the same part in Urdu: lines of Urdu script against the right margin (595 - 51 pt).
        later = [line for line in page if middle(line) > middle(page[at])]
        latin = min((middle(line) for line in later if re.search("[A-Za-z]", line[4])), default=10_000)
        band = [line for line in later if middle(line) < latin - 10 and _urdu_script(line[4])]
        assert band, (english, later[:5])
        assert max(line[3] for line in band) > 520 and min(line[2] for line in band) > 200, (english, band)
        # Every word of the Urdu comes back out of the PDF as written (copied, searched, read aloud).
        assert _urdu_words(urdu) <= _urdu_words(text), (urdu, sorted(_urdu_words(urdu) - _urdu_words(text)))


def test_a_dossier_in_one_language_is_as_it_was(app, client, people, submitted):
    """No languages, no second text, no new column: the content has exactly the keys it always had."""
    _declaration, submission = submitted
    content = submission.content
    assert "languages" not in content and "translation" not in content["declaration"]
    assert set(content["declaration"]) == {"id", "kind", "title", "summary"}
    assert set(content["text"]) == {"title", "sections", "recommendations"}
    assert set(submission.sections_html) == {str(s["id"]) for s in content["text"]["sections"]}
    login(client, people["reviewer"].email)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "language-text" not in page and "equally authentic" not in page and "both-languages" not in page
    assert re.search(r'<h1 dir="ltr">Declaration on trafficking</h1>', page)
    rows = list(csv.reader(io.StringIO(client.get(f"/submissions/{submission.id}/recommendations.csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ENGLISH_HEADER and len(rows[1]) == len(ENGLISH_HEADER)
    # /verify says which language the hash covers: English alone.
    page = client.post("/verify", data={"sha256": submission.sha256}).get_data(as_text=True)
    assert re.search(r"Languages the hash covers</dt><dd>English</dd>", page)


def test_a_government_answers_in_either_language_or_both(client, people, bilingual_submitted):
    """An answer's explanation is free text: in Urdu, English or both, each paragraph shown in its own direction.
    The reviewer answering reads the recommendation in both languages."""
    declaration, submission = bilingual_submitted
    first, second = [r["id"] for r in submission.content["text"]["recommendations"][:2]]
    login(client, people["reviewer"].email)
    assert client.post(f"/submissions/{submission.id}/acknowledge").status_code == 303
    form = client.get(f"/submissions/{submission.id}/recommendations/{first}/answer").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*dir="auto"[^>]*name="explanation"|<textarea[^>]*name="explanation"[^>]*dir="auto"',
                     form)
    assert ('<div class="prose language-text" lang="ur" dir="rtl"><p>استغاثہ کے خصوصی یونٹ قائم کیے جائیں۔</p>'
            in form)
    assert '<div class="prose language-text" lang="en" dir="ltr"><p>Create specialised prosecution units.</p>' in form
    both = "The ministry supports this recommendation.\n\nوزارت اس سفارش کی حمایت کرتی ہے۔"
    urdu = "وزارت اس پر غور کر رہی ہے۔"
    for recommendation, explanation in ((first, both), (second, urdu)):
        response = client.post(f"/submissions/{submission.id}/recommendations/{recommendation}/answer",
                               data={"position": "supported", "explanation": explanation, "lead_institution": "",
                                     "target_date": "2099-12-31"})
        assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    assert publish_answers(client, submission.id).status_code == 303
    client.post("/logout")
    for recommendation, explanation in ((first, both), (second, urdu)):
        page = client.get(f"/recommendations/{recommendation}").get_data(as_text=True)  # a visitor
        # Its own direction, paragraph by paragraph (.prose: dir="auto", unicode-bidi: plaintext, pre-line).
        assert f'<p class="prose" dir="auto">{html.escape(explanation)}</p>' in page
        assert 'lang="ur" dir="rtl"' in page and 'lang="en" dir="ltr"' in page  # the recommendation, both texts
