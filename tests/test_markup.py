"""The one sanitizer, with a table of dangerous inputs (as CTFd does)."""
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from app.markup import ALLOWED_TAGS, render_markdown

DANGEROUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](data:text/html,<script>alert(1)</script>)",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)" ONMOUSEOVER="alert(2)">x</p>',
    "<style>body{display:none}</style>",
    "<object data=x></object><embed src=x>",
    "![img](javascript:alert(1))",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "<form action=https://evil.example><input name=x></form>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</script>",
]

def unsafe_parts(html: str) -> list[str]:
    """What a browser would run or fetch in this HTML: elements outside the allowlist, any attribute other
    than a link's href, title and rel, and any URL with a scheme other than http, https and mailto."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name not in ALLOWED_TAGS:
            found.append(f"<{element.name}>")
        for attribute, value in element.attrs.items():
            if element.name != "a" or attribute not in ("href", "title", "rel"):
                found.append(f"{element.name}[{attribute}]")
            elif attribute == "href" and urlsplit(value.strip()).scheme.lower() not in ("", "http", "https", "mailto"):
                found.append(f"href={value}")  # a relative URL ("" scheme) stays on this site
    return found


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_input_is_neutralised(source):
    html = render_markdown(source)
    assert not unsafe_parts(html), (source, html)


@pytest.mark.parametrize("source, words", [
    ('before <img src="x\n\nafter', ["before", "after"]),
    ('<p>before <img src="x\n\nafter</p>', ["before", "after"]),
    ('<div>\nbefore <img src="x\n\nafter\n</div>', ["before", "after"]),
    ("a < b and c > d, 1<2", ["a &lt; b and c &gt; d, 1&lt;2"]),
    ("<strong>typed as HTML</strong> stays readable", ["&lt;strong&gt;typed as HTML&lt;/strong&gt;"]),
    ('<p onclick="alert(1)">the words</p>', ["the words"]),
    ("![a photo of the meeting](https://example.org/photo.png)", ["a photo of the meeting"]),
    ("<script>alert(1)</script> then the point", ["then the point"]),
])
def test_the_authors_words_are_never_lost(source, words):
    """Sanitizing may remove markup, never the author's words: what is not allowed is shown as text."""
    html = render_markdown(source)
    for word in words:
        assert word in html, (source, html)
    assert not unsafe_parts(html)


def test_links_keep_safe_targets_and_get_rel():
    html = render_markdown("[site](https://example.org) [mail](mailto:a@example.org) [plain](http://example.org)")
    assert html.count('rel="nofollow noopener"') == 3
    assert 'href="https://example.org"' in html and 'href="mailto:a@example.org"' in html


def test_raw_html_links_are_text_and_markdown_links_get_rel():
    html = render_markdown('<a href="https://example.org" rel="opener" target="_blank">x</a> [y](https://example.org)')
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [link.get_text() for link in links] == ["y"] and links[0]["rel"] == ["nofollow", "noopener"]
    assert not unsafe_parts(html)


def test_markdown_formatting_survives():
    html = render_markdown("# Title\n\n**bold** *it*\n\n- one\n- two\n\n> quote")
    assert "<h3>Title</h3>" in html and "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html


def test_urdu_text_is_kept():
    assert "انسانی اسمگلنگ" in render_markdown("**انسانی اسمگلنگ** کی روک تھام")
