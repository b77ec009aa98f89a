"""Urdu complete: every main page, for each role that sees it and every form in its error state, rendered in
Urdu, shows no string of the English catalogue (translations/messages.pot) that has no Urdu, and no English
month name (dates are localised)."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.helpers import login

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd%]")
SAME_IN_URDU = {"SHA-256", "PDF", "CSV", "JSON", "Sanad", "English", "اردو"}
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October",
          "November", "December"]  # "May" is too short to tell from an English word
# Elements whose text is the users' own (titles, names, texts, comments) or machine text (hashes, code):
# UI strings are never inside them, so a user's English there is no false alarm.
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "template"}
# (an audit entry's "details" are its stored record: keys and values as the code wrote them, in no language)
SKIPPED_CLASSES = {"prose-html", "prose", "hash", "hash-short", "brand", "details"}
ERROR_SHOWN = re.compile(r'class="[^"]*\b(error|alert-error|error-summary)\b')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a reader sees, without tags, attributes, or user-entered text (elements with dir="auto" or
    dir="ltr" and the prose classes hold user text; the site marks them so that Urdu pages lay them out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = (self.skipping() or tag in SKIPPED_TAGS or (attrs.get("dir") in ("auto", "ltr") and tag != "html")
                or bool(classes & SKIPPED_CLASSES) or "hidden" in attrs)
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.parts.append(" ".join(data.split()))

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return "\n".join(parser.parts)


def english_needles() -> dict[str, str]:
    """{fragment: msgid} for each catalogue string with no Urdu of its own: its longest literal part between
    placeholders, if that is long enough to mean something (two words and 12 characters, or one word of 10
    letters) and not kept as it is in Urdu."""
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        template = read_po(f)
    with open(ROOT / "translations" / "ur" / "LC_MESSAGES" / "messages.po", "rb") as f:
        urdu = read_po(f)
    needles = {}
    for message in template:
        if not message.id:
            continue
        translated = urdu.get(message.id)
        urdu_strings = translated.string if translated else ""
        urdu_text = " ".join(urdu_strings) if isinstance(urdu_strings, tuple) else urdu_strings
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            fragment = max((p.strip(" .,:;·()") for p in PLACEHOLDER.split(msgid)), key=len)
            long_enough = len(fragment) >= 12 if " " in fragment else len(fragment) >= 10 and fragment.isalpha()
            if not long_enough or fragment in SAME_IN_URDU or fragment in urdu_text:
                continue
            needles[fragment] = msgid
    return needles


# What the users of this test typed (titles, texts, names): taken out before looking for English.
# A text that is only an identifier (the audit log's actions and targets: "signature.sign", "recommendations #3").
MACHINE_NAME = re.compile(r"^[a-z_.]+(?: #\d+)?$", re.M)
USER_TEXT = re.compile(r"Declaration on \w+|The victim's village should not be named\.|Publish asset declarations\.")


def untranslated(html: str, needles: dict[str, str]) -> list[str]:
    text = MACHINE_NAME.sub("", VisibleText.of(html))
    flat = " ".join(USER_TEXT.sub(" ", text).split())
    found = [f"{msgid!r}" for fragment, msgid in needles.items()
             if fragment in flat and re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", flat)]
    found += [f"English month {m!r}" for m in MONTHS if re.search(rf"\b{m}\b", flat)]
    return found


def pages_for(d):
    """(role, name, path, post data for the form's error state or None): the main pages, as in the axe test."""
    read, sign_on = f"/declarations/{d['consultation']}", f"/declarations/{d['signon']}"
    sub = f"/submissions/{d['sub']}"
    thread = f"{read}/section/{d['section']}/comments"
    submitted = f"/declarations/{d['submitted']}"
    answer = f"{sub}/recommendations/{d['rec']}/answer"
    amend = f"{read}/recommendation/{d['consultation_rec']}/amend"
    common = [("home", "/", None), ("declarations", "/declarations", None), ("tracker", "/tracker", None),
              ("submitted declaration", submitted, None), ("signatory list", f"{submitted}/signatories", None),
              ("recommendation", f"/recommendations/{d['rec']}", None), ("verify", "/verify", {"sha256": "xyz"}),
              ("search", "/search?q=trafficking", None), ("organizations", "/organizations", None),
              ("scorecards", "/institutions/", None), ("scorecard", f"/institutions/{d['institution']}", None)]
    return {
        "visitor": common + [("dossier", sub, None), ("login", "/login", {"email": "", "password": ""}),
                             ("password reset", "/reset", {"email": ""}), ("open data", "/open-data", None)],
        "member": common + [("reading page", read, None), ("comment thread", thread, {"body": ""}),
                            ("amendment form", amend, {}), ("amendments", f"{read}/amendments", None),
                            ("dossier", sub, None), ("account", "/account", {"name": ""}),
                            ("password", "/account/password", {})],
        "representative": common + [("reading page", read, None), ("comment thread", thread, None),
                                    ("sign page", f"{sign_on}/sign", {}), ("dossier", sub, None),
                                    ("account", "/account", None)],
        "expert": common + [("reading page", read, None), ("sign page", f"{sign_on}/sign", None)],
        "coordinator": common + [("reading page", read, None), ("comment thread", thread, None),
                                 ("moderation queue", "/moderation", None),
                                 ("moderation history", "/moderation/history", None),
                                 ("dossier", sub, None), ("submissions", "/submissions", None),
                                 ("new declaration", "/declarations/new", {}),
                                 ("editor", f"{read}/edit", None), ("history", f"{submitted}/history", None),
                                 ("amendments", f"{read}/amendments", None),
                                 ("sign-on signatories", f"{sign_on}/signatories", None),
                                 ("sign-on statistics", f"{sign_on}/signatures/statistics", None),
                                 ("response statistics", f"{sub}/statistics", None),
                                 ("invitations", "/invitations", None), ("account", "/account", None)],
        "reviewer": common + [("dossier", sub, None), ("reviewer workspace", f"{sub}/respond", None),
                              ("answer form", answer, {}), ("account", "/account", None),
                              ("two-step login", "/account/two-factor", None)],
        "admin": common + [("users", "/admin/users", None), ("user", f"/admin/users/{d['member']}", None),
                           ("institutions", "/admin/institutions", None),
                           ("new institution", "/admin/institutions/new", {}),
                           ("audit", "/admin/audit", None), ("account", "/account", None)],
    }


def test_the_visible_text_skips_tags_attributes_and_user_text():
    html = ('<p title="Sign-on is open.">Open <span dir="auto">Sign-on is open.</span>'
            '<input value="Sign-on is open."><div class="prose-html"><p>We demand action now</p></div>'
            '<script>var x = "Sign-on is open."</script></p><p>Shown here</p>')
    assert VisibleText.of(html) == "Open\nShown here"
    needles = {"Sign-on is open": "Sign-on is open.", "Shown here": "Shown here"}
    assert untranslated(html, needles) == ["'Shown here'"]
    assert untranslated("<p>3 December 2026</p>", {}) == ["English month 'December'"]


@pytest.fixture
def urdu_site(app, client, people, make_declaration, submitted):
    declaration, submission = submitted
    consultation = make_declaration(moderation="pre", title="Declaration on smuggling")
    signon = make_declaration("signon", visibility="public", title="Declaration on shelters")
    login(client, people["member"].email)  # a comment waiting for moderation
    client.post(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments",
                data={"body": "The victim's village should not be named."})
    client.post("/logout")
    with app.app_context():
        db.session.execute(update(User).values(language="ur"))
        db.session.commit()
    return {"consultation": consultation.id, "section": consultation.sections[0], "signon": signon.id,
            "consultation_rec": consultation.recommendations[0], "submitted": declaration.id, "sub": submission.id,
            "rec": declaration.recommendations[0], "member": people["member"].id,
            "institution": people["reviewer"].institution_id}


def test_every_main_page_is_urdu_throughout(app, people, urdu_site):
    needles = english_needles()
    assert len(needles) > 300  # the catalogue was read
    english = app.test_client()  # the check finds English where there is some: the same pages in English
    english.post("/language", data={"language": "en"})
    login(english, people["coordinator"].email)
    for path in (f"/declarations/{urdu_site['submitted']}/signatories", f"/submissions/{urdu_site['sub']}", "/"):
        assert len(untranslated(english.get(path).get_data(as_text=True), needles)) >= 3, path
    problems, checked = [], 0
    for role, pages in pages_for(urdu_site).items():
        client = app.test_client()
        client.post("/language", data={"language": "ur"})
        if role != "visitor":
            login(client, people[role].email)
        for name, path, error_data in pages:
            response = client.get(path)
            assert response.status_code == 200, f"{role} {name} {path}: {response.status_code}"
            html = response.get_data(as_text=True)
            assert '<html lang="ur" dir="rtl">' in html, f"{role} {name}: not in Urdu"
            problems += [f"{role} {name} ({path}): {s}" for s in untranslated(html, needles)]
            checked += 1
            if error_data is not None:
                response = client.post(path, data=error_data)
                assert response.status_code in (200, 400, 422), f"{role} {name} {path}: {response.status_code}"
                html = response.get_data(as_text=True)
                assert ERROR_SHOWN.search(html), f"{role} {name}: no error shown"
                problems += [f"{role} {name}, error state ({path}): {s}" for s in untranslated(html, needles)]
                checked += 1
    print(f"\nUrdu: {checked} pages x roles checked against {len(needles)} English strings")
    assert not problems, "English left on Urdu pages:\n" + "\n".join(sorted(set(problems)))
