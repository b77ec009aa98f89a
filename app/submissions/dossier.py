"""The dossier: the content frozen at submission (text, recommendations by pillar, signatories honouring
visibility, the consultation record) and its forms — canonical JSON, CSV rows and the PDF. Every form
carries the same SHA-256."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import joinedload, selectinload

from app import permissions
from app.accounts.models import User
from app.amendments.models import Amendment
from app.choices import (
    ORGANIZATION_TYPES,
    PILLARS,
    PROVINCES,
    SIGNATURE_VISIBILITIES,
    THEMES,
    AmendmentStatus,
    CommentStatus,
    SignatureStatus,
    label,
)
from app.comments.models import Comment
from app.database import insert_unless_duplicate
from app.declarations import classification
from app.declarations.models import ConsultationEvent, Declaration, Version
from app.declarations.services import canonical_json
from app.extensions import db
from app.institutions.models import Institution
from app.organizations.models import Organization
from app.settings import services as alliance_settings
from app.signatures.models import Signature
from app.signatures.queries import verified_clause
from app.submissions import bilingual
from app.submissions.models import DossierPdf, Submission
from app.time import utcnow

DOSSIER_FORMAT = "sanad-dossier/1"
HASH_METHOD = ("sha256 is the SHA-256 of the value of 'dossier' written as JSON with sorted keys, "
               "no spaces and UTF-8 (Python: json.dumps(dossier, sort_keys=True, separators=(',', ':'), "
               "ensure_ascii=False).encode('utf-8'))")
# Named in the dossier: what its readers — the alliance and the reviewers it is addressed to — may see named
# (permissions.signature_tiers); signers who chose "coordinators only" are counted, never named.
NAMED_TIERS = permissions.ALLIANCE_TIERS


def recommendations_by_pillar(content: dict) -> list[tuple[str, list[dict]]]:
    """The submitted recommendations grouped by pillar, in the pillars' order, each group in number order."""
    groups: dict[str, list[dict]] = {}
    for rec in content["text"]["recommendations"]:
        groups.setdefault(rec["pillar"], []).append(rec)
    order = list(PILLARS) + sorted(set(groups) - set(PILLARS))
    return [(pillar, groups[pillar]) for pillar in order if pillar in groups]


def counted_signatures(declaration: Declaration, version_id: int) -> list[Signature]:
    """The active signatures on the version that count as signed, by name (then id, so the order is fixed)."""
    rows = db.session.scalars(
        select(Signature).outerjoin(Organization, Signature.organization_id == Organization.id)
        .options(joinedload(Signature.organization), joinedload(Signature.open_request),
                 selectinload(Signature.reservations))
        .where(Signature.declaration_id == declaration.id, Signature.version_id == version_id,
               Signature.status == SignatureStatus.ACTIVE, verified_clause())).unique().all()
    return sorted(rows, key=lambda s: (s.display_name.casefold(), s.id))


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _signatory(signature: Signature, numbers: dict[int, int]) -> dict:
    name = signature.organization.name if signature.organization is not None else signature.display_name
    entry = {"name": name, "signer": signature.signer_name,
             "designation": signature.signer_designation, "signed_at": _iso(signature.signed_at),
             "visibility": signature.visibility,
             "reservations": sorted(({"recommendation": numbers[r.recommendation_id], "text": r.text}
                                     for r in signature.reservations if r.recommendation_id in numbers),
                                    key=lambda r: r["recommendation"])}
    if signature.capacity == "organization":
        organization, outside = signature.organization, signature.open_request
        entry.update(
            acronym=organization.acronym if organization is not None else "",
            type=organization.type if organization is not None else outside.organization_type,
            province=(organization.province if organization is not None else outside.province) or "",
            country="" if organization is not None else outside.country,
            member=organization is not None)
    return entry


