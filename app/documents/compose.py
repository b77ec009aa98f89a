"""What an exported document says, in order, whatever its format: each language's text (title, summary,
sections, recommendations numbered with their pillar), for a dossier its cover and annexes, and a footer
with the version and its SHA-256. A writer (docx.py, odt.py) lays out what this module hands it.

Each language's part is labelled in its own language (flask_babel.force_locale), whatever the reader's
interface language, so that an Urdu part reads as Urdu throughout."""
from dataclasses import dataclass, field

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app.choices import PILLARS, label
from app.documents.blocks import Block, Run, html_blocks
from app.markup import render_markdown
from app.submissions import bilingual
from app.submissions.dossier import recommendations_by_pillar
from app.submissions.models import text_languages


@dataclass
class Recommendation:
    number: int
    pillar: str
    html: str


@dataclass
class Part:
    """One language's text of a version or dossier."""

    language: str
    title: str
    summary: str
    sections: list[tuple[str, str]]  # heading, HTML
    recommendations: list[Recommendation]
    by_pillar: bool = False  # a dossier groups its recommendations by pillar, as its page and PDF do
    cover: list[str] = field(default_factory=list)


def chosen_languages(text: dict, asked: str | None) -> list[str] | None:
    """The languages of the text to export, the original first: both (the default) or one of them; None when
    the text has no such language."""
    languages = text_languages(text)
    if not asked or asked == "both":
        return languages
    return [asked] if asked in languages else None


def version_parts(declaration, content: dict, languages: list[str]) -> list[Part]:
    """A version's text in the chosen languages. The summary is the declaration's (a version freezes the title,
    sections and recommendations; the summary is not part of what its hash covers)."""
    return [_text_part(content, language, declaration.summary_in(language), {}, {}) for language in languages]


def dossier_parts(submission, content: dict, languages: list[str], recommendation_html: dict[int, str]) -> list[Part]:
    """A dossier's (or its public extract's) text in the chosen languages, with its cover, as submitted: the HTML
    kept at submission, the summary and alliance's name from the dossier."""
    text, declared = content["text"], content["declaration"]
    both = bilingual.both_texts(submission, content)
    parts = []
    for language in languages:
        original = language == text_languages(text)[0]
        summary = declared["summary"] if original else (declared.get("translation") or {}).get("summary", "")
        if original:
            sections = {int(k): v for k, v in (submission.sections_html or {}).items() if k.isdigit()}
            recommendations = recommendation_html
        else:
            sections = {k: v["html"] for k, v in both["sections"].items()}
            recommendations = both["recommendations"]
        part = _text_part(text, language, summary, sections, recommendations)
        part.by_pillar = True
        with force_locale(language):
            part.cover = _cover(content, language)
        parts.append(part)
    return parts


def _text_part(text: dict, language: str, summary: str, sections_html: dict, recommendations_html: dict) -> Part:
    """One language's part of a text: the original's, or the translation's (with the original's numbers and
    pillars, which are the recommendation's, not a language's)."""
    own = text if language == text_languages(text)[0] else text["translation"]
    pillars = {r["id"]: (r["number"], r["pillar"]) for r in text["recommendations"]}
    return Part(
        language=language, title=own["title"] or text["title"], summary=summary or "",
        sections=[(s["heading"], sections_html.get(s["id"]) or render_markdown(s["body"])) for s in own["sections"]],
        recommendations=[Recommendation(pillars[r["id"]][0], pillars[r["id"]][1],
                                        recommendations_html.get(r["id"]) or render_markdown(r["text"]))
                         for r in own["recommendations"] if r["id"] in pillars])


def _cover(content: dict, language: str) -> list[str]:
    alliance = (content.get("alliance_ur") if language == "ur" else "") or content["alliance"]
    recipients = ", ".join(r["name"] for r in content["recipients"])
    counts = content["signatories"]["counts"]
    return [alliance,
            _("Submitted to %(recipients)s on %(date)s", recipients=recipients, date=content["submitted_at"][:10]),
            _("Version %(number)d, SHA-256 %(sha256)s", number=content["version"]["number"],
              sha256=content["version"]["sha256"]),
            ngettext("%(num)d signatory", "%(num)d signatories", counts["total"])]


