"""What app/sqlalchemy_private.py relies on of SQLAlchemy's private API is still there and still means the same:
an upgrade that changes it fails here, by name, before the statement cache or ON CONFLICT quietly stops
working (tests/test_statement_cache.py then shows the cost). No database needed: the statements are compiled
for each dialect."""
import pytest
import sqlalchemy
from sqlalchemy.dialects import postgresql, sqlite

from app.form_keys.models import FormKey
from app.sqlalchemy_private import ignoring_insert

DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
UPGRADE = f"SQLAlchemy {sqlalchemy.__version__} changed the private API that app/sqlalchemy_private.py uses"


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_on_conflict_do_nothing_is_still_set_through_post_values_clause(name):
    public = DIALECTS[name].insert(FormKey).on_conflict_do_nothing()
    assert hasattr(public, "_post_values_clause"), UPGRADE
    ours = ignoring_insert(FormKey, name)
    assert type(ours._post_values_clause).__mro__[1] is type(public._post_values_clause), UPGRADE
    compiled = str(ours.values(key="k", answer_url="/").compile(dialect=DIALECTS[name].dialect()))
    assert "ON CONFLICT DO NOTHING" in compiled, f"{UPGRADE}: {compiled}"


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_the_insert_and_its_clause_are_cacheable_and_keyed_by_their_values(name):
    first = ignoring_insert(FormKey, name).values(key="a", answer_url="/")
    second = ignoring_insert(FormKey, name).values(key="b", answer_url="/")
    assert hasattr(type(first._post_values_clause), "_cache_key_traversal"), UPGRADE
    assert first._generate_cache_key() is not None, f"{UPGRADE}: the insert opts out of the statement cache"
    assert first._generate_cache_key() == second._generate_cache_key(), UPGRADE
    # Parameters stay parameters: the cached statement does not carry the first row's values.
    other_columns = ignoring_insert(FormKey, name).values(key="a")
    assert first._generate_cache_key() != other_columns._generate_cache_key(), UPGRADE
