import re

import pytest
from sqlalchemy import select

from app.declarations.models import Declaration
from app.extensions import db
from app.signatures.models import Signature


@pytest.fixture
def signon(make_declaration):
    """A public declaration in sign-on (version 3), with two sections and three recommendations."""
    return make_declaration("signon", visibility="public")


def version_id(app, declaration_id) -> int:
    with app.app_context():
        return db.session.get(Declaration, declaration_id).latest_version.id


def sign(client, declaration_id, **data):
    """Open the sign page and send its form, as a person would."""
    page = client.get(f"/declarations/{declaration_id}/sign")
    assert page.status_code == 200, page.status_code
    found = re.search(r'name="version_id" type="hidden" value="(\d+)"', page.get_data(as_text=True))
    form = {"version_id": found.group(1) if found else "", "capacity": "organization", "visibility": "public"}
    form.update(data)
    return client.post(f"/declarations/{declaration_id}/sign", data=form)


def signatures_of(app, declaration_id) -> list[Signature]:
    with app.app_context():
        rows = db.session.scalars(select(Signature).where(Signature.declaration_id == declaration_id)
                                  .order_by(Signature.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows
