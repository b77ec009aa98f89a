"""One way to abandon writes: app.web.pages.attempt() runs a service in a savepoint and undoes what it wrote
when it refuses (views reach it through carry_out()); the request's single commit happens only for a
successful response."""
import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select

from app.errors import NotAllowed, RuleError
from app.extensions import db
from app.organizations.models import Organization
from app.web.pages import attempt, carry_out
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


def _add_organization(name: str, refusal: Exception | None = None) -> Organization:
    organization = Organization(name=name, type="ngo")
    db.session.add(organization)
    db.session.flush()
    if refusal is not None:
        raise refusal
    return organization


def test_carry_out_returns_a_refusal_with_its_text_and_none_of_its_writes(app):
    with app.test_request_context():
        outcome = carry_out(_add_organization, "Refused", RuleError("Not now."), success="Added.")
        assert (outcome.done, outcome.error, outcome.result, outcome.repeat) == (False, "Not now.", None, None)
        assert isinstance(outcome.refusal, RuleError)
        assert _count("Refused") == 0
        assert get_flashed_messages() == []


def test_carry_out_returns_what_the_service_made_and_says_so(app):
    with app.test_request_context():
        outcome = carry_out(_add_organization, name="Added", success="Added.")
        assert outcome.done and outcome.error is None and outcome.result.name == "Added"
        assert _count("Added") == 1
        assert get_flashed_messages(with_categories=True) == [("success", "Added.")]


def test_carry_out_lets_every_other_error_go_on_to_the_error_pages_with_nothing_written(app):
    with app.test_request_context():
        with pytest.raises(NotAllowed):
            carry_out(_add_organization, "Forbidden", NotAllowed())
        assert _count("Forbidden") == 0


def test_carry_out_makes_a_create_form_once(app):
    """The form's key is claimed with the service's writes: sent again, the form makes nothing and leads where
    the first sending led; a refused sending releases its key with the rest."""
    key = "k" * 30
    with app.test_request_context(method="POST", data={"form_key": key}):
        refused = carry_out(_add_organization, "Once", RuleError("Not yet."), form_key=key)
        assert refused.error == "Not yet."
        first = carry_out(_add_organization, "Once", form_key=key)
        assert first.done and first.answered("/organizations/1") == "/organizations/1"
        again = carry_out(_add_organization, "Once", form_key=key, success="Added.")
        assert not again.done and again.error is None and again.repeat.answer_url == "/organizations/1"
        assert _count("Once") == 1
        assert get_flashed_messages() == []


def test_carry_out_refuses_a_create_form_without_its_key(app):
    with app.test_request_context(method="POST", data={}):
        outcome = carry_out(_add_organization, "Keyless", form_key="")
        assert not outcome.done and outcome.error and _count("Keyless") == 0


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
