"""Importing a declaration from Word (.docx) or OpenDocument (.odt): one file, or one per language of a
bilingual text, read by reading.py and never kept. The preview carries the units, signed, to the
confirmation; the coordinator's choice of roles decides the parts; then, in the request's one transaction, a new
declaration is made or a draft gets new revisions of what changed — the declarations services do the writing,
with their own checks, so an import can do nothing that editing by hand could not."""
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app import permissions
from app.audit.services import record
from app.choices import LANGUAGE_NAMES, label
from app.declarations import arranging, translation
from app.declarations import services as declarations
from app.declarations.diff import compare, content_in, word_diff
from app.declarations.models import Declaration
from app.documents import assembly, pairing, structure
from app.documents.reading import Upload
from app.errors import NotAllowed, RuleError

# --- the preview, carried to the confirmation --------------------------------------------------------------

PREVIEW_SECONDS = 24 * 3600  # a preview left open longer is read again from the file


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="documents.import")


def text_state(declaration: Declaration | None) -> str:
    """What a draft's text is as a preview showed it (its parts, title and summaries): confirming after someone
    changed it would overwrite what the preview did not show."""
    if declaration is None:
        return ""
    content = declarations.canonical_content(declaration)
    content["summaries"] = [declaration.summary, declaration.summary_translation]
    return declarations.content_hash(content)


def sealed(actor, uploads: list[Upload], declaration: Declaration | None) -> str:
    return _serializer().dumps({"uploads": [u.to_json() for u in uploads], "user": actor.id,
                                "declaration": declaration.id if declaration else None,
                                "state": text_state(declaration)})


def opened_preview(actor, token: str, declaration: Declaration | None) -> tuple[list[Upload], str]:
    """The preview's uploads and the state of the text it showed, as this site made them for this person and
    this declaration (or a new one) in the last day; RuleError otherwise."""
    try:
        data = _serializer().loads(token or "", max_age=PREVIEW_SECONDS)
        if data.get("declaration") != (declaration.id if declaration else None) or data.get("user") != actor.id:
            raise BadSignature("another declaration or person")
        return [Upload.from_json(u) for u in data["uploads"]], str(data.get("state", ""))
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise RuleError(_("The preview could not be read back. Upload the file again.")) from error


class TextChanged(RuleError):
    """The draft changed after the preview was made: the view shows the preview again, as the text now is."""

    def __init__(self):
        super().__init__(_("The text has changed since this preview was made (by someone else, or by confirming "
                           "this preview already). Check what would change now, then confirm again."))


def with_roles(uploads: list[Upload], chosen: dict[str, str]) -> None:
    """The coordinator's choices on the preview: role-<file>-<unit> and pillar-<file>-<unit>, and a pillar for
    every recommendation that has none (pillar-<file>: a document that does not group them by pillar)."""
    for f, upload in enumerate(uploads):
        for i, unit in enumerate(upload.units):
            role = chosen.get(f"role-{f}-{i}")
            if role in structure.ROLES:
                unit.role = role
            pillar = chosen.get(f"pillar-{f}-{i}")
            if pillar is not None:  # "" is the pillar of the heading above
                unit.pillar = pillar if pillar in structure.PILLARS else ""
        everyone = chosen.get(f"pillar-{f}")
        if everyone in structure.PILLARS:
            for unit in upload.units:
                if unit.role == "recommendation" and not unit.pillar:
                    unit.pillar = everyone


@dataclass
class Plan:
    """What confirming would make: each language's parts, the problems that stop it, and for a draft the
    changes against its text as it stands and which of its parts each imported part continues."""

    drafts: dict[str, assembly.Draft]
    original: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, dict] = field(default_factory=dict)
    sections: list[int | None] = field(default_factory=list)  # per imported section: the draft's, by index
    recommendations: list[int | None] = field(default_factory=list)


