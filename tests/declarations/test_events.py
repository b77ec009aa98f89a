from sqlalchemy import select

from app.declarations.models import ConsultationEvent
from app.extensions import db
from tests.helpers import login

EVENT = {"title": "Provincial consultation, Quetta", "held_on": "2026-10-12", "venue": "Quetta Serena",
         "online": "y", "organizers": "BMSI", "participants_in_person": "40", "participants_online": "28",
         "women": "12", "men": "50", "other_gender": "", "notes": "Strong focus on migrants."}


def test_a_coordinator_records_a_consultation_event(app, client, people, consultation):
    login(client, people["coordinator"].email)
    assert client.post(f"/declarations/{consultation.id}/events/new", data=EVENT).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(ConsultationEvent))
        assert (event.participants, event.women, event.men, event.other_gender) == (68, 12, 50, None)
    page = client.get(f"/declarations/{consultation.id}/events").get_data(as_text=True)
    assert "68 participants: 40 in person, 28 online." in page and "Women: 12, men: 50" in page


def test_gender_counts_cannot_exceed_the_participants(app, client, people, consultation):
    login(client, people["coordinator"].email)
    response = client.post(f"/declarations/{consultation.id}/events/new", data={**EVENT, "women": "60"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "add up to more than the participants" in body and "Strong focus on migrants." in body
    with app.app_context():
        assert db.session.scalar(select(ConsultationEvent)) is None


def test_a_negative_count_is_refused(client, people, consultation):
    login(client, people["coordinator"].email)
    assert client.post(f"/declarations/{consultation.id}/events/new",
                       data={**EVENT, "participants_online": "-3"}).status_code == 422


def test_members_see_events_but_cannot_record_them(client, people, consultation):
    login(client, people["member"].email)
    assert client.get(f"/declarations/{consultation.id}/events").status_code == 200
    assert client.post(f"/declarations/{consultation.id}/events/new", data=EVENT).status_code == 403
