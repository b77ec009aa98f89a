"""Importing a declaration from Word or OpenDocument through the site: upload, preview (with the roles a
coordinator may change), confirm; a new revision of a draft shows its changes first; an exported version
imported again changes nothing, in both languages."""
import io
import re
from datetime import timedelta

import pytest
from docx import Document
from sqlalchemy import select

from app.declarations import services
from app.declarations.models import Declaration, Recommendation, RecommendationRevision, SectionRevision
from app.extensions import db
from app.time import utcnow
from tests.documents import test_bad_files as bad
from tests.helpers import hidden_fields, login, make_bilingual

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def draft_docx() -> bytes:
    document = Document()
    document.add_paragraph("Karachi Declaration on Trafficking", style="Title")
    document.add_paragraph("What the alliance asks of the government in 2026.")
    document.add_heading("Background", 1)
    paragraph = document.add_paragraph("Trafficking is ")
    paragraph.add_run("rising").bold = True
    paragraph.add_run(" in Sindh.")
    document.add_paragraph("first point", style="List Bullet")
    document.add_paragraph("second point", style="List Bullet")
    document.add_heading("Recommendations", 1)
    document.add_heading("Prevent", 2)
    document.add_paragraph("Fund shelters in every district.", style="List Number")
    document.add_paragraph("Train the police.", style="List Number")
    document.add_heading("Protect", 2)
    document.add_paragraph("Protect victims who testify.", style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _preview_fields(html: str) -> dict:
    """What the preview's form sends as it stands: its hidden fields and each select's chosen option."""
    fields = {k: v for k, v in hidden_fields(html, prefix="").items() if k != "csrf_token"}
    for select_name, value in re.findall(r'<select name="((?:role|pillar)-\d+-\d+)"[^>]*>.*?<option value="([^"]*)"'
                                         r'[^>]* selected', html, re.S):
        fields[select_name] = value
    return fields


def upload(client, url, files: dict, **fields):
    assert client.get(url).status_code == 200
    data = dict(fields)
    for name, (filename, content) in files.items():
        data[name] = (io.BytesIO(content), filename, DOCX)
    return client.post(url, data=data, content_type="multipart/form-data")


def test_a_coordinator_imports_a_word_draft_sees_the_preview_and_creates_the_declaration(app, client, people):
    login(client, people["coordinator"].email)
    response = upload(client, "/declarations/import", {"document": ("draft.docx", draft_docx())},
                      kind="declaration", moderation="post", visibility="members")
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    html = response.get_data(as_text=True)
    assert "Karachi Declaration on Trafficking" in html and "3 recommendations" in html
    with app.app_context():
        assert db.session.scalar(select(Declaration).where(Declaration.title.like("Karachi%"))) is None
    fields = _preview_fields(html)
    confirmed = client.post("/declarations/import/confirm", data={**fields, "action": "confirm"})
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:3000]
    with app.app_context():
        declaration = db.session.scalar(select(Declaration).where(Declaration.title.like("Karachi%")))
        assert declaration.summary == "What the alliance asks of the government in 2026."
        sections = services.live_sections(declaration.id)
        assert [s.current.heading for s in sections] == ["Background"]
        assert sections[0].current.body_source == "Trafficking is **rising** in Sindh.\n\n- first point\n- second point"
        recommendations = services.live_recommendations(declaration.id)
        assert [(r.current.text_source, r.current.pillar) for r in recommendations] == [
            ("Fund shelters in every district.", "prevent"), ("Train the police.", "prevent"),
            ("Protect victims who testify.", "protect")]


