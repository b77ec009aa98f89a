from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import DEMO_LOGINS, DEMO_PASSWORD
from app.extensions import db


def test_demo_data_loads_once_and_again_changes_nothing(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User))
        rep = db.session.scalar(select(User).where(User.email == "rep@example.org"))
        assert rep.org_role == "representative" and rep.organization.verified
    second = runner.invoke(args=["demo", "load"])
    assert "0 new record(s)" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == count


def test_demo_data_is_refused_on_a_database_with_real_accounts(app, runner, make_user):
    make_user(email="real.person@ngo.org.pk")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "refusing" in result.output


def test_demo_data_is_refused_in_production(make_app):
    result = make_app(ENV_NAME="production").test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "development only" in result.output


def test_demo_logins_prints_the_address_with_the_port_and_every_demo_login(runner):
    result = runner.invoke(args=["demo", "logins", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5123/" in result.output
    assert f"password for all: {DEMO_PASSWORD}" in result.output
    for email, role in DEMO_LOGINS:
        assert f"{email:<26} {role}" in result.output
