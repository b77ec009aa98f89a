"""The Urdu dossier PDF: Urdu set in Naskh (its text layer reads back exactly), Latin runs (hashes, names,
"SHA-256") kept Latin."""
import html
import re
import subprocess

from tests.helpers import login

URDU_ONLY_LETTERS = set("ڈٹڑںےۓہھگک")  # letters of Urdu that Arabic lacks: the Urdu UI text is there


def _pdf_text_and_fonts(client, submission, tmp_path) -> tuple[str, str]:
    response = client.get(f"/submissions/{submission.id}/dossier.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    path = tmp_path / "dossier-ur.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


def test_the_urdu_pdf_is_urdu_and_keeps_latin_runs_latin(client, submitted, people, tmp_path):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    client.post("/language", data={"language": "ur"})
    text, fonts = _pdf_text_and_fonts(client, submission, tmp_path)
    # The hash comes out as the exact Latin string, on its own line (the cover) and in every footer.
    # (pdftotext wraps the lines of a right-to-left page in bidi embedding marks, U+202A…U+202C: left out here.)
    lines = [line.strip().strip("\u202a\u202b\u202c") for line in text.splitlines()]
    assert submission.sha256 in lines
    assert text.count(submission.sha256) >= text.count("\f")
    assert re.search(r"SHA-256\s+" + submission.sha256, text)  # the footer: "SHA-256 <hash>", Latin
    # Urdu throughout: Urdu letters in the text, set in the Urdu font; Latin in Noto Sans, hashes monospaced.
    assert URDU_ONLY_LETTERS & set(text), text[:500]
    assert "Noto-Naskh-Arabic" in fonts and "Noto-Sans" in fonts and "DejaVu-Sans-Mono" in fonts
    # The English names and the text stay readable Latin.
    assert "Declaration on trafficking" in text and "Create specialised prosecution units." in text
    # No English UI label is left in the Urdu dossier.
    for english in ("Signatories", "Recommendations by pillar", "Annex 1", "Consultation record", "Contents"):
        assert english not in text


def test_the_urdu_pdf_counts_its_pages_left_to_right_and_keeps_the_recipients_whole(client, submitted, people,
                                                                                    tmp_path):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    client.post("/language", data={"language": "ur"})
    text, _fonts = _pdf_text_and_fonts(client, submission, tmp_path)
    pages = [page for page in text.split("\f") if page.strip()]
    total = len(pages)
    assert total >= 3
    for number, page in enumerate(pages, start=1):
        # "2 / 8": this page of all of them, as numbers are read in Urdu too (not "8 / 2")
        assert re.search(rf"(?<!\d){number}\s*/\s*{total}(?!\d)", page), (number, page[-300:])
    with client.application.app_context():
        from app.extensions import db
        from app.submissions.models import Submission
        recipients = db.session.get(Submission, submission.id).content["recipients"]
    # Read as it is drawn: the words of each line left to right by their position on the page (pdftotext's
    # own logical order reshuffles neutral brackets at the edge of a Latin run inside Urdu lines).
    boxes = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "dossier-ur.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    lines: dict[tuple[int, str], list[tuple[float, str]]] = {}
    page = 0
    for line in boxes.splitlines():
        page += line.strip().startswith("<page ")
        found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', line)
        if found:
            lines.setdefault((page, found.group(2)), []).append((float(found.group(1)), html.unescape(found.group(3))))
    drawn = [" ".join(word for _x, word in sorted(words)) for words in lines.values()]
    for recipient in recipients:
        name = recipient["name"] + (f" ({recipient['acronym']})" if recipient.get("acronym") else "")
        assert any(name in line for line in drawn), name  # "Ministry 5 (M5)", not "(M5) Ministry 5"
