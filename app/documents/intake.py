"""The gate of an uploaded .docx or .odt (a coordinator's draft of the alliance's declaration): the file is opened
in memory and refused, with a message in the person's language, before anything reads what the document says.

A .docx and an .odt are zip archives of XML parts, so a bad file can be far worse than unreadable: a zip bomb (a
few kilobytes that unpack to gigabytes), XML that expands an entity a billion times or reads a file of the server
(an external entity), a macro, or a document encrypted with a password that would only read as noise. Each is
told apart here, because each asks something different of the person: save without images, without macros,
without the password, or from the program again.

Nothing is kept: the upload is read from the request (Werkzeug spools one over 500 KB to an unnamed temporary
file, gone when the request ends) into memory, and no entry is ever extracted to a path, so an entry named
"../../etc/passwd" is only a name. zipfile stops reading an entry at the size its directory declares (and
calls a longer one damaged, by its CRC), so the caps on declared sizes below bound the memory a file can take.
Every part is parsed with defusedxml, which refuses a DTD outright: Word and LibreOffice never write one."""
import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.errors import RuleError

MB = 1024 * 1024
MAX_BYTES = 8 * MB  # the file itself
MAX_UNPACKED = 40 * MB  # all entries' declared uncompressed sizes together
MAX_ENTRIES = 2000
MAX_PART = 20 * MB  # one XML part we parse
# An entry past this size that is compressed more than MAX_RATIO times is a bomb: real documents' XML compresses
# about ten times, and a part of zeros or repeats (what bombs are made of) a thousand times.
RATIO_FLOOR = 1 * MB
MAX_RATIO = 200

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Names in an OLE2 compound file's directory (UTF-16): Word's encrypted .docx is such a file holding an
# "EncryptedPackage" stream; an old .doc (renamed .docx) holds a "WordDocument" stream instead.
OLE2_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
OLE2_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
MAIN_PART = {"docx": "word/document.xml", "odt": "content.xml"}
# What zipfile raises for an entry it cannot unpack: a CRC or header mismatch (BadZipFile), a broken deflate,
# LZMA or bzip2 stream (zlib.error, LZMAError, OSError), a truncated one (EOFError), an unsupported method
# (NotImplementedError), an offset before the file's start (ValueError: "negative seek value"). RuntimeError (a
# zip-level password) is caught on its own, as protection.
UNREADABLE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError, ValueError)


class Refused(RuleError):
    """The file cannot be imported; str(error) is the message for the person, in their language."""


@dataclass
class Package:
    """An uploaded document's zip archive, opened and checked; its entries read and parsed on demand."""

    kind: str  # "docx" or "odt"
    names: frozenset[str]  # every entry name in the zip
    archive: zipfile.ZipFile = field(repr=False, compare=False)
    _parsed: dict[str, Element] = field(default_factory=dict, repr=False, compare=False)

    def read(self, name: str) -> bytes | None:
        """The raw bytes of an entry, None when there is no such entry; one larger than MAX_PART is refused."""
        if name not in self.names:
            return None
        info = self.archive.getinfo(name)
        if info.file_size > MAX_PART:
            raise Refused(_bomb())
        try:
            return self.archive.read(info)
        except RuntimeError:  # a zip-level password: no editor writes one, but the remedy is the same
            raise Refused(_protected(self.kind)) from None
        except UNREADABLE:
            raise Refused(_damaged()) from None

    def xml(self, name: str) -> Element | None:
        """The entry parsed with defusedxml, cached; None when there is no such entry. A DTD or entity declaration
        is refused (Word and LibreOffice write none: it is a billion-laughs bomb or an external-entity read), and
        so is XML that does not parse."""
        if name in self._parsed:
            return self._parsed[name]
        data = self.read(name)
        if data is None:
            return None
        try:
            root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException:
            raise Refused(_("The document holds XML that Sanad does not read (a DTD or entity declarations). "
                            "Save it again from Word or LibreOffice and upload that.")) from None
        except (ParseError, LookupError):  # LookupError: an encoding Python does not know
            raise Refused(_damaged()) from None
        self._parsed[name] = root
        return root


