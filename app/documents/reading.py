"""Reading an uploaded file into what the preview shows: intake.py opens it safely (or refuses it), a reader
(read_docx.py, read_odt.py) finds its pieces, structure.py proposes what each becomes. A file holding both
languages one after the other, each under its own title (as Sanad exports them), becomes two uploads."""
import re
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.documents import intake, read_docx, read_odt, structure

READERS = {"docx": read_docx.read, "odt": read_odt.read}
MAX_UNITS = 3000
_URDU_LETTERS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_LETTERS = re.compile(r"[A-Za-z]")


@dataclass
class Upload:
    """One file as the preview shows it: its name, language, units and what was left out of it."""

    name: str
    language: str
    units: list[structure.Unit]
    dropped: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"name": self.name, "language": self.language, "units": [u.to_json() for u in self.units],
                "dropped": self.dropped}

    @classmethod
    def from_json(cls, data: dict) -> "Upload":
        return cls(str(data["name"]), str(data["language"]), [structure.Unit.from_json(u) for u in data["units"]],
                   {str(k): int(v) for k, v in data["dropped"].items()})


def read_file(filename: str, data: bytes) -> list[Upload]:
    """The file's units with their proposed roles — two uploads for a file that holds both languages, one after
    the other, each under its own title (as Sanad exports them) — or Refused with what is wrong with the file."""
    package = intake.opened(filename, data)
    try:
        reading = READERS[package.kind](package)
    except RecursionError:
        raise intake.damaged() from None
    if not any(piece.text or piece.rows for piece in reading.pieces):
        raise intake.Refused(_("The document has no text to import."))
    if len(reading.pieces) > MAX_UNITS:
        raise intake.Refused(_("The document has too many paragraphs (more than %(limit)s): import it in parts.",
                               limit=format_decimal(MAX_UNITS)))
    dropped = {k: v for k, v in reading.dropped.items() if v}
    titles = [i for i, piece in enumerate(reading.pieces) if piece.kind == "title"]
    parts = [reading.pieces]
    if len(titles) == 2:
        first, second = reading.pieces[:titles[1]], reading.pieces[titles[1]:]
        if language_of(first) != language_of(second):
            parts = [first, second]
    return [Upload(filename, language_of(part), structure.find(part), dropped if n == 0 else {})
            for n, part in enumerate(parts)]


def language_of(pieces) -> str:
    """Urdu when most of the text's letters are in Arabic script, else English."""
    text = " ".join(piece.text for piece in pieces[:400])
    return "ur" if len(_URDU_LETTERS.findall(text)) > len(_LATIN_LETTERS.findall(text)) else "en"
