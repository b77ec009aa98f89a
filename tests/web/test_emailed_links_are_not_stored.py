"""A page reached through a link mailed to one person — every route with a <token> in its address — shows
that person's details to whoever holds the link, logged in or not: it is sent with no-store, so no browser
history, back button or proxy keeps a copy (app/web/security.py, reached_by_emailed_token)."""
import re

from sqlalchemy import select

from app.accounts.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.notifications.unsubscribe import unsubscribe_token
from tests.helpers import login
from tests.signatures.test_open_signon import form

KNOWN = {"accounts.accept_invitation", "accounts.reset_password", "signatures.confirm_open",
         "notifications.unsubscribe"}


def _token_routes(app) -> list:
    return [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]


def _mailed_link(mailbox, address, path) -> str:
    [message] = mailbox.wait_for(address, containing=path)
    return re.search(rf"http://localhost({path}\S+)", message["body"]).group(1)


def _assert_not_stored(response, where):
    assert response.headers["Cache-Control"] == "no-store", (where, response.status_code)
    assert "ETag" not in response.headers, where


def test_every_route_with_a_token_answers_no_store_even_for_a_wrong_token(app):
    rules = _token_routes(app)
    assert KNOWN <= {rule.endpoint for rule in rules}
    client = app.test_client()  # a visitor: before, their pages were "private, no-cache" and got an ETag
    for rule in rules:
        assert rule.arguments == {"token"}, rule.rule
        path = rule.rule.replace("<token>", "not-a-token-at-all-" + "x" * 24)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            _assert_not_stored(client.open(path, method=method), f"{method} {rule.rule}")


def test_the_pages_behind_real_emailed_links_are_not_stored(app, client, people, make_declaration, mailbox):
    login(client, people["coordinator"].email)
    assert client.post("/invitations/new", data={"email": "invited@example.org",
                                                 "capacity": "expert"}).status_code == 302
    client.post("/logout")
    assert client.post("/reset", data={"email": people["member"].email}).status_code == 200
    declaration = make_declaration("signon", visibility="public")
    with app.app_context():
        db.session.get(Declaration, declaration.id).open_signon = True
        db.session.commit()
    assert client.post(f"/declarations/{declaration.id}/sign/open",
                       data=form(app, declaration.id)).status_code == 200
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == people["member"].email))
        unsubscribe = f"/notifications/unsubscribe/{unsubscribe_token(member)}"

    visitor = app.test_client()
    pages = {"invitation": _mailed_link(mailbox, "invited@example.org", "/invite/"),
             "reset": _mailed_link(mailbox, people["member"].email, "/reset/"),
             "open sign-on": _mailed_link(mailbox, "Shabana@Outside.example.org", "/sign/confirm/"),
             "unsubscribe": unsubscribe}
    for name, path in pages.items():
        response = visitor.get(path)
        assert response.status_code == 200, name
        _assert_not_stored(response, name)
    assert "Shabana Ali" in visitor.get(pages["open sign-on"]).get_data(as_text=True)  # personal details


def test_other_visitor_pages_are_still_checked_before_each_use(client, people):
    response = client.get("/login")
    assert response.headers["Cache-Control"] == "private, no-cache"
