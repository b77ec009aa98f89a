"""The one place user Markdown becomes HTML: rendered with python-markdown, then sanitized with bleach.

Called once, when text is saved; templates show the stored HTML. bleach 6.4.0 is its last release, so
only its clean() is used, with a minimal allowlist, behind this function, to be replaceable in one place.
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


def render_markdown(source: str) -> str:
    """Sanitized HTML for a Markdown text (raw HTML inside it is sanitized too)."""
    html = markdown.markdown(source or "", extensions=["sane_lists", "tables"], output_format="html")
    # Page and section titles are h1/h2; headings inside a text start one level below them.
    html = _TOP_HEADINGS.sub(r"<\1h3>", html)
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                         strip=True, strip_comments=True)
    # Safe after clean(): every <a> is now serialized by bleach and "rel" is not an allowed attribute.
    return _LINK.sub('<a rel="nofollow noopener"', clean)
