import re

import pytest
from sqlalchemy.orm import undefer_group

from app.declarations.models import Declaration
from app.extensions import db
from app.submissions.models import Submission
from tests.conftest import login
from tests.signatures.conftest import sign


def form_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    return found.group(1) if found else ""


def submit(client, declaration_id, recipients, **extra):
    """Open the submit page and send its form, as a coordinator would."""
    page = client.get(f"/declarations/{declaration_id}/submit")
    assert page.status_code == 200, page.status_code
    data = {"version_id": form_value(page.get_data(as_text=True), "version_id"), "recipients": recipients}
    data.update(extra)
    return client.post(f"/declarations/{declaration_id}/submit", data=data)


def the_submission(app, declaration_id) -> Submission | None:
    with app.app_context():
        found = db.session.query(Submission).options(undefer_group("dossier")).filter_by(
            declaration_id=declaration_id).one_or_none()
        if found is not None:
            db.session.expunge(found)
        return found


@pytest.fixture
def submitted(app, client, people, make_declaration, make_user, make_organization):
    """A public declaration signed by the representative, one expert and a coordinators-only organization,
    submitted by the coordinator to the reviewer's institution. Returns (declaration ids, submission)."""
    declaration = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    assert sign(client, declaration.id).status_code == 303
    client.post("/logout")
    hidden = make_organization("Safe Haven Society", acronym="SHS")
    hidden_rep = make_user(organization=hidden, org_role="representative", email="hidden-rep@example.org")
    login(client, hidden_rep.email)
    assert sign(client, declaration.id, visibility="coordinators").status_code == 303
    client.post("/logout")
    login(client, people["expert"].email)
    assert sign(client, declaration.id, capacity="individual", visibility="alliance").status_code == 303
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = submit(client, declaration.id, [people["reviewer"].institution_id])
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    client.post("/logout")
    with app.app_context():
        assert db.session.get(Declaration, declaration.id).phase == "submitted"
    return declaration, the_submission(app, declaration.id)
