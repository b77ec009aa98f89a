"""Bad uploads are refused at the gate (app/documents/intake.py) before anything reads the document, each with the
message that tells the person what to do. Every file is made here, from real ones: a .docx by python-docx, an .odt
by odfpy, a password-protected .docx encrypted as Word does it (msoffcrypto-tool), a PDF by WeasyPrint, a PNG by
segno, and, where LibreOffice is installed, an old Word .doc and a password-protected .odt saved by LibreOffice."""
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

import docx
import pytest
import segno
import weasyprint
from flask_babel import force_locale
from msoffcrypto.format.ooxml import OOXMLFile
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import Table
from odf.text import P

from app.documents.intake import MAX_BYTES, MAX_ENTRIES, Refused, opened

EMPTY = "The file is empty."
TOO_LARGE = ("The file is larger than the limit of 8 MB. Images are not imported anyway: save a copy of the document "
             "without its images and upload that.")
MACROS = ("This document contains macros, which Sanad does not import. Save it as a Word Document (.docx) without "
          "macros and upload that.")
OLD_WORD = ("This document is in the old Word format (.doc). Open it in Word or LibreOffice, save it as a Word "
            "Document (.docx) and upload that.")
UNSUPPORTED = "Sanad cannot import this kind of file. Upload a Word (.docx) or OpenDocument (.odt) file."
DOCX_PASSWORD = ("This document is protected with a password. Remove the password (in Word: File → Info → Protect "
                 "Document → Encrypt with Password, empty the box) and upload it again.")
ODT_PASSWORD = ("This document is protected with a password. Save it again without the password (in LibreOffice: "
                "File → Save As, with “Save with password” unticked) and upload that.")
NOT_DOCX = ("This file is not a Word document (.docx), though its name says so. Open it in the program that made it, "
            "save it as a Word Document (.docx) and upload that.")
NOT_ODT = ("This file is not an OpenDocument text (.odt), though its name says so. Open it in the program that made "
           "it, save it as OpenDocument Text (.odt) and upload that.")
BOMB = ("This file unpacks to far more than a document holds, so Sanad does not open it. Save the document again "
        "from Word or LibreOffice and upload that.")
DAMAGED = "The file is damaged and cannot be read. Open it in Word or LibreOffice, save it again and upload that."
HOSTILE_XML = ("The document holds XML that Sanad does not read (a DTD or entity declarations). Save it again from "
               "Word or LibreOffice and upload that.")

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
MB = 1024 * 1024
SOFFICE = shutil.which("soffice")


# --- the files ----------------------------------------------------------------------------

