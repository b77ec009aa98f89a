"""Login sessions: an idle timeout besides the 12-hour limit (30 minutes for admins, coordinators and
reviewers, 8 hours for others), the list of one's sessions, and logging out everywhere."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.accounts.models import LoginSession
from app.extensions import db
from app.time import utcnow
from tests.helpers import PASSWORD, login


def _idle(app, email, minutes):
    """Make every live session of this person look unused for this many minutes."""
    from app.accounts.models import User
    with app.app_context():
        user_id = db.session.query(User.id).filter(User.email == email).scalar()
        db.session.execute(update(LoginSession).where(LoginSession.user_id == user_id)
                           .values(last_seen_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()


@pytest.mark.parametrize("role, minutes, still_in", [
    ("coordinator", 29, True), ("coordinator", 31, False), ("reviewer", 31, False), ("admin", 31, False),
    ("member", 31, True), ("member", 8 * 60 - 1, True), ("member", 8 * 60 + 1, False),
])
def test_an_idle_session_ends_sooner_for_the_people_who_hold_power(app, client, people, role, minutes, still_in):
    assert login(client, people[role].email).status_code == 302
    _idle(app, people[role].email, minutes)
    response = client.get("/account")
    assert (response.status_code == 200) == still_in
    if not still_in:
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_using_the_site_keeps_the_session_alive(app, client, people):
    login(client, people["coordinator"].email)
    _idle(app, people["coordinator"].email, 20)
    assert client.get("/account").status_code == 200  # seen now
    with app.app_context():
        seen = db.session.query(LoginSession.last_seen_at).filter(LoginSession.ended_at.is_(None)).scalar()
    assert seen > utcnow() - timedelta(minutes=1)


def test_the_account_page_lists_sessions_and_logs_out_everywhere(app, people):
    laptop, phone = app.test_client(), app.test_client()
    for client, agent in ((laptop, "Laptop browser"), (phone, "Phone browser")):
        client.post("/login", data={"email": people["member"].email, "password": PASSWORD},
                    headers={"User-Agent": agent})
    page = laptop.get("/account").get_data(as_text=True)
    assert "Laptop browser" in page and "Phone browser" in page and "this device" in page
    response = laptop.post("/account/logout-everywhere")
    assert response.status_code == 302
    assert phone.get("/account").status_code == 302  # the other device is logged out too
    assert laptop.get("/account").status_code == 302
