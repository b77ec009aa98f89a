"""Exported documents: a version of a declaration, or a dossier (complete or its public extract), as .docx or
.odt, in one of its languages or both. Each takes the person asking and checks what they may read."""
from sqlalchemy import select

from app import permissions
from app.declarations.models import Declaration, Version
from app.documents import compose
from app.documents.docx import DocxWriter
from app.documents.odt import OdtWriter
from app.errors import NotAllowed
from app.extensions import db
from app.submissions import extract
from app.submissions import services as submissions
from app.submissions.models import Submission

WRITERS = {"docx": DocxWriter, "odt": OdtWriter}
MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "odt": "application/vnd.oasis.opendocument.text"}
LANGUAGE_CHOICES = ("both", "en", "ur")


class NoSuchLanguage(LookupError):
    """The text is not written in the language asked for."""


def version_of(declaration: Declaration, number: int) -> Version | None:
    return db.session.scalar(select(Version).where(Version.declaration_id == declaration.id, Version.number == number))


def version_document(actor, declaration: Declaration, version: Version, kind: str, language: str | None) -> bytes:
    """A version's text as a document: title, summary, sections, recommendations numbered with their pillar,
    the version's number and SHA-256 in the footer."""
    if not permissions.can_view_declaration(actor, declaration) or version.declaration_id != declaration.id:
        raise NotAllowed()
    languages = compose.chosen_languages(version.content, language)
    if languages is None:
        raise NoSuchLanguage(language)
    parts = compose.version_parts(declaration, version.content, languages)
    writer = WRITERS[kind](parts[0].title, languages[0])
    compose.write_parts(writer, parts)
    writer.footer(compose.version_footer(version, languages[0]), languages[0])
    return writer.finish()


def dossier_document(actor, submission: Submission, complete: bool, kind: str, language: str | None) -> bytes:
    """A dossier as a document: its cover, text and recommendations by pillar in the chosen languages, then the
    signatories it names. complete=False is the public extract, which names only the public signatories."""
    declaration, institution_ids = submission.declaration, submission.institution_ids
    allowed = (permissions.can_view_dossier if complete else permissions.can_read_dossier)(
        actor, declaration, institution_ids)
    if not allowed:
        raise NotAllowed()
    content = submission.content if complete else extract.public_extract(submission.content)
    languages = compose.chosen_languages(content["text"], language)
    if languages is None:
        raise NoSuchLanguage(language)
    html = {r.recommendation_id: r.text_html for r in submissions.submitted_recommendations(submission)}
    parts = compose.dossier_parts(submission, content, languages, html)
    writer = WRITERS[kind](parts[0].title, languages[0])
    compose.write_parts(writer, parts)
    compose.write_signatories(writer, content, complete, languages[0])
    writer.footer(compose.dossier_footer(submission, complete, languages[0]), languages[0])
    return writer.finish()
