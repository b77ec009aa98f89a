"""Atom feeds (RFC 4287) of the government's newest published answers and implementation updates on public
dossiers: all of them, one institution's, or one declaration's. Built with xml.etree, which escapes every text and
attribute; characters XML cannot carry at all are dropped first. Each entry links to the recommendation's page and
is identified by the record's address in the API, so a reader can fetch the record as JSON."""
import re
import xml.etree.ElementTree as ET
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.choices import IMPLEMENTATION_STATUSES, POSITIONS, label
from app.declarations.models import Declaration
from app.extensions import db
from app.institutions.models import Institution
from app.opendata.record_kit import PUBLIC_DECLARATION, api_link, moment, page_link
from app.responses.models import Answer, ImplementationUpdate
from app.submissions.models import Submission, SubmittedRecommendation

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_SIZE = 50
# Nothing published yet: a fixed moment, so that an empty feed keeps its ETag.
EMPTY_FEED_UPDATED = datetime(2000, 1, 1)
# What XML 1.0 cannot hold (control characters other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF).
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM)


def _about(statement, item_id, institution_id):
    """The statement (answers or updates) joined to what they are about, kept to public dossiers."""
    return (statement.join(SubmittedRecommendation, SubmittedRecommendation.id == item_id)
            .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
            .join(Declaration, Declaration.id == Submission.declaration_id)
            .join(Institution, Institution.id == institution_id).where(PUBLIC_DECLARATION))


def _columns():
    return (SubmittedRecommendation.recommendation_id, SubmittedRecommendation.number, Submission.title,
            Submission.declaration_id, Institution.name.label("institution"), Institution.acronym)


def _narrowed(statement, institution_id: int | None, declaration_id: int | None, institution_column):
    if institution_id is not None:
        statement = statement.where(institution_column == institution_id)
    if declaration_id is not None:
        statement = statement.where(Submission.declaration_id == declaration_id)
    return statement


def _answers(institution_id, declaration_id) -> list[dict]:
    statement = _about(select(Answer.id, Answer.institution_id, Answer.position, Answer.explanation,
                              Answer.published_at.label("moment"), *_columns()), Answer.item_id,
                       Answer.institution_id)
    statement = _narrowed(statement.where(Answer.published_at.is_not(None)), institution_id, declaration_id,
                          Answer.institution_id)
    rows = db.session.execute(statement.order_by(Answer.published_at.desc(), Answer.id.desc()).limit(FEED_SIZE))
    return [{"kind": "answers", "row": row, "word": label(POSITIONS, row.position), "key": row.position,
             "text": row.explanation} for row in rows]


def _updates(institution_id, declaration_id) -> list[dict]:
    statement = _about(select(ImplementationUpdate.id, ImplementationUpdate.institution_id, ImplementationUpdate.status,
                              ImplementationUpdate.evidence, ImplementationUpdate.created_at.label("moment"),
                              *_columns()), ImplementationUpdate.item_id, ImplementationUpdate.institution_id)
    statement = _narrowed(statement, institution_id, declaration_id, ImplementationUpdate.institution_id)
    # Newest first by id (made in that order): the primary key's order, read only as far as the feed goes.
    rows = db.session.execute(statement.order_by(ImplementationUpdate.id.desc()).limit(FEED_SIZE))
    return [{"kind": "updates", "row": row, "word": label(IMPLEMENTATION_STATUSES, row.status), "key": row.status,
             "text": row.evidence} for row in rows]


def newest(institution_id: int | None = None, declaration_id: int | None = None) -> list[dict]:
    """The FEED_SIZE newest answers and updates together, newest first: at most FEED_SIZE of each read."""
    entries = _answers(institution_id, declaration_id) + _updates(institution_id, declaration_id)
    entries.sort(key=lambda e: (e["row"].moment, e["kind"], e["row"].id), reverse=True)
    return entries[:FEED_SIZE]


def _clean(text: str | None) -> str:
    return NOT_XML.sub("", text or "")


def _add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _entry(feed, entry: dict) -> None:
    row = entry["row"]
    institution = row.acronym or row.institution
    element = _add(feed, "entry")
    _add(element, "id", api_link(entry["kind"], row.id))
    if entry["kind"] == "answers":
        title = _("Answer from %(institution)s: %(position)s (recommendation %(number)d)", institution=institution,
                  position=entry["word"], number=row.number)
    else:
        title = _("Implementation update from %(institution)s: %(status)s (recommendation %(number)d)",
                  institution=institution, status=entry["word"], number=row.number)
    _add(element, "title", title)
    _add(element, "updated", moment(row.moment))
    _add(element, "published", moment(row.moment))
    _add(_add(element, "author"), "name", row.institution)
    _add(element, "link", rel="alternate", type="text/html",
         href=page_link("responses.recommendation", recommendation_id=row.recommendation_id))
    _add(element, "category", term=entry["key"], label=entry["word"])
    summary = _("%(title)s, recommendation %(number)d.", title=row.title, number=row.number)
    _add(element, "summary", summary)
    _add(element, "content", f"{entry['word']}\n\n{entry['text']}".strip() if entry["text"] else entry["word"],
         type="text")


def atom(*, title: str, author: str, self_url: str, page_url: str, language: str, entries: list[dict]) -> bytes:
    """The feed as UTF-8 XML; author: the alliance, who publishes it (each entry names the institution)."""
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _add(feed, "id", self_url)
    _add(feed, "title", title)
    _add(_add(feed, "author"), "name", author)
    _add(feed, "updated", moment(max((e["row"].moment for e in entries), default=EMPTY_FEED_UPDATED)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    _add(feed, "generator", "Sanad")
    for entry in entries:
        _entry(feed, entry)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