def test_a_paragraph_moved_from_a_section_into_a_recommendation_on_the_preview(app, client, people):
    login(client, people["coordinator"].email)
    html = upload(client, "/declarations/import", {"document": ("draft.docx", draft_docx())},
                  kind="declaration", moderation="post", visibility="members").get_data(as_text=True)
    fields = _preview_fields(html)
    # The second bullet of the background becomes a recommendation of its own (pillar chosen on the page).
    unit = next(li for li in html.split('<li class="import-unit')[1:] if "second point" in li)
    key = re.search(r'<select name="(role-\d+-\d+)"', unit).group(1)
    fields[key] = "recommendation"
    updated = client.post("/declarations/import/confirm", data={**fields, "action": "update"})
    assert updated.status_code == 200
    page = updated.get_data(as_text=True)
    assert "4 recommendations" in page and "Choose the pillar of recommendation 1." in page
    fields = _preview_fields(page)
    fields[key.replace("role", "pillar")] = "promote"
    confirmed = client.post("/declarations/import/confirm", data={**fields, "action": "confirm"})
    assert confirmed.status_code == 303
    with app.app_context():
        declaration = db.session.scalar(select(Declaration).where(Declaration.title.like("Karachi%")))
        texts = [(r.current.text_source, r.current.pillar) for r in services.live_recommendations(declaration.id)]
        assert texts[0] == ("second point", "promote") and len(texts) == 4


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_an_exported_version_imported_again_changes_nothing_in_either_language(app, client, people, make_declaration,
                                                                                kind):
    declaration = make_declaration("drafting")
    make_bilingual(app, people, declaration, phase="revision")
    with app.app_context():
        number = db.session.get(Declaration, declaration.id).latest_version.number
        counts = (db.session.query(SectionRevision).count(), db.session.query(RecommendationRevision).count())
    login(client, people["coordinator"].email)
    files = {}
    for name, language in (("document", "en"), ("translation", "ur")):
        exported = client.get(f"/declarations/{declaration.id}/versions/{number}.{kind}?language={language}")
        assert exported.status_code == 200
        files[name] = (f"export-{language}.{kind}", exported.data)
    response = upload(client, f"/declarations/{declaration.id}/import", files)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:4000]
    assert html.count("No change: the document says what the text already says.") == 2, html
    fields = _preview_fields(html)
    confirmed = client.post(f"/declarations/{declaration.id}/import/confirm", data={**fields, "action": "confirm"})
    assert confirmed.status_code == 303
    with app.app_context():
        assert (db.session.query(SectionRevision).count(), db.session.query(RecommendationRevision).count()) == counts
        assert db.session.query(Recommendation).filter_by(declaration_id=declaration.id).count() == 3


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_one_file_with_both_languages_as_sanad_exports_it_is_read_as_two_texts(app, client, people,
                                                                                make_declaration, kind):
    declaration = make_declaration("drafting")
    make_bilingual(app, people, declaration, phase="revision")
    with app.app_context():
        number = db.session.get(Declaration, declaration.id).latest_version.number
    login(client, people["coordinator"].email)
    exported = client.get(f"/declarations/{declaration.id}/versions/{number}.{kind}")
    response = upload(client, f"/declarations/{declaration.id}/import", {"document": (f"both.{kind}", exported.data)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    assert html.count("No change: the document says what the text already says.") == 2
    assert "انسانی اسمگلنگ پر اعلامیہ" in html


def test_a_changed_recommendation_shows_in_the_preview_and_becomes_a_new_revision(app, client, people,
                                                                                  make_declaration):
    declaration = make_declaration("drafting")
    with app.app_context():
        found = db.session.get(Declaration, declaration.id)
        before = [r.current.text_source for r in services.live_recommendations(found.id)]
    login(client, people["coordinator"].email)
    document = Document()
    document.add_paragraph("Declaration on trafficking", style="Title")
    with app.app_context():
        found = db.session.get(Declaration, declaration.id)
        document.add_paragraph(found.summary)
        for section in services.live_sections(found.id):
            document.add_heading(section.current.heading, 1)
            document.add_paragraph(section.current.body_source.replace("**", ""))
    document.add_heading("Recommendations", 1)
    for n, text in enumerate(before, start=1):
        document.add_paragraph(f"{n}. {text if n != 2 else 'Open shelters in every district of every province.'}")
    out = io.BytesIO()
    document.save(out)
    response = upload(client, f"/declarations/{declaration.id}/import", {"document": ("changed.docx", out.getvalue())})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    assert "What would change" in html and "<ins>" in html
    fields = _preview_fields(html)
    confirmed = client.post(f"/declarations/{declaration.id}/import/confirm", data={**fields, "action": "confirm"})
    assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:3000]
    with app.app_context():
        after = services.live_recommendations(declaration.id)
        assert after[1].current.text_source == "Open shelters in every district of every province."
        # Only the changed one has a new revision; the others keep theirs, and their pillars.
        assert after[1].current.number == 2 and after[0].current.number == 1 and after[2].current.number == 1


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("filename,make,message", [
    *[(filename, make, message) for filename, make, message, case in bad.REFUSED
      if case in ("empty", "docm", "docx with a password", "billion laughs", "png named docx", "30 MB of zeros",
                  "larger than 8 MB", "pdf")],
    ("empty.docx", lambda: _empty_document(), None)])
def test_a_bad_file_is_refused_on_the_upload_page_in_the_readers_language_and_nothing_is_saved(
        app, client, people, filename, make, message, language):
    with app.app_context():
        db.session.get(type(people["coordinator"]), people["coordinator"].id).language = language
        db.session.commit()
        before = db.session.query(Declaration).count()
    login(client, people["coordinator"].email)
    response = upload(client, "/declarations/import", {"document": (filename, make())}, kind="declaration",
                      moderation="post", visibility="members")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'name="document"' in html  # the upload form again, with the choices kept
    if language == "en":
        assert f"{filename}: {message or 'The document has no text to import.'}" in html.replace("&#34;", '"')
    else:
        assert filename in html and "alert-error" in html and (message or "The document has no text") not in html
    with app.app_context():
        assert db.session.query(Declaration).count() == before


def _empty_document() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def test_a_preview_that_was_tampered_with_is_refused(app, client, people):
    login(client, people["coordinator"].email)
    html = upload(client, "/declarations/import", {"document": ("draft.docx", draft_docx())},
                  kind="declaration", moderation="post", visibility="members").get_data(as_text=True)
    fields = _preview_fields(html)
    fields["preview"] = fields["preview"][:-3] + "abc"
    response = client.post("/declarations/import/confirm", data={**fields, "action": "confirm"})
    assert response.status_code == 422
    assert "The preview could not be read back. Upload the file again." in response.get_data(as_text=True)


def test_only_coordinators_import(client, people, make_declaration):
    declaration = make_declaration("consultation")  # (a draft is a 404 to a member: it is not theirs to see)
    login(client, people["member"].email)
    assert client.get("/declarations/import").status_code == 403
    assert client.get(f"/declarations/{declaration.id}/import").status_code == 403
    assert client.post("/declarations/import/confirm", data={"preview": "x"}).status_code == 403


def test_a_new_revision_pairs_parts_by_what_they_say_not_by_their_place(app, client, people, make_declaration):
    """The draft has sections Preamble, Context and recommendations 1–3; the document inserts a section before
    Context and leaves recommendation 2 out: one section added, one recommendation deleted, the rest unchanged
    and in the document's order — each keeps its own history."""
    declaration = make_declaration("drafting")
    with app.app_context():
        sections = services.live_sections(declaration.id)
        recommendations = services.live_recommendations(declaration.id)
        before = {"sections": [(s.id, s.current.heading, s.current.body_source, s.current.id) for s in sections],
                  "recommendations": [(r.id, r.current.text_source, r.current.pillar, r.current.id)
                                      for r in recommendations]}
        summary = db.session.get(Declaration, declaration.id).summary
    document = Document()
    document.add_paragraph("Declaration on trafficking", style="Title")
    document.add_paragraph(summary)
    (first_id, first_heading, first_body, _r), (second_id, second_heading, second_body, _r2) = before["sections"]
    document.add_heading(first_heading, 1)
    document.add_paragraph(first_body.replace("**", ""))
    document.add_heading("A new section", 1)
    document.add_paragraph("Inserted between the two.")
    document.add_heading(second_heading, 1)
    document.add_paragraph(second_body.replace("**", ""))
    document.add_heading("Recommendations", 1)
    kept = [before["recommendations"][0], before["recommendations"][2]]
    for n, (_id, text, _pillar, _revision) in enumerate(kept, start=1):
        document.add_paragraph(f"{n}. {text}")
    login(client, people["coordinator"].email)
    response = upload(client, f"/declarations/{declaration.id}/import", {"document": ("d.docx", _saved(document))})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    changes = re.findall(r'<section class="diff-item (\w+)">', html)
    # Added: the new section; removed: recommendation 2; changed: the preamble (its bold was not typed in the
    # document); moved: recommendation 3, now number 2 — nothing else.
    assert sorted(changes) == ["added", "changed", "moved", "removed"]
    assert "Moved from number 3 to 2." in html
    confirmed = client.post(f"/declarations/{declaration.id}/import/confirm",
                            data={**_preview_fields(html), "action": "confirm"})
    assert confirmed.status_code == 303
    with app.app_context():
        sections = services.live_sections(declaration.id)
        assert [s.id for s in sections][0] == first_id and [s.id for s in sections][2] == second_id
        assert sections[1].current.heading == "A new section"
        assert sections[2].current.id == before["sections"][1][3]  # unchanged: the same revision
        recommendations = services.live_recommendations(declaration.id)
        assert [(r.id, r.current.id, r.current.pillar) for r in recommendations] == [
            (k[0], k[3], k[2]) for k in kept]


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


TRICKY_SECTIONS = [
    ("Lists", "Before the list:\n\n- one\n    - two\n        - three\n- four\n\n1. first\n2. second"),
    ("Emphasis", "*an **important** word*, `code(x)` and a [link](https://en.wikipedia.org/wiki/X_(y))."),
    ("Quotation", "Said before:\n\n> The state shall protect victims.\n\nAnd after."),
    ("Inner heading", "Text.\n\n### A heading inside\n\nMore text; 1990\\. was a year, \\- not a list."),
    ("Table", "| Route | Crime |\n| --- | --- |\n| Sea | Smuggling |"),
    ("Loose list", "- a\n\n- b"),
    ("Literal", "AT&T &amp; co, 5 \\* 3, a_b and [1] and \\---"),
]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_tricky_markdown_exported_and_imported_again_changes_nothing(app, client, people, make_declaration, kind):
    declaration = make_declaration("drafting")
    with app.test_request_context():
        coordinator = db.session.get(type(people["coordinator"]), people["coordinator"].id)
        found = db.session.get(Declaration, declaration.id)
        for heading, body in TRICKY_SECTIONS:
            services.add_section(coordinator, found, heading=heading, body=body)
        services.add_recommendation(coordinator, found, text="Train officers:\n\n1. in Karachi\n2. in Quetta",
                                    pillar="prevent", themes=["trafficking"], addressees=[])
        services.change_phase(coordinator, found, "consultation", deadline=utcnow() + timedelta(days=7))
        services.change_phase(coordinator, found, "revision")
        db.session.commit()
        number = db.session.get(Declaration, declaration.id).latest_version.number
    login(client, people["coordinator"].email)
    exported = client.get(f"/declarations/{declaration.id}/versions/{number}.{kind}")
    response = upload(client, f"/declarations/{declaration.id}/import", {"document": (f"v.{kind}", exported.data)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    changed = re.findall(r'<section class="diff-item \w+">\s*<h4>(.*?)</h4>', html, re.S)
    assert "No change: the document says what the text already says." in html, changed


def _export_and_preview(app, client, people, declaration_id):
    with app.app_context():
        number = db.session.get(Declaration, declaration_id).latest_version.number
    exported = client.get(f"/declarations/{declaration_id}/versions/{number}.docx")
    response = upload(client, f"/declarations/{declaration_id}/import", {"document": ("v.docx", exported.data)})
    assert response.status_code == 200
    return _preview_fields(response.get_data(as_text=True))


def test_an_edit_made_after_the_preview_is_not_overwritten(app, client, people, make_declaration):
    declaration = make_declaration("revision")
    login(client, people["coordinator"].email)
    fields = _export_and_preview(app, client, people, declaration.id)
    with app.test_request_context():  # a co-drafter edits a recommendation meanwhile
        coordinator = db.session.get(type(people["coordinator"]), people["coordinator"].id)
        recommendation = services.live_recommendations(declaration.id)[0]
        services.edit_recommendation(coordinator, recommendation, base_revision_id=recommendation.current.id,
                                     text="Edited meanwhile.", pillar="pursue", themes=["trafficking"], addressees=[])
        db.session.commit()
    refused = client.post(f"/declarations/{declaration.id}/import/confirm", data={**fields, "action": "confirm"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "The text has changed since this preview was made" in page
    assert "meanwhile" in page  # the preview as the text now is: the edit shows among the changes
    with app.app_context():
        assert services.live_recommendations(declaration.id)[0].current.text_source == "Edited meanwhile."


def test_a_preview_serves_only_its_own_declaration_and_person(app, client, people, make_declaration, make_user):
    first, second = make_declaration("revision"), make_declaration("revision", title="Another declaration")
    login(client, people["coordinator"].email)
    fields = _export_and_preview(app, client, people, first.id)
    elsewhere = client.post(f"/declarations/{second.id}/import/confirm", data={**fields, "action": "confirm"})
    assert elsewhere.status_code == 422
    assert "The preview could not be read back" in elsewhere.get_data(as_text=True)
    client.post("/logout")
    other = make_user("coordinator", email="second-coordinator@example.org")
    login(client, other.email)
    by_another = client.post(f"/declarations/{first.id}/import/confirm", data={**fields, "action": "confirm"})
    assert by_another.status_code == 422


def test_a_document_without_summary_or_recommendations_keeps_and_deletes_nothing(app, client, people,
                                                                                  make_declaration):
    declaration = make_declaration("revision")
    document = Document()
    document.add_paragraph("Declaration on trafficking", style="Title")
    document.add_heading("Preamble", 1)
    document.add_paragraph("We, the organizations, demand action.")
    login(client, people["coordinator"].email)
    response = upload(client, f"/declarations/{declaration.id}/import", {"document": ("d.docx", _saved(document))})
    page = response.get_data(as_text=True)
    assert "confirming would delete the 3 this draft has" in page
    assert 'value="confirm"' not in page
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).summary == "A summary."


def test_a_long_file_name_keeps_its_extension(app, client, people):
    login(client, people["coordinator"].email)
    name = "اعلامیہ" * 40 + ".docx"
    response = upload(client, "/declarations/import", {"document": (name, draft_docx())}, kind="declaration",
                      moderation="post", visibility="members")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]


def test_settings_carried_through_the_preview_are_checked(app, client, people):
    login(client, people["coordinator"].email)
    html = upload(client, "/declarations/import", {"document": ("draft.docx", draft_docx())},
                  kind="declaration", moderation="post", visibility="members").get_data(as_text=True)
    fields = {**_preview_fields(html), "visibility": "everyone-and-more", "action": "confirm"}
    before = _count_declarations(app)
    assert client.post("/declarations/import/confirm", data=fields).status_code == 422
    assert _count_declarations(app) == before


def _count_declarations(app) -> int:
    with app.app_context():
        return db.session.query(Declaration).count()


def _document_of(title, summary, sections, groups) -> bytes:
    """A Word file: the sections (heading, body), then the recommendations under their pillar headings."""
    document = Document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph(summary)
    for heading, body in sections:
        document.add_heading(heading, 1)
        document.add_paragraph(body)
    document.add_heading("Recommendations", 1)
    for pillar, texts in groups:
        document.add_heading(pillar, 2)
        for text in texts:
            document.add_paragraph(text, style="List Number")
    return _saved(document)


@pytest.mark.parametrize("case", ["moved to another pillar", "first removed and second edited", "sections reordered"])
def test_a_part_moved_or_next_to_a_removed_one_keeps_its_own_history(app, client, people, make_declaration, case):
    declaration = make_declaration("revision")
    with app.app_context():
        recommendations = services.live_recommendations(declaration.id)
        ids = {r.current.text_source: (r.id, r.current.id) for r in recommendations}
        sections = [(s.id, s.current.heading, s.current.body_source.replace("**", ""), s.current.id)
                    for s in services.live_sections(declaration.id)]
    units, shelters, assets = ("Create specialised prosecution units.", "Open shelters in every province.",
                               "Publish asset declarations.")
    texts = [(s[1], s[2]) for s in sections]
    if case == "moved to another pillar":
        groups = [("Protect", [shelters]), ("Prevent", [assets]), ("Promote", [units])]
    elif case == "first removed and second edited":
        groups = [("Protect", ["Open shelters for survivors in every province."]), ("Prevent", [assets])]
    else:
        texts = texts[::-1]
        groups = [("Pursue", [units]), ("Protect", [shelters]), ("Prevent", [assets])]
    data = _document_of("Declaration on trafficking", "A summary.", texts, groups)
    login(client, people["coordinator"].email)
    html = upload(client, f"/declarations/{declaration.id}/import", {"document": ("d.docx", data)}).get_data(
        as_text=True)
    confirmed = client.post(f"/declarations/{declaration.id}/import/confirm",
                            data={**_preview_fields(html), "action": "confirm"})
    assert confirmed.status_code == 303, html[:3000]
    with app.app_context():
        after = {r.id: r for r in services.live_recommendations(declaration.id)}
        if case == "moved to another pillar":
            assert set(after) == {i for i, _r in ids.values()}  # nothing deleted or added
            assert after[ids[units][0]].current.pillar == "promote"
            assert after[ids[shelters][0]].current.id == ids[shelters][1]  # untouched
        elif case == "first removed and second edited":
            assert set(after) == {ids[shelters][0], ids[assets][0]}
            assert after[ids[shelters][0]].current.text_source == "Open shelters for survivors in every province."
            assert after[ids[assets][0]].current.id == ids[assets][1]
        else:
            now = services.live_sections(declaration.id)
            assert [s.id for s in now] == [s[0] for s in sections][::-1]
            assert now[0].current.id == sections[1][3]  # Context: moved up, not rewritten (the preamble's bold
            # was not typed in the document, so it has a new revision)
