"""Every form with errors opens with a summary that lists each field to fix and links to it (GOV.UK's error
summary, issue 14 #5); each field's hint comes before it and its error just above it."""
from bs4 import BeautifulSoup

from app.declarations.models import Declaration
from app.extensions import db
from tests.helpers import login


def _summary_links(html: str) -> tuple[list[str], BeautifulSoup]:
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one(".error-summary")
    assert summary is not None, "no error summary"
    return [a["href"] for a in summary.select("ul.error-list a")], soup


def test_the_open_sign_on_form_sent_empty_lists_every_field_to_fix(app, client, make_declaration):
    declaration = make_declaration("signon", visibility="public")
    with app.app_context():
        db.session.get(Declaration, declaration.id).open_signon = True
        db.session.commit()
    response = client.post(f"/declarations/{declaration.id}/sign/open", data={})
    assert response.status_code == 422
    links, soup = _summary_links(response.get_data(as_text=True))
    assert len(links) >= 3  # organization, name, email … each named, not "the fields marked below" alone
    for href in links:
        target = soup.find(id=href[1:])
        assert target is not None, f"{href} leads nowhere"
        field = target.find_parent(class_="field") or target.parent
        error = field.find(class_="error")
        assert error is not None and error.find_next(id=href[1:]) is not None  # the error sits above the input


def test_a_hint_comes_before_its_field(client, people, consultation):
    login(client, people["member"].email)
    page = client.get(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/amend")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    hint = soup.find(id="text-hint")
    assert hint is not None and hint.find_next("textarea", id="text") is not None


def test_a_login_with_nothing_typed_links_to_both_fields(client):
    response = client.post("/login", data={})
    links, _soup = _summary_links(response.get_data(as_text=True))
    assert links == ["#email", "#password"]


def _summary_lines(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(li.get_text().split()) for li in soup.select(".error-summary ul.error-list li")]


def test_a_label_that_ends_a_sentence_is_not_given_a_colon_after_its_full_stop(app, make_declaration):
    declaration = make_declaration("signon", visibility="public")
    with app.app_context():
        db.session.get(Declaration, declaration.id).open_signon = True
        db.session.commit()
    for language, full_stop in (("en", "."), ("ur", "۔")):
        client = app.test_client()
        client.post("/language", data={"language": language})
        response = client.post(f"/declarations/{declaration.id}/sign/open", data={})
        assert response.status_code == 422
        lines = _summary_lines(response.get_data(as_text=True))
        assert any(":" in line for line in lines), lines  # short labels: "Your name: …"
        authorised = [line for line in lines if f"{full_stop} " in line]
        assert authorised, (language, lines)  # the sentence-label keeps its own full stop …
        for line in lines:
            assert f"{full_stop}:" not in line and ":: " not in line, (language, line)  # … and gets no colon