def plan(uploads: list[Upload], declaration: Declaration | None = None) -> Plan:
    original = declaration.language if declaration is not None else uploads[0].language
    drafts = {upload.language: assembly.assemble(upload.units) for upload in uploads}
    result = Plan(drafts, original)
    if declaration is not None:
        _pair(result, declaration, uploads)
    if len(uploads) != len(drafts):
        result.problems.append(_("Both files are in the same language: give one file per language."))
    for draft in result.drafts.values():
        result.problems.extend(draft.problems)
    if len(drafts) == 2:
        first, second = drafts.values()
        if len(first.sections) != len(second.sections) or len(first.recommendations) != len(second.recommendations):
            result.problems.append(_(
                "The two files do not match: %(first)s has %(parts1)s, %(second)s %(parts2)s. Their parts are paired "
                "in order, so both need the same.", first=uploads[0].name, second=uploads[1].name,
                parts1=_parts(len(first.sections), len(first.recommendations)),
                parts2=_parts(len(second.sections), len(second.recommendations))))
    if declaration is not None:
        _check_revision(result, declaration)
    return result


def _check_revision(result: Plan, declaration: Declaration) -> None:
    """What a new revision would change, and what it must not do unasked."""
    own = result.drafts.get(declaration.language)
    existing = len(declarations.live_recommendations(declaration.id)) if own is not None else 0
    if own is not None and not own.recommendations and existing:
        result.problems.append(ngettext(
            "No recommendation was found in the document: confirming would delete the one this draft has. Make the "
            "recommendations “A new recommendation” below.",
            "No recommendation was found in the document: confirming would delete the %(num)d this draft has. Make "
            "the recommendations “A new recommendation” below.", existing))
    added = [language for language in result.drafts if language not in declaration.languages]
    if added:
        result.warnings.append(_("This declaration is written in %(language)s only: confirming makes it bilingual, "
                                 "with the file's text as its %(other)s.", language=label(LANGUAGE_NAMES,
                                                                                            declaration.language),
                                 other=label(LANGUAGE_NAMES, added[0])))
    before = declarations.canonical_content(declaration)
    summaries = {declaration.language: declaration.summary}
    if declaration.translation_language:
        summaries[declaration.translation_language] = declaration.summary_translation
    for language, draft in result.drafts.items():
        after = _content_after(before, draft, language, declaration, result)
        changes = compare(content_in(before, language), content_in(after, language))
        for change in changes["recommendations"]:  # only renumbered: its place moved, its text and pillar did not
            if change.status == "changed" and all(op == "equal" for op, _text in change.parts) and all(
                    field == "number" for field, _old, _new in change.details):
                change.status = "moved"
                changes["changed"] -= 1
        old_summary = summaries.get(language, "")
        if draft.summary and draft.summary != old_summary:
            changes["summary"] = word_diff(old_summary, draft.summary)
            changes["changed"] += 1
        result.changes[language] = changes


def _pair(result: Plan, declaration: Declaration, uploads: list[Upload]) -> None:
    """Which of the draft's parts each imported part continues (pairing.py), from the file in the draft's own
    language; a file only in its second language pairs by place. A recommendation the document gives no pillar
    keeps the one it has."""
    sections = declarations.live_sections(declaration.id)
    recommendations = declarations.live_recommendations(declaration.id)
    draft = result.drafts.get(declaration.language)
    if draft is None:
        other = next(iter(result.drafts.values()))
        result.sections = [i if i < len(sections) else None for i in range(len(other.sections))]
        result.recommendations = [i if i < len(recommendations) else None for i in range(len(other.recommendations))]
        return
    result.sections = pairing.match(
        [(" ".join(s.current.heading.lower().split()), pairing.meaning(s.current.body_source)) for s in sections],
        [(" ".join(s["heading"].lower().split()), pairing.meaning(s["body"])) for s in draft.sections],
        [f"{s.current.heading}\n{s.current.body_source}" for s in sections],
        [f"{s['heading']}\n{s['body']}" for s in draft.sections])
    result.recommendations = pairing.match(
        [pairing.meaning(r.current.text_source) for r in recommendations],
        [pairing.meaning(r["text"]) for r in draft.recommendations],
        [r.current.text_source for r in recommendations], [r["text"] for r in draft.recommendations])
    if any(not r["pillar"] for r in draft.recommendations):  # the draft's pillar, shown on the preview as chosen
        upload = next(u for u in uploads if u.language == declaration.language)
        units = [u for u in upload.units if u.role == "recommendation"]
        for unit, at in zip(units, result.recommendations, strict=False):
            if not unit.pillar and at is not None:
                unit.pillar, unit.unsure = recommendations[at].current.pillar, ""
        result.drafts[declaration.language] = assembly.assemble(upload.units)


