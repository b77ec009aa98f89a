import pytest

from app.declarations.models import Declaration
from app.extensions import db


@pytest.fixture
def signon(make_declaration):
    """A public declaration in sign-on (version 3), with two sections and three recommendations."""
    return make_declaration("signon", visibility="public")


@pytest.fixture
def open_signon(app, signon):
    """The same, with the public form for organizations outside the alliance open."""
    with app.app_context():
        db.session.get(Declaration, signon.id).open_signon = True
        db.session.commit()
    return signon
