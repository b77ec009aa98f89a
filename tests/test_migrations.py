"""The schema comes only from Alembic: the head matches the models, and the chain runs both ways."""
import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.search.models import managed_by_migrations_only
from tests.helpers import POSTGRES_URL


def test_the_migration_head_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, type_, _parents: not managed_by_migrations_only(name, type_)})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it: a new SQLite file, or a new database on the PostgreSQL server."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = make_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"sanad_migrations_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_downgrade_upgrade(make_app, empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "organizations", "audit_entries", "outbox_messages"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()


def test_search_text_stored_before_folding_is_folded_and_found(make_app, empty_database_url):
    """0013: a comment typed with the Arabic keyboard's yeh before search folded text is found by either yeh."""
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="0012_bilingual")
        db.session.execute(text("INSERT INTO search_documents (kind, object_id, declaration_id, title, body) "
                                "VALUES ('comment', 1, 1, '', 'Shelters for متاثرين')"))
        db.session.commit()
        upgrade()
        assert db.session.scalar(text("SELECT body FROM search_documents")) == "Shelters for متاثرین"
        if db.engine.dialect.name == "sqlite":  # the FTS5 table follows the row (its update trigger)
            assert db.session.scalar(text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"),
                                     {"q": '"متاثرین"'}) == 1
        db.session.remove()
        db.engine.dispose()


def test_versions_made_before_the_bilingual_migration_keep_their_hash(make_app, empty_database_url):
    """0012: a declaration and its signed version from before (the schema at 0011, a database holding them)
    come through the migration with the same canonical content and SHA-256, and the live text hashes the same."""
    from app.accounts.models import User
    from app.declarations import services
    from app.declarations.models import Declaration, Version
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.test_request_context():
        upgrade()
        coordinator = User(email="c@example.org", name="Coordinator", password_hash="x", platform_role="coordinator")
        db.session.add(coordinator)
        db.session.flush()
        declaration = services.create_declaration(coordinator, kind="declaration", title="Declaration", summary="",
                                                  moderation="post", visibility="members")
        services.add_section(coordinator, declaration, heading="Preamble", body="We **demand** action.")
        services.add_recommendation(coordinator, declaration, text="Open shelters.", pillar="protect",
                                    themes=["victims"], addressees=[], convention_articles="")
        version = services.snapshot(coordinator, declaration, "signon")
        before = (version.id, version.sha256, services.canonical_json(version.content))
        db.session.commit()
        db.session.remove()
        downgrade(revision="0011_alliance_settings")  # the database as it was before the migration, with them
        upgrade()
        version = db.session.get(Version, before[0])
        assert (version.sha256, services.canonical_json(version.content)) == before[1:]
        assert services.content_hash(version.content) == version.sha256
        assert services.content_hash(services.canonical_content(db.session.get(Declaration, version.declaration_id))) \
            == version.sha256
        db.session.remove()
        db.engine.dispose()