def _parts(sections: int, recommendations: int) -> str:
    """"3 sections and 12 recommendations", each number with its own form."""
    return _("%(sections)s and %(recommendations)s",
             sections=ngettext("%(num)d section", "%(num)d sections", sections),
             recommendations=ngettext("%(num)d recommendation", "%(num)d recommendations", recommendations))


def _content_after(before: dict, draft: assembly.Draft, language: str, declaration: Declaration,
                   found: Plan) -> dict:
    """The declaration's content as confirming would leave it, each imported part in the place of the part it
    continues (or new)."""
    own = content_in(before, language) if language in declaration.languages else {}
    sections, recommendations = own.get("sections", []), own.get("recommendations", [])
    after_sections = []
    for index, section in enumerate(draft.sections):
        at = found.sections[index] if index < len(found.sections) else None
        old = sections[at] if at is not None and at < len(sections) else None
        body = old["body"] if old and pairing.same_text(old["body"], section["body"]) else section["body"]
        after_sections.append({"id": old["id"] if old else f"new-{index}", "heading": section["heading"], "body": body})
    after_recommendations = []
    for index, recommendation in enumerate(draft.recommendations):
        at = found.recommendations[index] if index < len(found.recommendations) else None
        old = recommendations[at] if at is not None and at < len(recommendations) else None
        text = old["text"] if old and pairing.same_text(old["text"], recommendation["text"]) else recommendation["text"]
        entry = {**(old or {}), "id": old["id"] if old else f"new-{index}", "number": index + 1, "text": text}
        if language == declaration.language:
            entry["pillar"] = recommendation["pillar"]
        after_recommendations.append(entry)
    content = {**own, "title": draft.title or own.get("title", ""), "sections": after_sections,
               "recommendations": after_recommendations}
    if language != declaration.language:
        return {"language": declaration.language, "translation": {**content, "language": language}}
    return content


# --- confirming --------------------------------------------------------------------------------------------

def create(actor, uploads: list[Upload], *, kind: str, moderation: str, visibility: str) -> Declaration:
    """A new declaration from the files: the first file's language is the text's, the second its translation."""
    if not permissions.can_create_declaration(actor):
        raise NotAllowed()
    found = plan(uploads)
    if found.problems:
        raise RuleError(found.problems[0])
    original = found.drafts[found.original]
    declaration = declarations.create_declaration(actor, kind=kind, title=original.title, summary=original.summary,
                                                  moderation=moderation, visibility=visibility,
                                                  language=found.original)
    for section in original.sections:
        declarations.add_section(actor, declaration, heading=section["heading"], body=section["body"])
    for recommendation in original.recommendations:
        declarations.add_recommendation(actor, declaration, text=recommendation["text"],
                                        pillar=recommendation["pillar"], themes=[], addressees=[])
    for language, draft in found.drafts.items():
        if language != found.original:
            translation.make_bilingual(actor, declaration, language=language)
            _write_translation(actor, declaration, draft)
    record(actor, "document_imported", declaration, files=sorted({u.name for u in uploads}))
    return declaration


def revise(actor, declaration: Declaration, uploads: list[Upload], expected_state: str) -> int:
    """New revisions of what the files change in a draft, each imported part continuing the part it pairs with
    (a new part added, a part the document no longer has deleted, the parts put in the document's order);
    returns how many parts changed."""
    if not permissions.can_manage_declaration(actor, declaration):
        raise NotAllowed()
    if text_state(declaration) != expected_state:
        raise TextChanged()
    found = plan(uploads, declaration)
    if found.problems:
        raise RuleError(found.problems[0])
    changed = 0
    draft = found.drafts.get(declaration.language)
    if draft is not None:
        changed += _revise_original(actor, declaration, draft, found)
    for language, other in found.drafts.items():
        if language != declaration.language:
            if not declaration.bilingual:
                translation.make_bilingual(actor, declaration, language=language)
            changed += _write_translation(actor, declaration, other)
    record(actor, "document_imported", declaration, files=sorted({u.name for u in uploads}), changed=changed)
    return changed


