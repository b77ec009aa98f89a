"""The audit log is a hash chain: `flask audit verify` finds it whole after ordinary activity, and names
the first entry when a row is changed or removed directly in the database (the append-only triggers set
aside, as someone with the database's keys could)."""
import pytest
from sqlalchemy import text

from app.audit import chain
from app.extensions import db
from tests.helpers import login


@pytest.fixture
def activity(app, client, people, consultation):
    """Some real entries: logins, a failed one, a comment, a logout."""
    login(client, people["member"].email)
    client.post(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments",
                data={"body": "A comment for the record."})
    client.post("/logout")
    client.post("/login", data={"email": people["member"].email, "password": "wrong"})
    with app.app_context():
        ids = [row[0] for row in db.session.execute(text("SELECT id FROM audit_entries ORDER BY id"))]
    assert len(ids) >= 6
    return ids


def _verify(app):
    runner = app.test_cli_runner()
    return runner.invoke(args=["audit", "verify"])


def _without_triggers(app, statement, **params):
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":
            db.session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change"))
            db.session.execute(text(statement), params)
            db.session.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change"))
        else:
            db.session.execute(text("DROP TRIGGER audit_entries_no_update"))
            db.session.execute(text("DROP TRIGGER audit_entries_no_delete"))
            db.session.execute(text(statement), params)
        db.session.commit()


def test_the_chain_is_whole_after_ordinary_activity(app, activity):
    result = _verify(app)
    assert result.exit_code == 0 and f"{len(activity)} entries" in result.output
    with app.app_context():
        assert chain.verify() == (len(activity), None)


def test_an_entry_changed_in_the_database_is_named(app, activity):
    changed = activity[len(activity) // 2]
    _without_triggers(app, "UPDATE audit_entries SET ip = '10.9.9.9' WHERE id = :id", id=changed)
    result = _verify(app)
    assert result.exit_code == 1 and f"entry {changed} " in result.output and "was changed" in result.output


def test_an_entry_removed_from_the_database_is_noticed_at_the_next_one(app, activity):
    removed = activity[2]
    _without_triggers(app, "DELETE FROM audit_entries WHERE id = :id", id=removed)
    result = _verify(app)
    assert result.exit_code == 1 and f"entry {activity[3]} " in result.output and "removed" in result.output


def test_entries_written_at_the_same_moment_still_form_one_chain(app, people, consultation):
    """Two requests auditing at once, each in its own transaction: the second waits for the first's
    commit before it reads the last link, so the chain does not fork."""
    from app.accounts.models import User
    from app.audit.services import record
    from tests.helpers import race

    def audit(n):
        def work():
            record(db.session.get(User, people["member"].id), f"test_entry_{n}")
            return n
        return work
    first, second = race(app, audit(1), audit(2))
    assert first == {"done": 1} and second == {"done": 2}
    with app.app_context():
        assert chain.verify()[1] is None
