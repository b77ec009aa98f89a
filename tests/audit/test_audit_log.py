import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.audit.models import AuditEntry, AuditLogIsAppendOnly
from app.audit.services import record
from app.extensions import db
from tests.helpers import login


def _entry(app):
    with app.app_context():
        entry_id = record(None, "test_action", None, note="x")
        db.session.commit()
        return entry_id


def test_the_orm_refuses_to_change_an_audit_entry(app):
    entry_id = _entry(app)
    with app.app_context():
        db.session.get(AuditEntry, entry_id).action = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEntry, entry_id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET action = 'rewritten'", "DELETE FROM audit_entries"])
def test_the_database_refuses_to_change_an_audit_entry(app, statement):
    _entry(app)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
        assert db.session.scalar(select(AuditEntry.action)) == "test_action"


def test_entries_record_actor_target_time_and_address(app, client, people):
    login(client, people["member"].email)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
        assert entry.actor_id == people["member"].id
        assert (entry.target_type, entry.target_id) == ("users", people["member"].id)
        assert entry.created_at is not None and entry.ip == "127.0.0.1"


def test_admins_browse_and_filter_the_audit_log(app, client, people):
    login(client, people["member"].email, "wrong")
    login(client, people["admin"].email)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "login_failed" in page and "login" in page
    filtered = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "member@example.org" in filtered and "1 entry" in filtered
    by_actor = client.get("/admin/audit?actor=admin@example").get_data(as_text=True)
    assert "Login failed</td>" not in by_actor
    assert client.get("/admin/audit?since=not-a-date&page=x").status_code == 200
