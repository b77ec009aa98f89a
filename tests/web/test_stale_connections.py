"""The connection pool without pool_pre_ping: a connection that sat unused is checked before use, so a
database that dropped it (restart, idle timeout, failover) costs no request an error."""
import pytest
from sqlalchemy import create_engine, text

from app import database
from tests.helpers import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="connections to a database server")


def _drop_other_connections():
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    engine.dispose()


@pytest.mark.parametrize("idle_seconds,status", [(0, 200), (3600, 503)])
def test_a_connection_dropped_while_idle_is_replaced_before_use(app, client, monkeypatch, idle_seconds, status):
    """With the check (idle longer than the limit) the request is served; without it (the limit not yet
    reached) the dropped connection reaches the request, which answers 503: the check is what saves it."""
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", idle_seconds)
    assert client.get("/healthz").status_code == 200  # a pooled connection now exists
    _drop_other_connections()
    assert client.get("/healthz").status_code == status
    assert client.get("/healthz").status_code == 200  # and the pool recovers either way