def dossier_content(declaration: Declaration, version: Version, institutions: list[Institution],
                    signatures: list[Signature], actor, submitted_at) -> dict:
    """Everything the dossier says, as plain JSON values (what the hash covers)."""
    text = version.content
    numbers = {rec["id"]: rec["number"] for rec in text["recommendations"]}
    addressee_ids = sorted({a for rec in text["recommendations"] for a in rec["addressees"]})
    named = {i.id: i for i in db.session.scalars(select(Institution).where(Institution.id.in_(addressee_ids)))}
    organizations, individuals = [], []
    unnamed = {"organizations": 0, "individuals": 0}
    for signature in signatures:
        group = "organizations" if signature.capacity == "organization" else "individuals"
        if signature.visibility in NAMED_TIERS:
            (organizations if group == "organizations" else individuals).append(_signatory(signature, numbers))
        else:
            unnamed[group] += 1
    organization_count = len(organizations) + unnamed["organizations"]
    individual_count = len(individuals) + unnamed["individuals"]
    alliance = alliance_settings.current()
    return {
        "format": DOSSIER_FORMAT,
        # The alliance's name at submission, kept with the dossier (and covered by its hash): a later change of
        # the settings does not change a submitted dossier. The Urdu name ("" when none) came later to the format.
        "alliance": alliance.name_en,
        "alliance_ur": alliance.name_ur,
        "declaration": {"id": declaration.id, "kind": declaration.kind, "title": declaration.title,
                        "summary": declaration.summary, **bilingual.declaration_fields(declaration, text)},
        "version": {"number": version.number, "sha256": version.sha256, "frozen_at": _iso(version.created_at)},
        "submitted_at": _iso(submitted_at),
        "submitted_by": actor.name,
        "recipients": [{"id": i.id, "name": i.name, "acronym": i.acronym} for i in institutions],
        "institutions": {str(i): {"name": named[i].name, "acronym": named[i].acronym}
                         for i in addressee_ids if i in named},
        "text": text,
        "signatories": {
            "organizations": organizations, "individuals": individuals, "unnamed": unnamed,
            "counts": {"organizations": organization_count, "individuals": individual_count,
                       "total": organization_count + individual_count},
        },
        "consultation": consultation_record(declaration, submitted_at),
        # A text in two languages: which ones the hash covers (both texts are in "text").
        **bilingual.dossier_fields(text),
    }


def consultation_record(declaration: Declaration, submitted_at) -> dict:
    """Phase dates, events with their participants, who took part, and what was said and changed."""
    versions = db.session.execute(select(Version.number, Version.phase, Version.created_at, Version.sha256)
                                  .where(Version.declaration_id == declaration.id)
                                  .order_by(Version.number)).all()
    phases = [{"phase": v.phase, "version": v.number, "date": _iso(v.created_at), "sha256": v.sha256}
              for v in versions] + [{"phase": "submitted", "version": versions[-1].number if versions else 0,
                                     "date": _iso(submitted_at), "sha256": versions[-1].sha256 if versions else ""}]
    events = db.session.scalars(select(ConsultationEvent).where(ConsultationEvent.declaration_id == declaration.id)
                                .order_by(ConsultationEvent.held_on, ConsultationEvent.id)).all()
    event_rows = []
    for e in events:
        stated = (e.women or 0) + (e.men or 0) + (e.other_gender or 0)
        event_rows.append({"title": e.title, "held_on": e.held_on.isoformat(), "venue": e.venue, "online": e.online,
                           "organizers": e.organizers, "in_person": e.participants_in_person,
                           "online_participants": e.participants_online, "women": e.women or 0, "men": e.men or 0,
                           "other": e.other_gender or 0, "not_stated": max(0, e.participants - stated)})
    totals = {key: sum(row[key] for row in event_rows)
              for key in ("in_person", "online_participants", "women", "men", "other", "not_stated")}
    comments = _comments_received(declaration)
    proposed = db.session.scalar(select(func.count(Amendment.id)).where(Amendment.declaration_id == declaration.id))
    accepted = db.session.scalar(select(func.count(Amendment.id)).where(Amendment.declaration_id == declaration.id,
                                                                         Amendment.status == AmendmentStatus.ACCEPTED))
    people = select(Comment.author_id.label("user_id")).where(Comment.declaration_id == declaration.id).union(
        select(Amendment.proposer_id).where(Amendment.declaration_id == declaration.id)).subquery()
    genders = {"woman": 0, "man": 0, "other": 0, "not_stated": 0}
    organization_ids = set(db.session.scalars(select(distinct(Comment.organization_id)).where(
        Comment.declaration_id == declaration.id, Comment.organization_id.is_not(None))))
    for gender, organization_id in db.session.execute(
            select(User.gender, User.organization_id).join(people, people.c.user_id == User.id)):
        genders[gender if gender in genders else "not_stated"] += 1
        if organization_id is not None:
            organization_ids.add(organization_id)
    organizations = sorted(db.session.scalars(select(Organization.name).where(
        Organization.id.in_(organization_ids), Organization.verified.is_(True))), key=str.casefold)
    return {
        "phases": phases,
        "consultation_deadline": _iso(declaration.consultation_deadline),
        "signon_deadline": _iso(declaration.signon_deadline),
        "events": event_rows, "event_totals": totals,
        "organizations": organizations,
        # Unverified organizations that took part are counted, not named.
        "organization_count": len(organization_ids),
        "participants": sum(genders.values()), "participants_by_gender": genders,
        "comments": comments,
        "amendments": {"proposed": proposed, "accepted": accepted},
    }


