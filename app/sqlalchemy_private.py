"""Every use of SQLAlchemy's private API in Sanad, in one place; tests/test_sqlalchemy_private.py fails
loudly when an upgrade of SQLAlchemy changes what is relied on here (pinned: requirements.in).

What and why: an INSERT … ON CONFLICT DO NOTHING that SQLAlchemy's statement cache can key. The dialect
INSERTs and their ON CONFLICT clauses opt out of the cache, so each was compiled again on every execution
(a quarter of a signing request's CPU). Relied on: the dialect Insert classes and OnConflictDoNothing (from
the dialects' dml modules), the `_post_values_clause` attribute that .on_conflict_do_nothing() sets, and
the `_cache_key_traversal` that keys a clause."""
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing as PostgresDoNothing
from sqlalchemy.dialects.sqlite.dml import OnConflictDoNothing as SqliteDoNothing


# SQLAlchemy 2.0's dialect INSERTs and their ON CONFLICT clauses opt out of its statement cache, so each one
# was compiled again on every execution (a quarter of a signing request's CPU). A bare DO NOTHING has no
# parameters, so its class alone identifies it; the INSERT's own cache key already covers its clauses.
class _PostgresInsert(postgresql.Insert):
    inherit_cache = True


class _PostgresDoNothing(PostgresDoNothing):
    inherit_cache = True
    _cache_key_traversal = ()


class _SqliteInsert(sqlite.Insert):
    inherit_cache = True


class _SqliteDoNothing(SqliteDoNothing):
    inherit_cache = True
    _cache_key_traversal = ()


_IGNORING = {"postgresql": (_PostgresInsert, _PostgresDoNothing), "sqlite": (_SqliteInsert, _SqliteDoNothing)}


def ignoring_insert(model, dialect_name: str):
    """INSERT … ON CONFLICT DO NOTHING for the dialect (postgresql or sqlite), cacheable."""
    insert_class, do_nothing = _IGNORING[dialect_name]
    statement = insert_class(model)
    statement._post_values_clause = do_nothing()  # what .on_conflict_do_nothing() sets
    return statement