def _revise_original(actor, declaration: Declaration, draft: assembly.Draft, found: Plan) -> int:
    changed = 0
    summary = draft.summary or declaration.summary  # a document without a summary keeps the one there is
    if (draft.title, summary) != (declaration.title, declaration.summary):
        declarations.update_settings(actor, declaration, base_edit_count=declaration.edit_count,
                                     kind=declaration.kind, title=draft.title, summary=summary,
                                     moderation=declaration.moderation, visibility=declaration.visibility)
        changed += 1
    sections, ordered = declarations.live_sections(declaration.id), []
    for new, at in zip(draft.sections, found.sections, strict=True):
        if at is None:
            ordered.append(declarations.add_section(actor, declaration, heading=new["heading"], body=new["body"]))
            changed += 1
            continue
        section = sections[at]
        if new["heading"] != section.current.heading or not pairing.same_text(section.current.body_source,
                                                                               new["body"]):
            declarations.edit_section(actor, section, base_revision_id=section.current.id, heading=new["heading"],
                                      body=new["body"])
            changed += 1
        ordered.append(section)
    changed += _remove_and_arrange(actor, declaration, sections, ordered)
    recommendations, ordered = declarations.live_recommendations(declaration.id), []
    for new, at in zip(draft.recommendations, found.recommendations, strict=True):
        if at is None:
            ordered.append(declarations.add_recommendation(actor, declaration, text=new["text"], pillar=new["pillar"],
                                                           themes=[], addressees=[]))
            changed += 1
            continue
        recommendation = recommendations[at]
        current = recommendation.current
        if new["pillar"] != current.pillar or not pairing.same_text(current.text_source, new["text"]):
            declarations.edit_recommendation(
                actor, recommendation, base_revision_id=current.id, text=new["text"], pillar=new["pillar"],
                themes=current.themes, addressees=current.addressees, convention_articles=current.convention_articles)
            changed += 1
        ordered.append(recommendation)
    return changed + _remove_and_arrange(actor, declaration, recommendations, ordered)


def _remove_and_arrange(actor, declaration: Declaration, before: list, ordered: list) -> int:
    """Delete the parts the document no longer has (their history stays) and put the rest in its order."""
    kept = {item.id for item in ordered}
    gone = [item for item in before if item.id not in kept]
    for item in gone:
        declarations.delete_item(actor, item)
    moved = bool(ordered) and arranging.arrange(actor, declaration, ordered)
    return len(gone) + int(moved)


def _write_translation(actor, declaration: Declaration, draft: assembly.Draft) -> int:
    """The second language's title, summary and parts, paired with the original's parts in order."""
    language = declaration.translation_language
    sections = declarations.live_sections(declaration.id)
    recommendations = declarations.live_recommendations(declaration.id)
    if len(sections) != len(draft.sections) or len(recommendations) != len(draft.recommendations):
        raise RuleError(_("The file in the second language has %(parts)s; the text has %(own)s. Their parts are paired "
                          "in order, so both need the same.",
                          parts=_parts(len(draft.sections), len(draft.recommendations)),
                          own=_parts(len(sections), len(recommendations))))
    changed = 0
    summary = draft.summary or declaration.summary_translation
    if (draft.title, summary) != (declaration.title_translation, declaration.summary_translation):
        translation.translate_title(actor, declaration, base_edit_count=declaration.edit_count, title=draft.title,
                                    summary=summary)
        changed += 1
    for section, new in zip(sections, draft.sections, strict=True):
        old = section.translation
        if old is None or old.heading != new["heading"] or not pairing.same_text(old.body_source, new["body"]):
            declarations.edit_section(actor, section, base_revision_id=old.id if old else 0, heading=new["heading"],
                                      body=new["body"], language=language)
            changed += 1
    for recommendation, new in zip(recommendations, draft.recommendations, strict=True):
        old = recommendation.translation
        if old is None or not pairing.same_text(old.text_source, new["text"]):
            declarations.edit_recommendation(actor, recommendation, base_revision_id=old.id if old else 0,
                                             text=new["text"], language=language)
            changed += 1
    return changed