def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Declaration on trafficking", 1)
    document.add_paragraph("1. Create specialised prosecution units.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text="1. Create specialised prosecution units."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _ods() -> bytes:
    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(Table(name="Recommendations"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rezipped(data: bytes, replace: dict | None = None, add: dict | None = None, drop: tuple = ()) -> bytes:
    """The zip rebuilt entry by entry (names, order and compression kept), some entries replaced, added or dropped."""
    replace, out = replace or {}, io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info, replace.get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def _docm(*, content_type: bool = True, project: bool = True) -> bytes:
    """A python-docx file made into Word's macro-enabled document: its main part's content type, and/or the VBA
    project that holds the macros (a stand-in: only its name and content type are looked at)."""
    data = _docx()
    types = _part(data, "[Content_Types].xml")
    assert WORD_MAIN in types
    if content_type:
        types = types.replace(WORD_MAIN, WORD_MACRO_MAIN)
    if project:
        types = types.replace("<Default Extension=\"xml\"",
                              "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>"
                              "<Default Extension=\"xml\"")
    return _rezipped(data, {"[Content_Types].xml": types.encode()},
                     add={"word/vbaProject.bin": os.urandom(4096)} if project else None)


def _encrypted_docx() -> bytes:
    """A .docx encrypted with a password as Word does it (ECMA-376 agile encryption in an OLE2 compound file)."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_docx())).encrypt("secret", out)
    assert out.getvalue().startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    return out.getvalue()


def _encrypted_odt_by_hand() -> bytes:
    """An .odt whose manifest lists content.xml as encrypted, as LibreOffice 7.4 writes it (its encryption-data
    copied from a file LibreOffice saved with a password), and whose content.xml is noise, as ciphertext is.
    test_files_libreoffice_saved_are_told_apart checks the same against a file LibreOffice really encrypted."""
    data = _odt()
    manifest = _part(data, "META-INF/manifest.xml").replace(
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="4163">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#'
        'sha256-1k" manifest:checksum="Cwj1/c5rBR8ABs6815Y41KqzQOQc9Nc5Bv0kamTX/tk=">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="ojcuRFUXlTfO+ZiuJWTqZg=="/>'
        '<manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#'
        'sha256" manifest:key-size="32"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        'manifest:iteration-count="100000" manifest:salt="zsguQCgWouLmVQ1eE1qyFA=="/>'
        '</manifest:encryption-data></manifest:file-entry>')
    assert "encryption-data" in manifest
    return _rezipped(data, {"META-INF/manifest.xml": manifest.encode(), "content.xml": os.urandom(4163)})


def _zip_level_password() -> bytes:
    """A .docx one of whose entries, not read to open it, is marked encrypted in the zip itself (flag bit 0 of its
    local header and central directory record, set in the bytes: zipfile writes no encrypted entry)."""
    body = bytearray(_docx())
    with zipfile.ZipFile(io.BytesIO(bytes(body))) as archive:
        infos, at = archive.infolist(), archive.start_dir
    for info in infos:
        assert body[at:at + 4] == b"PK\x01\x02"
        if info.filename == "word/styles.xml":
            body[info.header_offset + 6] |= 0x1
            body[at + 8] |= 0x1
        at += 46 + sum(int.from_bytes(body[at + n:at + n + 2], "little") for n in (28, 30, 32))
    return bytes(body)


def _crc_mismatch() -> bytes:
    """A .docx whose main part was changed after its CRC was written (stored, so the change is one byte)."""
    data, out = _docx(), io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            info.compress_type = zipfile.ZIP_STORED
            target.writestr(info, content)
    body = bytearray(out.getvalue())
    body[body.index(b"Create specialised")] = ord("c")  # still well-formed XML: only the CRC tells
    return bytes(body)


def _png() -> bytes:
    out = io.BytesIO()
    segno.make("Sanad").save(out, kind="png")
    return out.getvalue()


def _random_files_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("notes.txt", "Meeting notes, not a document.")
        target.writestr("photo.jpg", os.urandom(20000))
    return out.getvalue()


def _hostile(doctype: str, text: str = "&x;") -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}\n<w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
            ).encode()


def _billion_laughs() -> bytes:
    levels = "\n".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return _hostile(f'<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n{levels}\n <!ENTITY x "&lol9;">\n]>')


def _external_entity() -> bytes:
    return _hostile('<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>')


def _words(size: int) -> bytes:
    """Text of real words, which compresses as a document does (a few times, not hundreds)."""
    words = [f"word{n:x}".encode() for n in range(4096)]
    chunk = b" ".join(words[(n * 2654435761) % 4096] for n in range(200_000))
    return chunk * (size // len(chunk) + 1)


# --- the table: each bad file and the message it is refused with --------------------------

REFUSED = [
    ("draft.docx", lambda: b"", EMPTY, "empty"),
    ("draft.odt", lambda: b" \r\n\t ", EMPTY, "only whitespace"),
    ("draft.docx", lambda: _rezipped(_docx(), add={"word/media/image1.png": os.urandom(MAX_BYTES)}), TOO_LARGE,
     "larger than 8 MB"),
    ("draft.docm", _docm, MACROS, "docm"),
    ("draft.dotm", _docm, MACROS, "dotm"),
    ("draft.docx", _docm, MACROS, "docm named docx"),
    ("draft.docx", lambda: _docm(project=False), MACROS, "macro-enabled content type only"),
    ("draft.docx", lambda: _docm(content_type=False), MACROS, "vba project only"),
    ("draft.doc", _docx, OLD_WORD, "doc"),
    ("draft.txt", lambda: b"Declaration on trafficking\n", UNSUPPORTED, "txt"),
    ("draft.pdf", lambda: weasyprint.HTML(string="<p>Declaration</p>").write_pdf(), UNSUPPORTED, "pdf"),
    ("draft", _docx, UNSUPPORTED, "no extension"),
    ("", _docx, UNSUPPORTED, "no filename"),
    ("draft.docx", _encrypted_docx, DOCX_PASSWORD, "docx with a password"),
    ("draft.odt", _encrypted_docx, NOT_ODT, "word with a password named odt"),
    ("draft.odt", _encrypted_odt_by_hand, ODT_PASSWORD, "odt with a password"),
    ("draft.docx", _zip_level_password, DOCX_PASSWORD, "zip-level password"),
    ("draft.docx", lambda: weasyprint.HTML(string="<p>Declaration</p>").write_pdf(), NOT_DOCX, "pdf named docx"),
    ("draft.docx", _png, NOT_DOCX, "png named docx"),
    ("draft.docx", lambda: b"Declaration on trafficking\n", NOT_DOCX, "text named docx"),
    ("draft.docx", _random_files_zip, NOT_DOCX, "zip of random files named docx"),
    ("draft.docx", _odt, NOT_DOCX, "odt named docx"),
    ("draft.odt", _docx, NOT_ODT, "docx named odt"),
    ("draft.odt", _random_files_zip, NOT_ODT, "zip of random files named odt"),
    ("draft.odt", _ods, NOT_ODT, "spreadsheet named odt"),
    ("draft.odt", lambda: _rezipped(_odt(), drop=("content.xml",)), NOT_ODT, "odt without content"),
    ("draft.docx", lambda: _docx()[:len(_docx()) // 2], DAMAGED, "cut short"),
    ("draft.docx", _crc_mismatch, DAMAGED, "crc mismatch"),
    ("draft.docx", lambda: _rezipped(_docx(), {"word/document.xml": b"<w:document"}), DAMAGED, "malformed xml"),
    ("draft.docx", lambda: _rezipped(_docx(), add={"word/media/zeros.bin": bytes(30 * MB)}), BOMB,
     "30 MB of zeros"),
    ("draft.docx", lambda: _rezipped(_docx(), add={f"customXml/extra{n}.xml": b"<a/>" for n in range(3000)}),
     BOMB, "3000 entries"),
    ("draft.docx", lambda: _rezipped(_docx(), add={f"word/media/m{n}.bin": bytes(MB) for n in range(45)}), BOMB,
     "45 MB in parts of 1 MB"),
    ("draft.docx", lambda: _rezipped(_docx(), {"word/document.xml": _words(21 * MB)}), BOMB,
     "main part over 20 MB"),
    ("draft.docx", lambda: _rezipped(_docx(), {"word/document.xml": _billion_laughs()}), HOSTILE_XML,
     "billion laughs"),
    ("draft.docx", lambda: _rezipped(_docx(), {"word/document.xml": _hostile(
        "<!DOCTYPE w:document [<!ELEMENT w:document ANY>]>", "Declaration")}), HOSTILE_XML, "a DTD with no entity"),
    ("draft.docx", lambda: _rezipped(_docx(), {"[Content_Types].xml": _billion_laughs()}), HOSTILE_XML,
     "billion laughs in the content types"),
    ("draft.odt", lambda: _rezipped(_odt(), {"content.xml": _billion_laughs()}), HOSTILE_XML,
     "billion laughs in an odt"),
    ("draft.odt", lambda: _rezipped(_odt(), {"META-INF/manifest.xml": _external_entity()}), HOSTILE_XML,
     "external entity in the manifest"),
]


@pytest.fixture
def refusal(app):
    """The message opening this file is refused with, in this language."""
    def refuse(filename: str, data: bytes, language: str = "en", **options) -> str:
        with app.test_request_context(), force_locale(language), pytest.raises(Refused) as caught:
            opened(filename, data, **options)
        return str(caught.value)
    return refuse


@pytest.mark.parametrize("filename, make, message", [r[:3] for r in REFUSED], ids=[r[3] for r in REFUSED])
def test_a_bad_file_is_refused_with_what_to_do(refusal, filename, make, message):
    assert refusal(filename, make()) == message


def test_the_table_holds_the_limits_it_tests():
    assert MAX_BYTES == 8 * MB and MAX_ENTRIES < 3000


def test_the_size_limit_is_the_one_given(refusal):
    assert "limit of 0.5 MB" in refusal("draft.docx", _rezipped(_docx(), add={"a.bin": os.urandom(MB)}),
                                        max_bytes=MB // 2)


def test_an_external_entity_is_refused_and_nothing_of_the_file_it_names_comes_out(refusal):
    message = refusal("draft.docx", _rezipped(_docx(), {"word/document.xml": _external_entity()}))
    assert message == HOSTILE_XML
    passwd = Path("/etc/passwd").read_text().splitlines()[0]
    assert passwd not in message and "root:" not in message


def test_hostile_xml_in_a_part_read_later_is_refused_when_it_is_read(app):
    data = _rezipped(_docx(), {"word/styles.xml": _external_entity()})
    with app.test_request_context(), force_locale("en"):
        package = opened("draft.docx", data)
        with pytest.raises(Refused) as caught:
            package.xml("word/styles.xml")
    assert str(caught.value) == HOSTILE_XML


@pytest.mark.parametrize("filename, make, kind, main, tag", [
    ("Draft.DOCX", _docx, "docx", "word/document.xml",
     "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document"),
    ("C:\\Users\\coordinator\\draft.docx", _docx, "docx", "word/document.xml",
     "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document"),
    ("draft.odt", _odt, "odt", "content.xml", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}document-content"),
    ("draft.odt", lambda: _rezipped(_odt(), add={"Basic/Standard/Module1.xml": b"<module/>",
                                                 "Scripts/python/run.py": b"print('never run')"}),
     "odt", "content.xml", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}document-content"),
], ids=["docx, name in capitals", "docx, Windows path", "odt", "odt with macros, never run"])
def test_a_good_document_opens_and_its_parts_are_read_on_demand(app, filename, make, kind, main, tag):
    with app.test_request_context():
        package = opened(filename, make())
        root = package.xml(main)
        assert isinstance(root, Element) and root.tag == tag
        assert package.xml(main) is root  # parsed once
        assert package.kind == kind and main in package.names
        assert package.xml("no/such/part.xml") is None and package.read("no/such/part.xml") is None
        assert package.read(main).startswith(b"<?xml")


@pytest.mark.parametrize("filename, data, english", [("draft.docx", b"", EMPTY), ("draft.doc", b"x", OLD_WORD)])
def test_a_refusal_is_in_the_readers_language(refusal, filename, data, english):
    message = refusal(filename, data, language="ur")
    assert message != english and any("\u0600" <= c <= "\u06ff" for c in message)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/system-deps.sh installs "
                                            "libreoffice-writer")
def test_files_libreoffice_saved_are_told_apart(refusal, tmp_path):
    """An old Word .doc (named .doc, and renamed .docx) and an .odt saved with a password, both by LibreOffice. The
    password is set by a Basic macro in a profile of the test's own: --convert-to cannot set one."""
    (tmp_path / "draft.docx").write_bytes(_docx())
    (tmp_path / "draft.odt").write_bytes(_odt())
    profile = tmp_path / "profile"
    soffice = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    # The first start lays out the profile (and would overwrite a macro put there before it).
    subprocess.run([*soffice, "--convert-to", "doc", "--outdir", str(tmp_path / "old"), str(tmp_path / "draft.docx")],
                   capture_output=True, timeout=240, check=True)
    (profile / "user/basic/Standard/Module1.xba").write_text(ENCRYPTING_MACRO, encoding="utf-8")
    encrypted = tmp_path / "encrypted.odt"
    subprocess.run([*soffice, f'macro:///Standard.Module1.Encrypt("{tmp_path / "draft.odt"}","{encrypted}")'],
                   capture_output=True, timeout=240, check=True)
    old = (tmp_path / "old/draft.doc").read_bytes()
    assert refusal("draft.doc", old) == OLD_WORD
    assert refusal("draft.docx", old) == OLD_WORD
    assert "encryption-data" in _part(encrypted.read_bytes(), "META-INF/manifest.xml")
    assert refusal("draft.odt", encrypted.read_bytes()) == ODT_PASSWORD


ENCRYPTING_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Encrypt(source As String, target As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot; : load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  Dim store(1) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot; : store(0).Value = &quot;writer8&quot;
  store(1).Name = &quot;Password&quot; : store(1).Value = &quot;secret&quot;
  document.storeToURL(ConvertToURL(target), store())
  document.close(True)
End Sub
</script:module>
"""