def write_parts(writer, parts: list[Part]) -> None:
    """Each language's part after the other, each from a new page."""
    for index, part in enumerate(parts):
        if index:
            writer.page_break()
        with force_locale(part.language):
            _write_part(writer, part)


def _write_part(writer, part: Part) -> None:
    language = part.language
    writer.title(part.title, language)
    for line in part.cover:
        writer.paragraph([Run(line)], language)
    if part.summary:
        writer.paragraph([Run(part.summary, italic=True)], language)
    for heading, html in part.sections:
        if heading:
            writer.heading(heading, 1, language)
        write_html(writer, html, language, base_level=1)
    if not part.recommendations:
        return
    writer.heading(_("Recommendations"), 1, language)
    if part.by_pillar:
        groups = recommendations_by_pillar({"text": {"recommendations": [
            {"number": r.number, "pillar": r.pillar, "rec": r} for r in part.recommendations]}})
        for pillar, recommendations in groups:
            writer.heading(label(PILLARS, pillar) or pillar, 2, language)
            for entry in recommendations:
                _write_recommendation(writer, entry["rec"], language)
    else:
        for recommendation in part.recommendations:
            _write_recommendation(writer, recommendation, language)


def _write_recommendation(writer, recommendation: Recommendation, language: str) -> None:
    """The number in bold before the text's first paragraph, then the pillar on a line of its own."""
    blocks = html_blocks(recommendation.html) or [Block("p")]
    number = Run(f"{recommendation.number}. ", bold=True)
    if blocks[0].kind in ("p", "item"):
        blocks[0].runs.insert(0, number)
    else:
        writer.paragraph([number], language)
    write_blocks(writer, blocks, language, base_level=2)
    pillar = label(PILLARS, recommendation.pillar) or recommendation.pillar
    writer.paragraph([Run(_("Pillar: %(pillar)s", pillar=pillar), italic=True)], language)


def write_html(writer, html: str, language: str, base_level: int) -> None:
    write_blocks(writer, html_blocks(html), language, base_level)


def write_blocks(writer, blocks: list[Block], language: str, base_level: int) -> None:
    """Headings inside a text come below the part's own headings (base_level)."""
    for block in blocks:
        if block.kind == "heading":
            writer.heading(block.text, min(base_level + block.level, 6), language)
        elif block.kind == "table":
            writer.table(block.rows, language)
        elif block.kind == "rule":
            writer.paragraph([Run("⁂")], language)
        else:
            writer.paragraph(block.runs, language, indent=block.level + (1 if block.quote else 0),
                             marker=block.marker, code=block.kind == "pre")


def write_signatories(writer, content: dict, complete: bool, language: str) -> None:
    """The annexes: the organizations and individuals this dossier (or extract) names, and how many it does
    not name."""
    with force_locale(language):
        signatories = content["signatories"]
        writer.page_break()
        writer.heading(_("Signatories"), 1, language)
        for group, heading in (("organizations", _("Organizations")), ("individuals", _("Individuals"))):
            writer.heading(heading, 2, language)
            for entry in signatories[group]:
                name = entry["name"] + (f" ({entry['acronym']})" if entry.get("acronym") else "")
                signer = ", ".join(x for x in (entry.get("signer", ""), entry.get("designation", "")) if x)
                runs = [Run(name, bold=True)] + ([Run(f" — {signer}")] if signer else [])
                writer.paragraph(runs, language, indent=1, marker="•")
            unnamed = signatories["unnamed"][group]
            if unnamed:
                words = (ngettext("%(num)d further signatory who asked not to be named",
                                  "%(num)d further signatories who asked not to be named", unnamed) if complete
                         else ngettext("%(num)d further signatory who asked not to be named publicly",
                                       "%(num)d further signatories who asked not to be named publicly", unnamed))
                writer.paragraph([Run(words, italic=True)], language)


def version_footer(version, language: str) -> str:
    with force_locale(language):
        return _("Version %(number)d · SHA-256 %(sha256)s", number=version.number, sha256=version.sha256)


def dossier_footer(submission, complete: bool, language: str) -> str:
    with force_locale(language):
        version = submission.content["version"]
        if complete:
            return _("Dossier SHA-256 %(sha256)s · version %(number)d", sha256=submission.sha256,
                     number=version["number"])
        return _("Public extract of the dossier SHA-256 %(sha256)s · version %(number)d", sha256=submission.sha256,
                 number=version["number"])