def opened(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> Package:
    """The upload as a Package, or Refused with the reason, checked in this order: empty, too large, the kind of
    file its name says, what its first bytes say it is, a zip bomb, then what a .docx or an .odt must hold (and
    must not: macros, a password), and last its main part parsed, so that hostile XML is refused up front."""
    if not data or data.isspace():  # (no copy of a large upload, as strip() would make)
        raise Refused(_("The file is empty."))
    if len(data) > max_bytes:
        raise Refused(_("The file is larger than the limit of %(limit)s MB. Images are not imported anyway: save a "
                        "copy of the document without its images and upload that.",
                        limit=format_decimal(max_bytes / MB, format="#,##0.#")))
    kind = _kind(filename)
    archive = _archive(kind, data)
    infos = archive.infolist()
    if (len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED
            or any(i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * i.compress_size for i in infos)):
        raise Refused(_bomb())
    if any(i.flag_bits & 0x1 for i in infos):  # a zip-level password on an entry
        raise Refused(_protected(kind))
    package = Package(kind, frozenset(archive.namelist()), archive)
    if kind == "docx":
        _check_docx(package)
    else:
        _check_odt(package)
    package.xml(MAIN_PART[kind])
    return package


def _kind(filename: str) -> str:
    """'docx' or 'odt' from the name's extension; any other is refused, each with its own remedy."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if extension in ("docx", "odt"):
        return extension
    if extension in ("docm", "dotm"):
        raise Refused(_macros())
    if extension == "doc":
        raise Refused(_old_word())
    raise Refused(_("Sanad cannot import this kind of file. Upload a Word (.docx) or OpenDocument (.odt) file."))


def _archive(kind: str, data: bytes) -> zipfile.ZipFile:
    """The zip inside the upload, after telling a password-protected Word file (an OLE2 compound file, not a zip)
    and a file that only bears the name from a real one."""
    if kind == "docx" and data.startswith(OLE2_MAGIC):
        if OLE2_WORD_DOCUMENT in data and OLE2_ENCRYPTED_PACKAGE not in data:
            raise Refused(_old_word())
        raise Refused(_protected(kind))
    if not data.startswith(ZIP_MAGIC):
        raise Refused(_not_the_kind(kind))
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OverflowError):
        raise Refused(_damaged()) from None  # a zip's beginning, but no directory to be read: cut short


def _check_docx(package: Package) -> None:
    """A Word document has its content types and main part; macros are refused even in a file named .docx (a .docm
    renamed keeps them, and Word would run them for whoever opens the file after Sanad)."""
    if "[Content_Types].xml" not in package.names or MAIN_PART["docx"] not in package.names:
        raise Refused(_not_the_kind("docx"))
    if any(name.lower().endswith("vbaproject.bin") for name in package.names):
        raise Refused(_macros())
    types = package.xml("[Content_Types].xml")
    if any("macroenabled" in element.get("ContentType", "").lower() for element in types.iter()):
        raise Refused(_macros())


def _check_odt(package: Package) -> None:
    """An OpenDocument text says so in its first entry, and has its content. One saved with a password lists its
    encrypted parts in the manifest; their bytes would parse as damaged XML, so the manifest is read first. Basic
    or script macros in an .odt are not refused: nothing here runs them, and importing keeps only the text."""
    if (package.read("mimetype") or b"").strip() != ODT_MIMETYPE or MAIN_PART["odt"] not in package.names:
        raise Refused(_not_the_kind("odt"))
    manifest = package.xml("META-INF/manifest.xml")
    if manifest is not None and manifest.find(f".//{MANIFEST}encryption-data") is not None:
        raise Refused(_protected("odt"))


# -- the messages used in more than one place --
def _macros() -> str:
    return _("This document contains macros, which Sanad does not import. Save it as a Word Document (.docx) "
             "without macros and upload that.")


def _old_word() -> str:
    return _("This document is in the old Word format (.doc). Open it in Word or LibreOffice, save it as a Word "
             "Document (.docx) and upload that.")


def _protected(kind: str) -> str:
    if kind == "odt":
        return _("This document is protected with a password. Save it again without the password (in LibreOffice: "
                 "File → Save As, with “Save with password” unticked) and upload that.")
    return _("This document is protected with a password. Remove the password (in Word: File → Info → Protect "
             "Document → Encrypt with Password, empty the box) and upload it again.")


def _not_the_kind(kind: str) -> str:
    if kind == "odt":
        return _("This file is not an OpenDocument text (.odt), though its name says so. Open it in the program "
                 "that made it, save it as OpenDocument Text (.odt) and upload that.")
    return _("This file is not a Word document (.docx), though its name says so. Open it in the program that made "
             "it, save it as a Word Document (.docx) and upload that.")


def _bomb() -> str:
    return _("This file unpacks to far more than a document holds, so Sanad does not open it. Save the document "
             "again from Word or LibreOffice and upload that.")


def damaged() -> Refused:
    """The refusal of a file that opened but cannot be read through (nested past any document's depth)."""
    return Refused(_damaged())


def _damaged() -> str:
    return _("The file is damaged and cannot be read. Open it in Word or LibreOffice, save it again and upload "
             "that.")
