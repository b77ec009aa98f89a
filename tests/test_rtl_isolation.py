"""Hashes, emails and addresses read left to right on Urdu pages (issue 14, #3): each sits in an element
with dir="ltr" (an isolated run), so "Version 3 · SHA-256 8cfa…" is never reordered with the Urdu around it."""
import re

from bs4 import BeautifulSoup, NavigableString

from tests.helpers import login

HEX = re.compile(r"\b[0-9a-f]{12,64}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _unisolated(html: str) -> list[str]:
    """Text runs holding a hash or an email address with no dir="ltr" element around them."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for text in soup.find_all(string=True):
        if not isinstance(text, NavigableString) or text.parent.name in ("script", "style", "title", "textarea"):
            continue
        after = text.next_sibling
        # "SHA-256" in a line of text right before its hash: the label and the hash must be one run
        label = text.strip().endswith("SHA-256") and getattr(after, "name", None) == "code"
        if not (HEX.search(text) or EMAIL.search(text) or label):
            continue
        if not any(parent.get("dir") == "ltr" for parent in text.parents if parent.name not in ("html", None)):
            found.append(f"<{text.parent.name}>{text.strip()[:80]}")
    return found


def test_hashes_and_emails_are_isolated_on_urdu_pages(client, people, submitted):
    declaration, submission = submitted
    client.post("/language", data={"language": "ur", "next": "/"})
    login(client, people["coordinator"].email)
    pages = [f"/declarations/{declaration.id}/signatories", f"/declarations/{declaration.id}/history",
             f"/declarations/{declaration.id}/compare", f"/submissions/{submission.id}", "/account", "/",
             "/invitations", "/admin/users"]
    checked = 0
    for path in pages:
        response = client.get(path)
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        assert 'dir="rtl"' in html[:300], path
        assert not _unisolated(html), (path, _unisolated(html))
        checked += 1
    assert checked >= 6
    assert client.get(f"/declarations/{declaration.id}/signatories").get_data(as_text=True).count("SHA-256") >= 1


def test_the_check_finds_a_bare_hash():
    assert _unisolated('<html dir="rtl"><p>ورژن 3 · SHA-256 <code>8cfa1234abcd5678</code></p></html>')
    assert _unisolated('<html dir="rtl"><p>ورژن 3 · SHA-256 <code dir="ltr">8cfa1234abcd5678</code></p></html>')
    assert not _unisolated('<html dir="rtl"><p>ورژن 3 · <bdi dir="ltr">SHA-256 <code>8cfa1234abcd5678</code>'
                           '</bdi></p></html>')
