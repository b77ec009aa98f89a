"""The exported documents open in LibreOffice: a bilingual version as .docx and as .odt, converted to PDF by
Debian's LibreOffice Writer headless (one conversion of both files, so one start of LibreOffice) and read back
with pdftotext, show the title, a recommendation and the Urdu text."""
import shutil
import subprocess
import unicodedata

import pytest

from app.declarations.models import Declaration
from app.extensions import db
from tests.helpers import URDU_RECOMMENDATIONS, login, make_bilingual

SOFFICE = shutil.which("soffice")
CONVERSION_SECONDS = 240


def _words(text: str) -> str:
    """The text as compared: Unicode compatibility forms folded (a PDF may keep Arabic presentation forms), runs of
    whitespace as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/system-deps.sh installs "
                                            "libreoffice-writer")
def test_the_exported_docx_and_odt_open_in_libreoffice_with_their_text(app, client, people, make_declaration,
                                                                       tmp_path):
    declaration = make_declaration("drafting")
    make_bilingual(app, people, declaration)
    with app.app_context():
        number = db.session.get(Declaration, declaration.id).latest_version.number
    login(client, people["member"].email)
    files = []
    for kind in ("docx", "odt"):
        response = client.get(f"/declarations/{declaration.id}/versions/{number}.{kind}")
        assert response.status_code == 200
        path = tmp_path / f"exported-{kind}.{kind}"
        path.write_bytes(response.data)
        files.append(path)
    profile = tmp_path / "libreoffice-profile"  # its own profile: parallel test workers never share one
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)],
                          capture_output=True, text=True, timeout=CONVERSION_SECONDS)
    assert done.returncode == 0, done.stderr
    for path in files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists(), f"LibreOffice made no PDF of {path.name}: {done.stdout} {done.stderr}"
        text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout)
        assert "Declaration on trafficking" in text, path.name
        assert "1. Create specialised prosecution units." in text, path.name
        assert "Pillar: Pursue" in text, path.name
        assert _words(URDU_RECOMMENDATIONS[1]) in text, (path.name, text[-600:])
