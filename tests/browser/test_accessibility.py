"""axe-core (the pinned npm package in node_modules/, installed by `make test` with `npm ci`) on every main page,
for each role that sees it, in English and in Urdu, and every form also in its error state: no violation of impact
serious or critical against WCAG 2.0 A and AA, 2.1 AA and 2.2 AA."""
import time
from pathlib import Path

import pytest

from tests.browser.test_consultation_journey import log_in
from tests.helpers import login

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
WIDE, NARROW = (1000, 900), (360, 740)

AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200)}))})))"""

# Empties the form's text fields and choices, then sends it as a person pressing its button would
# (noValidate: the server's own messages are what the page shows in its error state).
SUBMIT_EMPTY = """selector => {
  const form = document.querySelector(selector);
  form.noValidate = true;
  for (const field of form.querySelectorAll("input, textarea, select")) {
    if (["hidden", "submit", "button", "file"].includes(field.type)) continue;
    if (field.type === "radio" || field.type === "checkbox") field.checked = false;
    else if (field.tagName === "SELECT") field.selectedIndex = -1;
    else field.value = "";
  }
  form.requestSubmit(form.querySelector("button[type=submit], button:not([type])"));
}"""


def pages_for(d):
    """(role, name, path, form to send empty or None) for every main page and the roles that see it."""
    read, sign_on = f"/declarations/{d['consultation']}", f"/declarations/{d['signon']}"
    sub = f"/submissions/{d['sub']}"
    thread = f"{read}/section/{d['section']}/comments"
    submitted = f"/declarations/{d['submitted']}"
    answer = f"{sub}/recommendations/{d['rec']}/answer"
    common = [("home", "/", None), ("declarations", "/declarations", None), ("tracker", "/tracker", None),
              ("submitted declaration", submitted, None), ("signatory list", f"{submitted}/signatories", None),
              ("recommendation", f"/recommendations/{d['rec']}", None), ("verify", "/verify", "main form.wide-form"),
              ("search", "/search?q=trafficking", None), ("organizations", "/organizations", None),
              ("scorecards", "/institutions/", None), ("scorecard", f"/institutions/{d['institution']}", None)]
    amend = f"{read}/recommendation/{d['consultation_rec']}/amend"
    pages = {
        "visitor": common + [("dossier", sub, None), ("login", "/login", "main form"),
                             ("password reset", "/reset", "main form")],
        "member": common + [("reading page", read, None), ("comment thread", thread, "#comment-form"),
                            ("amendment form", amend, "main form"), ("amendments", f"{read}/amendments", None),
                            ("dossier", sub, None), ("account", "/account", "main form"),
                            ("password", "/account/password", "main form")],
        "representative": common + [("reading page", read, None), ("comment thread", thread, None),
                                    ("sign page", f"{sign_on}/sign", "form.sign-form"), ("dossier", sub, None),
                                    ("account", "/account", "main form")],
        "coordinator": common + [("reading page", read, None), ("comment thread", thread, "#comment-form"),
                                 ("moderation queue", "/moderation", None),
                                 ("moderation history", "/moderation/history", None),
                                 ("dossier", sub, None), ("submissions", "/submissions", None),
                                 ("new declaration", "/declarations/new", "main form"),
                                 ("editor", f"{read}/edit", None), ("history", f"{submitted}/history", None),
                                 ("sign-on statistics", f"{sign_on}/signatures/statistics", None),
                                 ("response statistics", f"{sub}/statistics", None),
                                 ("invitations", "/invitations", None), ("account", "/account", "main form"),
                                 ("chase list", f"{sign_on}/chase", None), ("co-drafters", f"{read}/drafters", None),
                                 ("invitation form", "/invitations/new", "main form")],
        "reviewer": common + [("dossier", sub, None), ("reviewer workspace", f"{sub}/respond", None),
                              ("answer form", answer, "main form.wide-form"), ("account", "/account", "main form"),
                              ("two-step login", "/account/two-factor", None)],
        "admin": common + [("users", "/admin/users", None),
                           ("user", f"/admin/users/{d['member']}", None),
                           ("institutions", "/admin/institutions", None),
                           ("new institution", "/admin/institutions/new", "main form"),
                           ("settings", "/admin/settings", "main form.settings-form"),
                           ("audit", "/admin/audit", None), ("account", "/account", "main form")],
    }
    return pages


def describe(violations):
    return "\n".join(f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
        f"    at {n['target']}: {n['html']}" for n in v["nodes"][:5]) for v in violations)


def check(page, where, found):
    """axe on the page as a desktop shows it and as a phone does (tables scroll, targets shrink)."""
    page.add_script_tag(path=str(AXE))
    for width, height in (WIDE, NARROW):
        page.set_viewport_size({"width": width, "height": height})
        violations = [v for v in page.evaluate(AXE_RUN, TAGS) if v["impact"] in BLOCKING]
        if violations:
            found.append(f"{where}, {width} px wide:\n{describe(violations)}")
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_main_page_passes_axe(live_server, browser, client, people, make_declaration, submitted, language):
    assert AXE.exists(), f"{AXE} is missing: `make test` installs it (npm ci)"
    app, base = live_server
    declaration, submission = submitted
    consultation = make_declaration(moderation="pre", title="Declaration on smuggling")
    signon = make_declaration("signon", visibility="public", title="Declaration on shelters")
    login(client, people["member"].email)  # a comment waiting for moderation
    client.post(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments",
                data={"body": "The victim's village should not be named."})
    client.post("/logout")
    ids = {"consultation": consultation.id, "section": consultation.sections[0], "signon": signon.id,
           "consultation_rec": consultation.recommendations[0], "submitted": declaration.id, "sub": submission.id,
           "rec": declaration.recommendations[0], "member": people["member"].id,
           "institution": people["reviewer"].institution_id}
    found, checked, started = [], 0, time.monotonic()
    for role, pages in pages_for(ids).items():
        # The site's CSP forbids inline script, and add_script_tag(path=…) injects axe inline: this context
        # (only used for the axe run) bypasses the CSP. One context per role and language keeps the stage fast.
        context = browser.new_context(bypass_csp=True, viewport={"width": WIDE[0], "height": WIDE[1]})
        page = context.new_page()
        if role != "visitor":
            log_in(page, base, people[role].email, app)
        page.goto(base + "/")
        if language == "ur":
            page.click("header button[name=language][value=ur]")
        for name, path, form in pages:
            response = page.goto(base + path)
            assert response.status == 200, f"{role} {name} {path}: {response.status}"
            assert page.get_attribute("html", "lang") == language
            assert page.get_attribute("html", "dir") == ("rtl" if language == "ur" else "ltr")
            check(page, f"{language} {role} {name} ({path})", found)
            checked += 1
            if form:
                with page.expect_navigation():
                    page.evaluate(SUBMIT_EMPTY, form)
                assert page.locator(".error, .alert-error").count(), f"{role} {name}: no error shown"
                check(page, f"{language} {role} {name}, error state ({path})", found)
                checked += 1
        context.close()
    print(f"\naxe-core: {checked} pages x roles checked in {language} ({len(pages_for(ids))} roles, each page at "
          f"{WIDE[0]} and {NARROW[0]} px): {len(found)} with violations, {time.monotonic() - started:.1f}s")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
