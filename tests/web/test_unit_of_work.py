"""One way to abandon writes: app.web.pages.attempt() runs a service in a savepoint and undoes what it wrote
when it refuses; the request's single commit happens only for a successful response."""
import pytest
from sqlalchemy import func, select

from app.errors import RuleError
from app.extensions import db
from app.organizations.models import Organization
from app.web.pages import attempt
from tests.helpers import post_phase


def _count(name: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Organization).where(Organization.name == name))


def test_a_refused_service_leaves_none_of_its_writes_and_keeps_the_requests_earlier_ones(app):
    with app.test_request_context():
        db.session.add(Organization(name="Written before", type="ngo"))
        db.session.flush()
        with pytest.raises(RuleError):
            with attempt():
                db.session.add(Organization(name="Written by the refused service", type="ngo"))
                db.session.flush()
                raise RuleError("refused")
        assert _count("Written by the refused service") == 0
        assert _count("Written before") == 1


def test_a_savepoint_commits_nothing_by_itself(app):
    """On SQLite a savepoint opened outside a transaction would be committed by its RELEASE: the request's
    rollback must still undo what a successful attempt() wrote."""
    with app.test_request_context():
        with attempt():
            db.session.add(Organization(name="Kept until the request ends", type="ngo"))
            db.session.flush()
        assert _count("Kept until the request ends") == 1
        db.session.rollback()
        assert _count("Kept until the request ends") == 0


def test_a_refused_action_in_a_view_commits_nothing(app, client, make_declaration):
    """A coordinator moving a declaration that cannot move: the flash says why and nothing changed."""
    from tests.helpers import login
    declaration = make_declaration("drafting")
    login(client, "coordinator@example.org")
    response = post_phase(client, declaration.id, {"target": "consultation"})
    assert response.status_code in (302, 303, 422)
    with app.app_context():
        from app.declarations.models import Declaration
        assert db.session.get(Declaration, declaration.id).phase == "drafting"
