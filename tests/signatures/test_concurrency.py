"""Races against a real threaded server: double clicks and crowds end in exactly one signature each."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.declarations.models import Declaration
from app.extensions import db
from app.signatures.models import Signature
from tests.helpers import PASSWORD, totp_code
from tests.webclient import WebClient

# Both databases run these; the issue asks for PostgreSQL, where the requests truly overlap in the database.
pytestmark = pytest.mark.timeout(300)


def _form(app, declaration_id, client):
    with app.app_context():
        version_id = db.session.get(Declaration, declaration_id).latest_version.id
    token = client.csrf(f"/declarations/{declaration_id}/sign")
    return {"csrf_token": token, "version_id": str(version_id), "capacity": "organization", "visibility": "public"}


def _active(app, declaration_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Signature).where(
            Signature.declaration_id == declaration_id, Signature.status == "active"))


def test_fifty_parallel_requests_for_one_organization_leave_one_signature(live_server, people, make_declaration):
    app, base = live_server
    declaration = make_declaration("signon", visibility="public")
    client = WebClient(base)
    client.login("rep@example.org", PASSWORD)
    form = _form(app, declaration.id, client)
    start = threading.Barrier(50)

    def attempt(_n):
        own = WebClient(base)
        own.cookies = dict(client.cookies)  # the same person, clicking in fifty tabs at once
        start.wait()
        status, headers, text, _t = own.post(f"/declarations/{declaration.id}/sign", form, keep_cookies=False)
        return status
    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(attempt, range(50)))
    assert statuses == [303] * 50, sorted(set(statuses))
    assert _active(app, declaration.id) == 1
    page = client.get(f"/declarations/{declaration.id}/sign")[2]
    assert "Signature of" in page


def test_two_hundred_different_signers_in_parallel_all_land(live_server, people, make_declaration,
                                                              make_organization, make_user):
    app, base = live_server
    declaration = make_declaration("signon", visibility="public")
    reps = [make_user(organization=make_organization(f"Organization {n:03d}"), org_role="representative")
            for n in range(200)]
    clients = []

    def prepare(rep):
        client = WebClient(base)
        client.login(rep.email, PASSWORD)
        return client, _form(app, declaration.id, client)
    with ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(prepare, reps))
    start = threading.Barrier(len(clients))

    def attempt(pair):
        client, form = pair
        start.wait()
        return client.post(f"/declarations/{declaration.id}/sign", form)[0]
    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(attempt, clients))
    assert statuses == [303] * 200, sorted(set(statuses))
    assert _active(app, declaration.id) == 200
    coordinator = WebClient(base)
    coordinator.login("coordinator@example.org", PASSWORD, code=lambda: totp_code(app, "coordinator@example.org"))
    page = coordinator.get(f"/declarations/{declaration.id}/signatories")[2]
    assert "200 organizations" in page
    assert page.count('<tr id="sig-') == 200
