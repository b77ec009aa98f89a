"""Sanad's rules for finding a declaration in a document, on the corpus (tests/documents/corpus.py): documents
made in LibreOffice and with python-docx the way alliances make them — Word's numbering and typed numbers,
several list levels, recommendations in a table, Urdu, footnotes, tracked changes, comments, headings set in
bold by hand. Each is read as the site reads an upload (intake, reader, structure) and checked against what a
person sees in it."""
import pytest

from app.documents import assembly, reading
from tests.documents.corpus import DOCUMENTS, EXPECTED, SOFFICE

NEEDS_LIBREOFFICE = {"draft-en", "draft-ur", "review"}
PILLAR_KEYS = {"Prevent": "prevent", "Pursue": "pursue", "Protect": "protect", "Promote": "promote"}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


def _imported(app, name, kind, corpus_dir):
    if name in NEEDS_LIBREOFFICE and SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs libreoffice-writer")
    data = DOCUMENTS[(name, kind)](workdir=corpus_dir)
    with app.test_request_context():
        [upload] = reading.read_file(f"{name}.{kind}", data)
        return upload, assembly.assemble(upload.units)


def _all_text(draft) -> str:
    return "\n".join([draft.title, draft.summary, *(s["heading"] + "\n" + s["body"] for s in draft.sections),
                      *(r["text"] for r in draft.recommendations)])


@pytest.mark.parametrize("name,kind", sorted(DOCUMENTS))
def test_the_title_summary_sections_and_recommendations_are_found(app, corpus_dir, name, kind):
    expected = EXPECTED[name]
    upload, draft = _imported(app, name, kind, corpus_dir)
    without_pillar = [n for n, r in enumerate(expected["recommendations"], start=1) if not r["pillar"]]
    # A document that does not group its recommendations by pillar: the preview asks for their pillar.
    assert draft.problems == [f"Choose the pillar of recommendation {n}." for n in without_pillar]
    assert upload.language == expected["language"]
    assert draft.title == expected["title"]
    if expected["summary"]:
        assert draft.summary == expected["summary"]
    recommendations = expected["recommendations"]
    assert len(draft.recommendations) == len(recommendations)
    for found, wanted in zip(draft.recommendations, recommendations, strict=True):
        assert found["number"] == wanted["number"]
        first_line = found["text"].split("\n")[0]
        assert first_line.replace("\\", "") == wanted["text"]
        if wanted["pillar"]:
            assert found["pillar"] == PILLAR_KEYS.get(wanted["pillar"], wanted["pillar"])
        for point in wanted.get("points", []):  # a deeper level: a list inside the recommendation
            assert f"{point['text']}" in found["text"]
    # The headings that are not the recommendations' or the pillars' are the sections, in order.
    kept = [s["heading"] for s in draft.sections]
    for heading in kept:
        assert any(heading == text for _level, text in expected["headings"])
    text = _all_text(draft)
    for words in expected["present"]:
        assert words in text.replace("\\", "")
    for words in expected["absent"]:
        assert words not in text
    assert upload.dropped == {k: v for k, v in expected["dropped"].items() if v}


@pytest.mark.parametrize("name,kind", [key for key in sorted(DOCUMENTS) if key[0].startswith("draft")])
def test_formatting_lists_tables_links_and_footnotes_become_markdown(app, corpus_dir, name, kind):
    expected = EXPECTED[name]
    _upload, draft = _imported(app, name, kind, corpus_dir)
    body = "\n\n".join(s["body"] for s in draft.sections)
    for words in expected["bold"]:
        assert f"**{words}**" in body
    for words in expected["italic"]:
        assert f"*{words}*" in body
    for words, url in expected["links"]:
        assert f"[{words}]({url})" in body
    for note in expected["footnotes"]:
        assert f"[1] {note}" in body and "[1]" in body.split(note)[0]
    for depth, words in expected["bullets"]:
        assert f"\n{'    ' * (depth - 1)}- {words}" in "\n" + body
    for table in expected["tables"]:
        assert "| " + " | ".join(table[0]) + " |" in body


def test_urdu_text_is_kept_exactly(app, corpus_dir):
    expected = EXPECTED["draft-ur"]
    for kind in ("docx", "odt"):
        _upload, draft = _imported(app, "draft-ur", kind, corpus_dir)
        assert draft.title == expected["title"]
        assert [r["text"].split("\n")[0] for r in draft.recommendations] == [
            r["text"] for r in expected["recommendations"]]
