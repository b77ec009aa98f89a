"""Dangerous text through every signing field: shown escaped on every page that shows it."""
import csv
import io
import re

import pytest

from app.declarations.models import Declaration
from app.extensions import db
from tests.helpers import login, sign, signatures_of
from tests.signatures.test_open_signon import form
from tests.test_bad_input import PAYLOADS, assert_harmless


@pytest.mark.parametrize("payload", PAYLOADS)
def test_signing_fields_are_escaped_when_shown(app, client, people, signon, mailbox, payload):
    with app.app_context():
        db.session.get(Declaration, signon.id).open_signon = True
        db.session.commit()
    login(client, "rep@example.org")
    assert sign(client, signon.id, **{f"reservation-{signon.recommendations[0]}": payload}).status_code == 303
    assert_harmless(client.get(f"/declarations/{signon.id}/sign").get_data(as_text=True))
    [signature] = signatures_of(app, signon.id)
    client.post(f"/signatures/{signature.id}/withdraw", data={"reason": payload[:1000]})
    client.post("/logout")

    email = "payload@outside.example.org"
    response = client.post(f"/declarations/{signon.id}/sign/open", data=form(app, signon.id, {
        "organization_name": payload[:200], "signer_name": payload[:120], "signer_designation": payload[:120],
        "email": email, "country": payload[:100]}))
    assert response.status_code == 200, response.status_code
    [message] = mailbox.wait_for(email, containing="/sign/confirm/")
    link = re.search(r"http://localhost(/sign/confirm/\S+)", message["body"]).group(1)
    assert_harmless(client.get(link).get_data(as_text=True))
    assert_harmless(client.post(link).get_data(as_text=True))
    external = [s for s in signatures_of(app, signon.id) if s.open_request_id][0]

    login(client, "coordinator@example.org")
    assert_harmless(client.get(f"/declarations/{signon.id}/signatories").get_data(as_text=True))
    client.post(f"/signatures/{external.id}/reject", data={"reason": payload[:1000]})
    for url in ("signatories", "signatories?status=rejected", "chase"):
        assert_harmless(client.get(f"/declarations/{signon.id}/{url}").get_data(as_text=True))
    export = client.get(f"/declarations/{signon.id}/signatories.csv").get_data(as_text=True).lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(export)) for cell in row]
    assert cells and not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
