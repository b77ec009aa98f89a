"""Mail to addresses a person chose is budgeted (app/mail/budget.py): per actor, per recipient address and
for the whole site. Every service that queues mail is listed here, as budgeted or with the reason its
recipients are not someone's free choice; a new one fails the class test until it is placed."""
import ast
import secrets
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from tests.helpers import login
from tests.signatures.test_open_signon import form as open_form

ROOT = Path(__file__).resolve().parents[2]

# Functions that queue mail to an address the actor typed or picked, and the budget each spends from.
BUDGETED = {
    "app/accounts/services.py:invite": "invitation / secretariat_invitation",
    "app/accounts/services.py:request_password_reset": "password_reset",
    "app/signatures/open_signon.py:send_confirmation": "open_signon (spent by request_open_signature)",
    "app/signatures/reminders.py:_remind": "signature_reminder (for send_reminders and remind_all)",
}
# Functions that queue mail whose recipients nobody chose, and why.
NOT_CHOSEN = {
    "app/notifications/services.py:notify": "a registered person's own address, as their settings allow",
    "app/notifications/services.py:_write_digests": "a registered person's own address, once a day at most",
    "app/notifications/broadcast.py:tell": "registered people's own addresses, as their settings allow (the "
                                           "callers below say who and how often)",
    "app/notifications/broadcast.py:tell_all": "as tell, in one transaction",
    "app/signatures/open_signon.py:_tell_outside_signer": "the address the outside signer confirmed; one mail "
                                                          "per coordinator decision or submission",
    "app/accounts/two_factor.py:warn_owner_if_codes_keep_failing": "the account's own address, once an hour",
    "app/signatures/reopening.py:signon_opened": "who may sign, once when a coordinator opens sign-on",
    "app/signatures/reopening.py:text_reopened": "signers on record, once per reopening by a coordinator",
    "app/signatures/reopening.py:signon_reopened": "signers on record, once per reopening by a coordinator",
    "app/notifications/services.py:notify_alliance": "the alliance's members, once per phase or published answers",
    "app/notifications/services.py:notify_all": "as tell; its callers here say who and how often",
    "app/notifications/services.py:notify_alliance_of_submission": "the alliance's members, once per submission",
    "app/notifications/services.py:notify_amendment_decision": "the amendment's proposer, once per decision",
    "app/notifications/services.py:notify_amendment_hidden": "the amendment's proposer, once per decision",
    "app/notifications/services.py:notify_moderation": "the comment's author, once per moderation decision",
    "app/notifications/services.py:notify_reply": "the author of the comment replied to, once per reply",
    "app/notifications/services.py:notify_signature_awaiting_approval": "the coordinators, once per outside "
                                                                        "signature",
    "app/notifications/services.py:closing_reminders": "the alliance's members, once per deadline",
    "app/signatures/receipts.py:send_receipt": "the signer's own account address, once per signature written",
    "app/submissions/services.py:_notify_recipients": "the addressed institutions' reviewers, once per submission",
    "app/submissions/services.py:_tell_signers_left_out": "signers on record, once per submission",
    "app/submissions/services.py:set_signon_deadline": "who may sign, once per deadline change by a coordinator",
}


def _functions_that_queue_mail() -> set[str]:
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        if path.parent.name == "mail":
            continue
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                called = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else \
                    node.func.attr if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
                if called in ("queue", "queue_many", "tell_all", "batches", "notify_all") \
                        or (called == "notify" and function.name != "notify"):
                    found.add(f"{path.relative_to(ROOT)}:{function.name}")
    return found


def test_every_function_that_queues_mail_is_budgeted_or_says_why_not():
    found = _functions_that_queue_mail()
    unplaced = found - set(BUDGETED) - set(NOT_CHOSEN)
    assert not unplaced, f"queues mail but is neither budgeted nor explained: {sorted(unplaced)}"
    assert set(BUDGETED) <= found | {"app/accounts/services.py:request_password_reset"}


@pytest.mark.parametrize("name", sorted(BUDGETED))
def test_each_budgeted_function_spends_from_a_budget(name):
    path, function_name = name.split(":")
    tree = ast.parse((ROOT / path).read_text())
    spenders = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                and any(isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "spend" and getattr(call.func.value, "id", "") == "budget"
                        for call in ast.walk(node))}
    # The function spends, or every caller in its module that reaches it from a form does.
    assert function_name in spenders or (function_name == "send_confirmation"
                                         and "request_open_signature" in spenders)


def _budgets(**changes):
    budgets = {"invitation": ("3 per hour", "1 per day", "100 per hour"),
               "secretariat_invitation": ("100 per hour", "1 per day", "100 per hour"),
               "open_signon": ("100 per hour", "1 per day", "100 per hour"),
               "password_reset": ("100 per hour", "2 per hour", "100 per hour"),
               "signature_reminder": ("100 per day", "1 per day", "100 per day")}
    budgets.update(changes)
    return budgets


def _limited(make_app, **changes):
    return make_app(RATELIMIT_ENABLED=True, LOGIN_LIMITS="1000 per minute", TOKEN_LIMITS="1000 per minute",
                    OPEN_SIGNON_LIMITS="1000 per minute", MAIL_BUDGETS=_budgets(**changes))


