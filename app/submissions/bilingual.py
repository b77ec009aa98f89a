"""A dossier of a text in two languages: both texts, part by part, each in its own language and direction.

The signed version's content (Version.content, the dossier's "text") holds the original and, for a bilingual
declaration, "translation": the second language's title, sections and recommendations, in the original's
order (app/declarations/services.canonical_content). Its hash, and so the dossier's, covers both. The HTML of
the second language's parts is rendered once at submission, like the original's, and kept beside it in
Submission.sections_html under TRANSLATION_KEY (not hashed: it is drawn from the hashed Markdown). A dossier
of a text in one language has no "translation", no "languages", and reads exactly as before."""
from flask_babel import gettext as _

from app.choices import LANGUAGE_NAMES
from app.formatting import language_direction as direction
from app.markup import render_markdown
from app.submissions.models import TRANSLATION_KEY, Submission, text_languages


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def declaration_fields(declaration, text: dict) -> dict:
    """What the dossier's "declaration" part adds for a text in two languages: the title and summary in the
    second language. Nothing for one language (its dossier keeps exactly the keys it always had)."""
    if "translation" not in text:
        return {}
    return {"translation": {"language": text["translation"]["language"],
                            "title": declaration.title_translation or text["translation"]["title"],
                            "summary": declaration.summary_translation or ""}}


def dossier_fields(text: dict) -> dict:
    """What the dossier adds at its top for a text in two languages: the languages its hash covers, the
    original first. Nothing for one language."""
    return {"languages": text_languages(text)} if "translation" in text else {}


def text_html(text: dict) -> dict:
    """The sections' HTML kept with a submission: the original's by section id, and for a text in two languages
    the second language's sections and recommendations under TRANSLATION_KEY."""
    kept: dict = {str(s["id"]): render_markdown(s["body"]) for s in text["sections"]}
    translation = text.get("translation")
    if translation is not None:
        kept[TRANSLATION_KEY] = {
            "sections": {str(s["id"]): render_markdown(s["body"]) for s in translation["sections"]},
            "recommendations": {str(r["id"]): render_markdown(r["text"]) for r in translation["recommendations"]}}
    return kept


def both_texts(submission: Submission, content: dict) -> dict | None:
    """What the dossier's page and PDF need to show both texts part by part: the two languages (original
    first) and their directions, the second language's title and summary, its sections (heading and HTML)
    and recommendations' HTML by id. None for a text in one language."""
    text = content["text"]
    translation = text.get("translation")
    if translation is None:
        return None
    kept = (submission.sections_html or {}).get(TRANSLATION_KEY) or {}
    sections_html, recommendations_html = kept.get("sections", {}), kept.get("recommendations", {})
    original, second = text_languages(text)
    declared = content["declaration"].get("translation") or {}
    return {
        "original": original, "second": second, "languages": [original, second],
        "dir": {original: direction(original), second: direction(second)},
        "title": translation["title"] or declared.get("title", ""),
        "summary": declared.get("summary", ""),
        # (Every submission keeps the second language's HTML; were it missing, it is rendered here.)
        "sections": {s["id"]: {"heading": s["heading"],
                               "html": sections_html.get(str(s["id"])) or render_markdown(s["body"])}
                     for s in translation["sections"]},
        "recommendations": {r["id"]: recommendations_html.get(str(r["id"])) or render_markdown(r["text"])
                            for r in translation["recommendations"]},
    }


def text_columns(text: dict) -> list[str]:
    """The recommendations CSV's text column: "Recommendation", or for a text in two languages one column per
    language, the original first ("Recommendation (English)", "Recommendation (Urdu)")."""
    if "translation" not in text:
        return [_("Recommendation")]
    return [_("Recommendation (%(language)s)", language=language_name(code)) for code in text_languages(text)]


def recommendation_cells(text: dict) -> dict[int, list[str]]:
    """Each recommendation's text cells by id: its text, and for a text in two languages its second
    language's text after it."""
    translation = text.get("translation")
    second = {r["id"]: r["text"] for r in translation["recommendations"]} if translation else {}
    return {r["id"]: [r["text"], second.get(r["id"], "")] if translation else [r["text"]]
            for r in text["recommendations"]}
