"""Signal receivers live in each area's receivers.py (tests/test_architecture.py), and two receivers that give
the same key to a page's context are refused loudly instead of one silently replacing the other."""
import pytest

from app.declarations.models import Declaration
from app.declarations.signals import reading_page, reading_page_context
from app.extensions import db


def test_two_receivers_giving_the_same_key_is_an_error(app, consultation):
    def _also_counts(_declaration, **_extra):
        return {"counts": {}}  # the comments area already gives "counts"

    reading_page.connect(_also_counts)
    try:
        with app.test_request_context(), pytest.raises(RuntimeError, match=r"_also_counts gives \['counts'\]"):
            reading_page_context(db.session.get(Declaration, consultation.id), None)
    finally:
        reading_page.disconnect(_also_counts)


def test_the_receivers_of_every_area_give_distinct_keys(app, consultation):
    with app.test_request_context():
        context = reading_page_context(db.session.get(Declaration, consultation.id), None)
    assert {"counts", "signing_closed"} <= context.keys()
