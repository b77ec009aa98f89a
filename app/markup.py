"""The one place user Markdown becomes HTML: rendered with python-markdown, then sanitized with bleach.

Called once, when text is saved; templates show the stored HTML. bleach 6.4.0 is its last release, so
only its clean() is used, with a minimal allowlist, behind this function, to be replaceable in one place.

Raw HTML typed into the Markdown is not markup here: it is shown as the text the author typed. Passing it
to the sanitizer lost words — an unfinished tag such as `<img src="x` swallowed everything after it into an
attribute that was then stripped — and the sanitizer may remove markup, never the author's words.
"""
import re

import bleach
import markdown

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_TOP_HEADINGS = re.compile(r"<(/?)h[12]>")
_LINK = re.compile(r"<a(?=[\s>])")


def _markdown() -> markdown.Markdown:
    """python-markdown without its raw-HTML passthrough: '<' and '&' the author types come out escaped,
    as text; Markdown's own syntax (links, autolinks, emphasis, lists, tables, code) still works."""
    md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # Images are not shown (no third-party fetches from our pages): ![words](url) stays a link with its words.
    for name in ("image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    return md


def render_markdown(source: str) -> str:
    """Sanitized HTML for a Markdown text; raw HTML in it is shown as text."""
    html = _markdown().convert(source or "")
    # Page and section titles are h1/h2; headings inside a text start one level below them.
    html = _TOP_HEADINGS.sub(r"<\1h3>", html)
    # A second line of defence: whatever markup Markdown made that is not allowed (an image, a link to a
    # javascript: URL) is removed; its text stays.
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                         strip=True, strip_comments=True)
    # Safe after clean(): every <a> is now serialized by bleach and "rel" is not an allowed attribute.
    return _LINK.sub('<a rel="nofollow noopener"', clean)
