"""flask backup create / restore: a backup taken while people keep writing restores into an empty database
with its audit chain intact, every dossier hash still right, and (taken at rest) every table's count."""
import threading
import uuid

import pytest
from sqlalchemy import create_engine, text

from app.audit import chain
from app.cli import backup
from app.extensions import db
from tests.conftest import make_config, migrate
from tests.helpers import POSTGRES_URL, login


@pytest.fixture
def empty_database(tmp_path, smtp_server):
    """A second, empty database (never migrated) to restore into; dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"sanad_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _sep, query = POSTGRES_URL.partition("?")
    yield f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _restored_app(smtp_port, url):
    from app import create_app
    return create_app(make_config(url, smtp_port))


def _keep_writing(app, people, consultation, stop: threading.Event, written: list):
    """A member comments over and over until told to stop: traffic while the backup runs."""
    client = app.test_client()
    login(client, people["member"].email)
    path = f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments"
    while not stop.is_set():
        response = client.post(path, data={"body": f"Comment {len(written)} written during the backup."})
        written.append(response.status_code)


def test_a_backup_under_traffic_restores_whole_and_verifiable(app, runner, people, submitted, consultation,
                                                              tmp_path, empty_database, smtp_server):
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_keep_writing, args=(app, people, consultation, stop, written))
    writer.start()
    try:
        while len(written) < 3:  # the traffic is under way
            threading.Event().wait(0.05)
        result = runner.invoke(args=["backup", "create", str(tmp_path / "live.backup")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert set(written) == {302} or set(written) == {303}, set(written)  # every comment went in

    restored = _restored_app(smtp_server[0].port, empty_database)
    outcome = restored.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "live.backup")])
    assert outcome.exit_code == 0, outcome.output
    assert "audit chain intact" in outcome.output and "0 wrong" in outcome.output
    with restored.app_context():
        checked, broken = chain.verify()
        dossiers, wrong = backup.check_dossiers()
        rows = backup.counts()
        db.engine.dispose()
    assert broken is None and checked > 10
    assert dossiers == 1 and wrong == []
    assert 0 < rows["comments"] <= 1 + len(written)  # what was committed when the snapshot was taken


def test_a_backup_at_rest_restores_every_row(app, runner, submitted, tmp_path, empty_database, smtp_server):
    with app.app_context():
        before = backup.counts()
        db.engine.dispose()
    assert runner.invoke(args=["backup", "create", str(tmp_path / "rest.backup")]).exit_code == 0
    restored = _restored_app(smtp_server[0].port, empty_database)
    outcome = restored.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "rest.backup")])
    assert outcome.exit_code == 0, outcome.output
    with restored.app_context():
        after = backup.counts()
        db.engine.dispose()
    assert after == before and sum(after.values()) > 30


def test_a_restore_into_a_database_with_data_is_refused(app, runner, submitted, tmp_path):
    assert runner.invoke(args=["backup", "create", str(tmp_path / "x.backup")]).exit_code == 0
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "x.backup")])
    assert result.exit_code != 0 and "not empty" in result.output


def test_a_missing_backup_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "none.backup")])
    assert result.exit_code != 0 and "No backup at" in result.output


def test_a_migrated_but_empty_database_takes_a_restore(app, runner, submitted, tmp_path, empty_database,
                                                       smtp_server):
    """The usual way: create the new database with `flask db upgrade`, then restore into it."""
    assert runner.invoke(args=["backup", "create", str(tmp_path / "m.backup")]).exit_code == 0
    migrate(_restored_app(smtp_server[0].port, empty_database))
    restored = _restored_app(smtp_server[0].port, empty_database)
    outcome = restored.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "m.backup")])
    assert outcome.exit_code == 0, outcome.output
    with restored.app_context():
        db.engine.dispose()
