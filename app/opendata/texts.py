"""The public texts as records: declarations, their versions (with the hash and, for one version, the content the
hash covers) and the recommendations as submitted, with their classification and their text in HTML and
Markdown."""
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.choices import DECLARATION_KINDS, GROUPS, PHASES, PILLARS, SDG_TARGETS, THEMES, UNTOC_PROVISIONS
from app.declarations.models import Declaration, Recommendation, RecommendationRevision, Version
from app.extensions import db
from app.opendata.record_kit import (
    PUBLIC_DECLARATION,
    Resource,
    api_link,
    in_languages,
    int_list_contains,
    labelled,
    labelled_list,
    moment,
    narrowed,
    page_link,
)
from app.submissions.models import Submission, SubmittedRecommendation

# --- declarations ---------------------------------------------------------------------------------------------


def _declarations(filters):
    return narrowed(select(Declaration).where(PUBLIC_DECLARATION), filters, declaration=Declaration.id,
                    since=Declaration.updated_at)


def declaration_records(rows) -> list[dict]:
    declarations = [row[0] for row in rows]
    ids = [d.id for d in declarations]
    submitted = dict(db.session.execute(select(Submission.declaration_id, Submission.id)
                                        .where(Submission.declaration_id.in_(ids))).all()) if ids else {}
    return [{
        "id": d.id,
        "kind": labelled(DECLARATION_KINDS, d.kind),
        "language": d.language,
        "languages": list(d.languages),
        "title": in_languages(d.language, d.title, d.translation_language, d.title_translation),
        "summary": in_languages(d.language, d.summary, d.translation_language, d.summary_translation),
        "phase": labelled(PHASES, d.phase),
        "consultation_deadline": moment(d.consultation_deadline),
        "signon_deadline": moment(d.signon_deadline),
        "created_at": moment(d.created_at),
        "updated_at": moment(d.updated_at),
        "submission_id": submitted.get(d.id),
        "url": page_link("declarations.read", declaration_id=d.id),
        "versions": api_link("versions") + f"?declaration={d.id}",
    } for d in declarations]


DECLARATIONS = Resource("declarations", Declaration.id, _declarations, declaration_records,
                        filters=("since",), summary="Public declarations: past drafting and open to everyone.")

# --- versions -------------------------------------------------------------------------------------------------


def _versions(filters):
    statement = (select(Version.id, Version.declaration_id, Version.number, Version.phase, Version.sha256,
                        Version.created_at)
                 .join(Declaration, Declaration.id == Version.declaration_id).where(PUBLIC_DECLARATION))
    return narrowed(statement, filters, declaration=Version.declaration_id, since=Version.created_at)


def version_records(rows) -> list[dict]:
    return [{
        "id": row.id, "declaration_id": row.declaration_id, "number": row.number,
        "phase": labelled(PHASES, row.phase), "sha256": row.sha256, "created_at": moment(row.created_at),
        "url": page_link("declarations.history", declaration_id=row.declaration_id),
        "api": api_link("versions", row.id),
    } for row in rows]


def versions_with_content(rows) -> list[dict]:
    """The records with the text each hash covers (a version's content: for one version, or a small batch)."""
    records = version_records(rows)
    contents = dict(db.session.execute(select(Version.id, Version.content)
                                       .where(Version.id.in_([r["id"] for r in records]))).all()) if records else {}
    for record in records:
        record["content"] = contents[record["id"]]
    return records


VERSIONS = Resource("versions", Version.id, _versions, version_records, filters=("declaration", "since"),
                    detail=versions_with_content, batch=20,
                    summary="The numbered, hashed versions of public declarations; one version at a time (and the "
                            "archive) with the content its hash covers.")

# --- recommendations as submitted ----------------------------------------------------------------------------


def classification(untoc, sdg_targets, groups) -> dict:
    return {"untoc": labelled_list(UNTOC_PROVISIONS, untoc), "sdg_targets": labelled_list(SDG_TARGETS, sdg_targets),
            "groups": labelled_list(GROUPS, groups)}


def submitted_recommendations():
    """Submitted recommendations of public dossiers, with their declaration, submission date and line."""
    return (select(SubmittedRecommendation, Submission.declaration_id, Submission.submitted_at, Recommendation.line_id)
            .join(Submission, Submission.id == SubmittedRecommendation.submission_id)
            .join(Declaration, Declaration.id == Submission.declaration_id)
            .join(Recommendation, Recommendation.id == SubmittedRecommendation.recommendation_id)
            .where(PUBLIC_DECLARATION))


def _recommendations(filters):
    return narrowed(submitted_recommendations(), filters, declaration=Submission.declaration_id,
                    institution=lambda i: int_list_contains(SubmittedRecommendation.addressees, i),
                    since=Submission.submitted_at)


def _sources(recommendation_ids: list[int]) -> dict[int, tuple]:
    """The Markdown each recommendation was submitted in (its current revision: a submitted text is never edited
    again) and its translation's, by recommendation id."""
    if not recommendation_ids:
        return {}
    original, translated = aliased(RecommendationRevision), aliased(RecommendationRevision)
    rows = db.session.execute(
        select(Recommendation.id, original.text_source, original.language, translated.text_source,
               translated.text_html, translated.language)
        .outerjoin(original, original.id == Recommendation.current_revision_id)
        .outerjoin(translated, translated.id == Recommendation.translation_revision_id)
        .where(Recommendation.id.in_(recommendation_ids))).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def recommendation_records(rows) -> list[dict]:
    sources = _sources([row[0].recommendation_id for row in rows])
    records = []
    for item, declaration_id, submitted_at, line_id in rows:
        markdown, language, translation, translation_html, translation_language = sources.get(
            item.recommendation_id, ("", "en", None, None, None))
        records.append({
            "id": item.recommendation_id, "submission_id": item.submission_id, "declaration_id": declaration_id,
            "number": item.number, "line_id": line_id,
            "pillar": labelled(PILLARS, item.pillar), "themes": labelled_list(THEMES, item.themes),
            "classification": classification(item.untoc, item.sdg_targets, item.groups),
            "addressees": sorted(item.addressees or []),
            "text": {"language": language or "en", "html": item.text_html, "markdown": markdown or ""},
            "translation": {"language": translation_language, "html": translation_html, "markdown": translation}
            if translation else None,
            "submitted_at": moment(submitted_at),
            "url": page_link("responses.recommendation", recommendation_id=item.recommendation_id),
            "line": api_link("lines", line_id) if line_id else None,
        })
    return records


RECOMMENDATIONS = Resource(
    "recommendations", SubmittedRecommendation.recommendation_id, _recommendations, recommendation_records,
    filters=("declaration", "institution", "since"),
    summary="Recommendations as submitted in public dossiers, with their classification; each has the id of its "
            "page on the site (/recommendations/<id>).")