def _comments_received(declaration: Declaration) -> dict[str, int]:
    """The comments received, and what became of them: published, hidden by a moderator, rejected, withdrawn
    by their authors, still waiting. The record counts what the threads show as placeholders, so its
    readers know what they do not see. One query."""
    counts = {"received": 0, "published": 0, "hidden": 0, "rejected": 0, "withdrawn": 0, "waiting": 0}
    for status, withdrawn, n in db.session.execute(
            select(Comment.status, Comment.deleted_at.is_not(None), func.count(Comment.id))
            .where(Comment.declaration_id == declaration.id).group_by(Comment.status, Comment.deleted_at.is_not(None))):
        counts["received"] += n
        if withdrawn:
            counts["withdrawn"] += n
        else:
            counts[{CommentStatus.PUBLISHED: "published", CommentStatus.HIDDEN: "hidden",
                    CommentStatus.REJECTED: "rejected"}.get(status, "waiting")] += n
    return counts


def dossier_json(submission: Submission) -> bytes:
    """The dossier as canonical JSON, with its hash and how to recompute it."""
    return canonical_json({"dossier": submission.content, "sha256": submission.sha256, "hash_method": HASH_METHOD})


def recommendation_rows(submission: Submission) -> tuple[list[str], list[list]]:
    """One row per recommendation; a text in two languages has a text column per language (bilingual.py)."""
    text = submission.content["text"]
    names = submission.institution_names
    classified = any(classification.in_content_of(rec) for rec in text["recommendations"])
    header = [_("Number"), _("Pillar"), _("Themes"), _("Addressees"), _("Convention articles"),
              *bilingual.text_columns(text), _("SHA-256"), *(classification_columns() if classified else [])]
    cells = bilingual.recommendation_cells(text)
    rows = [[rec["number"], label(PILLARS, rec["pillar"]), "; ".join(label(THEMES, t) for t in rec["themes"]),
             "; ".join(names.get(a, "") for a in rec["addressees"]), rec["convention_articles"], *cells[rec["id"]],
             submission.sha256, *(classification_cells(rec) if classified else [])] for rec in text["recommendations"]]
    return header, rows


def classification_columns() -> list[str]:
    """The recommendations CSV's classification, when any recommendation has one (a dossier without keeps the
    columns it always had): for each list its keys (for data work) and their labels in the reader's language,
    after the columns the CSV always had."""
    return [_("UNTOC provisions (keys)"), _("UNTOC provisions"), _("SDG targets (keys)"), _("SDG targets"),
            _("Groups concerned (keys)"), _("Groups concerned")]


