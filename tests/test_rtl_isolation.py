"""Runs of the other direction are isolated on Urdu pages (issue 14, #3; issue 23, #6): every run of Latin text
(English names and titles, "SHA-256", "AM"), every time, every run of numbers joined by signs ("3 / 8",
"2026-01-01"), every hash and email address sits in an element with dir="ltr" or dir="auto", or in a <bdi>, so
the Unicode bidi algorithm never reorders it with the Urdu around it ("AM 11:00", ".Fund shelters", "8 / 1")."""
import re

import pytest
from bs4 import BeautifulSoup, NavigableString

from tests.helpers import login
from tests.test_urdu_complete import pages_for, urdu_site  # noqa: F401  (the fixture: every Urdu page's data)

LATIN = re.compile(r"[A-Za-z]")
# Names kept in Latin inside the Urdu interface text ("SHA-256 ہیش", "سفارشات (CSV)"): each one word of one strong
# direction, which the bidi algorithm keeps whole; a SHA-256 right before its hash is checked on its own below.
# Also the hash's alphabet, "a سے f" ("a to f"): two one-letter words, each kept in its place among the Urdu.
FIXED_LATIN = re.compile(r"(?<![\w-])(?:SHA-256|CSV|PDF|JSON|Markdown|Sanad)(?![\w-])|(?<![\w-])a سے f(?![\w-])")
TIME = re.compile(r"\d{1,2}:\d{2}")
NUMBER_RUN = re.compile(r"\d+(?:\s*[/:–—-]\s*\d+)+")
HEX = re.compile(r"\b[0-9a-f]{12,64}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Text a reader never sees laid out as a line of the page, or laid out by the browser on its own terms.
NOT_LAID_OUT = {"script", "style", "title", "textarea", "option", "svg", "template", "head"}


def _isolated(text: NavigableString) -> bool:
    for parent in text.parents:
        if parent.name in ("html", "[document]", None):
            return False
        if parent.name == "bdi" or parent.get("dir") in ("ltr", "auto"):
            return True
    return False


def unisolated(html: str, latin: bool = True) -> list[str]:
    """Each text run of the other direction with no isolating element around it, as "<tag>text"; without
    `latin`, only times, runs of numbers, hashes and email addresses."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for text in soup.find_all(string=True):
        if not isinstance(text, NavigableString) or type(text) is not NavigableString:
            continue  # comments, doctype
        if any(p.name in NOT_LAID_OUT or p.has_attr("hidden") for p in text.parents if p.name):
            continue
        after = text.next_sibling
        # "SHA-256" in a line of text right before its hash: the label and the hash must be one run
        label = text.strip().endswith("SHA-256") and getattr(after, "name", None) == "code"
        latin_run = latin and LATIN.search(FIXED_LATIN.sub("", text))
        if not (latin_run or TIME.search(text) or NUMBER_RUN.search(text) or HEX.search(text) or EMAIL.search(text)
                or label):
            continue
        if not _isolated(text):
            found.append(f"<{text.parent.name}>{' '.join(text.split())[:80]}")
    return found


def _urdu_pages(app, people, site):
    """(name, path, html) of every main page for each role that sees it, in Urdu, forms also in their error state
    (the pages of tests/test_urdu_complete.py)."""
    for role, pages in pages_for(site).items():
        client = app.test_client()
        client.post("/language", data={"language": "ur"})
        if role != "visitor":
            login(client, people[role].email)
        for name, path, error_data in pages:
            responses = [client.get(path)]
            if error_data is not None:
                responses.append(client.post(path, data=error_data))
            for response in responses:
                html = response.get_data(as_text=True)
                assert '<html lang="ur" dir="rtl">' in html, f"{role} {name}: not in Urdu"
                yield f"{role} {name}", path, html


def test_times_numbers_hashes_and_addresses_are_isolated_on_every_urdu_page(app, people, urdu_site):  # noqa: F811
    problems, checked = [], 0
    for name, path, html in _urdu_pages(app, people, urdu_site):
        problems += [f"{name} ({path}): {run}" for run in unisolated(html, latin=False)]
        checked += 1
    assert checked > 100
    problems = sorted(set(problems))
    assert not problems, f"{len(problems)} runs not isolated:\n" + "\n".join(problems)


# The pages issue 23 names: the dossier (recipients), the reading page of a submitted declaration, the reviewer's
# workspace (English recommendation text), the answer form and a recommendation's page.
NAMED_PAGES = ("dossier", "submitted declaration", "reviewer workspace", "answer form", "recommendation")


def test_latin_text_is_isolated_on_the_dossier_and_the_reviewers_pages(app, people, urdu_site):  # noqa: F811
    problems = [f"{name} ({path}): {run}" for name, path, html in _urdu_pages(app, people, urdu_site)
                if name.split(" ", 1)[1] in NAMED_PAGES for run in unisolated(html)]
    assert not sorted(set(problems)), "\n".join(sorted(set(problems)))


def test_latin_text_is_isolated_on_every_urdu_page(app, people, urdu_site):  # noqa: F811
    problems = sorted({f"{name} ({path}): {run}" for name, path, html in _urdu_pages(app, people, urdu_site)
                       for run in unisolated(html)})
    assert not problems, f"{len(problems)} runs not isolated:\n" + "\n".join(problems)


@pytest.mark.parametrize(("html", "found"), [
    ('<p>ورژن 3 · SHA-256 <code>8cfa1234abcd5678</code></p>', True),
    ('<p>ورژن 3 · SHA-256 <code dir="ltr">8cfa1234abcd5678</code></p>', True),
    ('<p>ورژن 3 · <bdi dir="ltr">SHA-256 <code>8cfa1234abcd5678</code></bdi></p>', False),
    ("<p>4 مارچ، 2026 11:00 AM</p>", True),
    ('<p>4 مارچ، 2026 <bdi dir="ltr">11:00 AM</bdi></p>', False),
    ("<td>Fund shelters in every province.</td>", True),
    ('<td dir="auto">Fund shelters in every province.</td>', False),
    ("<p>صفحہ 1 / 8</p>", True),
    ("<p>ورژن 3، 12 تبصرے</p>", False),  # a lone number among Urdu words needs nothing
    ("<p>اعداد اور a سے f تک کے حروف</p>", False),  # the hash's alphabet, letters in their place
    ("<p>خوش آمدید، Person 4</p>", True),
    ('<p>خوش آمدید، <bdi dir="ltr">Person 4</bdi></p>', False),
    ('<select><option>English</option></select><script>var a = "x";</script>', False),
])
def test_the_check_finds_each_kind_of_run_left_bare(html, found):
    assert bool(unisolated(f'<html lang="ur" dir="rtl"><body>{html}</body></html>')) is found