def _refusals(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _invite(client, organization_id, email):
    return client.post(f"/organizations/{organization_id}/invite",
                       data={"email": email, "capacity": "member", "organization": str(organization_id),
                             "form_key": secrets.token_urlsafe(24)})  # a fresh form each time, as a browser sends


def test_a_representative_cannot_flood_outside_addresses_with_invitations(make_app, people, mailbox):
    app = _limited(make_app)
    client = app.test_client()
    rep = people["representative"]
    login(client, rep.email)
    for n in range(3):
        assert _invite(client, rep.organization_id, f"person{n}@outside.example").status_code == 302
    refused = _invite(client, rep.organization_id, "person9@outside.example")
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "as many of these emails as you may" in text and 'value="person9@outside.example"' in text
    assert not mailbox.to("person9@outside.example")
    assert len(_refusals(app, "mail_invitation_refused")) == 1
    _invite(client, rep.organization_id, "person10@outside.example")
    assert len(_refusals(app, "mail_invitation_refused")) == 1  # summarised, not one entry per request


def test_one_address_is_not_flooded_with_invitations_registered_or_not(make_app, people, mailbox):
    app = _limited(make_app, invitation=("100 per hour", "1 per day", "100 per hour"))
    client = app.test_client()
    rep = people["representative"]
    login(client, rep.email)
    for email in ("new@outside.example", people["member"].email):
        assert _invite(client, rep.organization_id, email).status_code == 302
        again = _invite(client, rep.organization_id, email)
        assert again.status_code == 422 and "several times recently" in again.get_data(as_text=True)
        assert len(mailbox.to(email)) == 1
    # The refusal reads the same whether or not the address has an account.


def test_the_whole_site_has_a_budget_too(make_app, people, make_user, mailbox):
    app = _limited(make_app, invitation=("100 per hour", "5 per day", "2 per hour"))
    rep = people["representative"]
    with app.app_context():
        from app.organizations.models import Organization
        organization = db.session.get(Organization, rep.organization_id)
        other = make_user(email="rep2@example.org", organization=organization, org_role="representative")
    first, second = app.test_client(), app.test_client()
    login(first, rep.email)
    login(second, other.email)
    assert _invite(first, rep.organization_id, "a@outside.example").status_code == 302
    assert _invite(second, rep.organization_id, "b@outside.example").status_code == 302
    refused = _invite(second, rep.organization_id, "c@outside.example")
    assert refused.status_code == 422 and "Sanad has sent as many" in refused.get_data(as_text=True)


def test_password_reset_mail_to_one_address_is_budgeted(make_app, people, mailbox):
    app = _limited(make_app)
    client = app.test_client()
    for _n in range(2):
        assert client.post("/reset", data={"email": people["member"].email}).status_code == 200
    refused = client.post("/reset", data={"email": people["member"].email})
    assert refused.status_code == 422 and "several times recently" in refused.get_data(as_text=True)
    assert len(mailbox.to(people["member"].email)) == 2
    # An address without an account is refused the same way: nothing tells the two apart.
    for _n in range(2):
        client.post("/reset", data={"email": "nobody@outside.example"})
    assert client.post("/reset", data={"email": "nobody@outside.example"}).status_code == 422
    assert len(_refusals(app, "mail_password_reset_refused")) == 2


def test_open_signon_confirmations_to_one_address_are_budgeted(make_app, people, make_declaration, mailbox):
    app = _limited(make_app)
    signon = make_declaration("signon", visibility="public")
    with app.app_context():
        from app.declarations.models import Declaration
        db.session.get(Declaration, signon.id).open_signon = True
        db.session.commit()
    client = app.test_client()
    url = f"/declarations/{signon.id}/sign/open"
    assert client.post(url, data=open_form(app, signon.id)).status_code == 200
    refused = client.post(url, data=open_form(app, signon.id, {"organization_name": "Another Name"}))
    assert refused.status_code == 422 and "several times recently" in refused.get_data(as_text=True)
    assert 'value="Another Name"' in refused.get_data(as_text=True)
    assert len(_refusals(app, "mail_open_signon_refused")) == 1


def test_reminders_spend_from_the_coordinators_budget(make_app, people, make_declaration, make_organization,
                                                      make_user, mailbox):
    app = _limited(make_app, signature_reminder=("2 per day", "5 per day", "100 per day"))
    signon = make_declaration("signon", visibility="public")
    organizations = [make_organization(f"Forum {n}") for n in range(3)]
    for n, organization in enumerate(organizations):
        make_user(organization=organization, org_role="representative", email=f"chase{n}@example.org")
    client = app.test_client()
    login(client, people["coordinator"].email)
    url = f"/declarations/{signon.id}/chase"
    response = client.post(url, data={"organization_id": [str(o.id) for o in organizations]},
                           follow_redirects=True)
    assert "as many of these emails as you may" in response.get_data(as_text=True)
    assert not any(mailbox.to(f"chase{n}@example.org") for n in range(3))  # all or nothing
    response = client.post(url, data={"organization_id": [str(o.id) for o in organizations[:2]]},
                           follow_redirects=True)
    assert "Reminders sent to 2 organizations" in response.get_data(as_text=True)
    assert len(_refusals(app, "mail_signature_reminder_refused")) == 1