def classification_cells(recommendation: dict) -> list[str]:
    cells = []
    for name, keys in classification.from_content(recommendation).items():
        cells += ["; ".join(keys), "; ".join(label(classification.VOCABULARIES[name], key) for key in keys)]
    return cells


def signatory_rows(submission: Submission, content: dict, complete: bool) -> tuple[list[str], list[list]]:
    """Named signatories as this content (the dossier, or its public extract) names them; the others as one
    counted row each group, without a name."""
    signatories = content["signatories"]
    header = [_("Capacity"), _("Name"), _("Type"), _("Province"), _("Country"), _("Signed by"), _("Designation"),
              _("Signed at (UTC)"), _("Visibility"), _("Reservations"), _("SHA-256")]
    rows = []
    for group, capacity in (("organizations", _("Organization")), ("individuals", _("Individual"))):
        for s in signatories[group]:
            rows.append([capacity, s["name"], label(ORGANIZATION_TYPES, s.get("type")),
                         label(PROVINCES, s.get("province")), s.get("country", ""), s.get("signer", ""),
                         s.get("designation", ""),
                         s["signed_at"], label(SIGNATURE_VISIBILITIES, s["visibility"]),
                         " | ".join(f"{r['recommendation']}: {r['text']}" for r in s["reservations"]),
                         submission.sha256])
        if signatories["unnamed"][group]:
            count = signatories["unnamed"][group]
            unnamed = (ngettext("%(num)d further signatory who asked not to be named",
                                "%(num)d further signatories who asked not to be named", count) if complete
                       else ngettext("%(num)d further signatory who asked not to be named publicly",
                                     "%(num)d further signatories who asked not to be named publicly", count))
            rows.append([capacity, unnamed, "", "", "", "", "", "", "", "", submission.sha256])
    return header, rows


# The PDF's layout, raised when the PDF's stylesheet or template changes what a reader sees: PDFs kept under an
# older layout are made again on their next download (the dossier's content and hash do not change). 2: the
# Urdu page counter read "8 / 1" and the recipients ran together (issue 23).
PDF_LAYOUT = "2"


def pdf_key(language: str, complete: bool) -> str:
    """What a kept PDF is filed under: the language and the layout, marked "p:" for the public extract (never
    served as, nor instead of, the complete dossier). At most 5 characters (the column)."""
    return f"{language}{PDF_LAYOUT}" if complete else f"p:{language}{PDF_LAYOUT}"


def dossier_pdf(submission: Submission, language: str, complete: bool, render_html) -> bytes:
    """The PDF of the dossier, or of its public extract, in this interface language, made once and kept (the
    dossier never changes)."""
    key = pdf_key(language, complete)
    stored = db.session.get(DossierPdf, (submission.id, key))
    if stored is not None:
        return stored.pdf
    pdf = render_pdf(render_html())
    # Two first downloads at once both render; the second keeps the first one's file.
    db.session.execute(insert_unless_duplicate(DossierPdf).values(submission_id=submission.id, language=key,
                                                                  pdf=pdf, created_at=utcnow()))
    return pdf


def render_pdf(html: str) -> bytes:
    """HTML to PDF with WeasyPrint. The stylesheet is read from disk; no URL is ever fetched."""
    from weasyprint import CSS, HTML  # heavy (Pango): loaded on the first PDF, not at start-up
    fetcher = _refusing_fetcher()
    stylesheet = CSS(filename=str(current_app.static_folder) + "/css/dossier-print.css", url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])


def _refusing_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL (an image or stylesheet a text refers to is left out,
    and the PDF still renders). WeasyPrint calls methods of its own URLFetcher on whatever it is given, so
    a plain function no longer works: this subclasses it."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"the dossier PDF fetches nothing: {url[:80]}")

    return RefusingFetcher()
