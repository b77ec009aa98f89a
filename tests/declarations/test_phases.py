import hashlib
import json
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.declarations.models import Declaration, Section, Version
from app.extensions import db
from app.time import utcnow
from tests.helpers import login, post_phase


def _phase(client, declaration_id, target, deadline=None):
    data = {"target": target}
    if deadline:
        data["deadline"] = deadline.strftime("%Y-%m-%dT%H:%M")
    return post_phase(client, declaration_id, data)


def test_each_transition_records_a_version_with_the_hash_of_its_canonical_json(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    assert _phase(client, d.id, "consultation", utcnow() + timedelta(days=3)).status_code == 302
    assert _phase(client, d.id, "revision").status_code == 302
    assert _phase(client, d.id, "signon").status_code == 302
    with app.app_context():
        declaration = db.session.get(Declaration, d.id)
        assert declaration.phase == "signon"
        versions = declaration.versions
        assert [(v.number, v.phase) for v in versions] == [(1, "consultation"), (2, "revision"), (3, "signon")]
        canonical = json.dumps(versions[0].content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert versions[0].sha256 == hashlib.sha256(canonical.encode()).hexdigest()
        assert versions[0].content["recommendations"][1]["text"] == "Open shelters in every province."
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("phase_%"))
                                   .order_by(AuditEntry.id)).all()
    assert actions == ["phase_open_consultation", "phase_close_consultation", "phase_open_signon"]


def test_consultation_needs_a_deadline_in_the_future(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    _phase(client, d.id, "consultation", utcnow() - timedelta(days=1))
    with app.app_context():
        assert db.session.get(Declaration, d.id).phase == "drafting"
        assert db.session.scalar(select(Version).where(Version.declaration_id == d.id)) is None


def test_a_transition_out_of_order_is_refused_and_changes_nothing(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    response = _phase(client, d.id, "signon")
    assert response.status_code == 302
    assert "cannot move to" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Declaration, d.id).phase == "drafting"


def test_only_coordinators_change_phases(client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["member"].email)
    assert _phase(client, d.id, "consultation", utcnow() + timedelta(days=3)).status_code == 404


def test_after_the_deadline_commenting_is_closed_with_a_clear_message(app, client, people, consultation):
    with app.app_context():
        db.session.get(Declaration, consultation.id).consultation_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    login(client, people["member"].email)
    url = f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments"
    assert "The consultation closed on" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"body": "Too late?"})
    assert response.status_code == 422 and "The consultation closed on" in response.get_data(as_text=True)


def test_the_diff_between_versions_shows_what_changed(app, client, people, make_declaration):
    d = make_declaration(phase="revision")
    login(client, people["coordinator"].email)
    section_id = d.sections[1]
    with app.app_context():
        base = db.session.get(Section, section_id).current_revision_id
    client.post(f"/declarations/{d.id}/section/{section_id}/edit",
                data={"base_revision_id": base, "heading": "Context", "body": "Trafficking is rising fast."})
    client.post(f"/declarations/{d.id}/recommendation/new",
                data={"text": "A brand new idea.", "pillar": "promote", "themes": ["corruption"]})
    _phase(client, d.id, "signon")
    page = client.get(f"/declarations/{d.id}/compare?from=2&to=3").get_data(as_text=True)
    assert "<ins> fast</ins>" in page or "<ins>fast</ins>" in page
    assert "A brand new idea." in page and "added" in page
    assert "Preamble" not in page.split("Changes from version")[1]  # unchanged sections are not listed
    history = client.get(f"/declarations/{d.id}/history").get_data(as_text=True)
    with app.app_context():
        for version in db.session.scalars(select(Version).where(Version.declaration_id == d.id)):
            assert version.sha256 in history


def test_compare_with_unknown_versions_gives_404(client, people, consultation):
    login(client, people["member"].email)
    assert client.get(f"/declarations/{consultation.id}/compare?from=1&to=9").status_code == 404
    assert client.get(f"/declarations/{consultation.id}/compare?from=x").status_code == 404


def test_a_typed_deadline_is_local_time_and_stored_as_utc(app, client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    post_phase(client, d.id, {"target": "consultation", "deadline": "2099-03-01T17:00"})
    with app.app_context():  # Asia/Karachi is UTC+5
        assert db.session.get(Declaration, d.id).consultation_deadline.isoformat() == "2099-03-01T12:00:00"


def test_members_cannot_change_the_phase_of_a_consultation(app, client, people, consultation):
    login(client, people["member"].email)
    assert _phase(client, consultation.id, "revision").status_code == 403
    with app.app_context():
        assert db.session.get(Declaration, consultation.id).phase == "consultation"


def test_the_title_is_frozen_outside_drafting_and_revision(app, client, people, consultation):
    login(client, people["coordinator"].email)
    response = client.post(f"/declarations/{consultation.id}/settings",
                           data={"edit_count": "0", "kind": "declaration", "title": "A new title",
                                 "summary": "A summary.",
                                 "moderation": "pre", "visibility": "members"})
    assert response.status_code == 422
    assert "only be changed while drafting or in revision" in response.get_data(as_text=True)
    assert 'value="A new title"' in response.get_data(as_text=True)
    response = client.post(f"/declarations/{consultation.id}/settings",
                           data={"edit_count": "0", "kind": "declaration", "title": "Declaration on trafficking",
                                 "summary": "A summary.", "moderation": "pre", "visibility": "members"})
    assert response.status_code == 302  # moderation and visibility may change at any time
    with app.app_context():
        declaration = db.session.get(Declaration, consultation.id)
        assert declaration.title == "Declaration on trafficking" and declaration.moderation == "pre"
