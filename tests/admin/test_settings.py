"""The alliance's settings at /admin/settings: only admins see and change them, each save is audited with the
values before and after, a wrong value comes back with the text kept, the environment gives only the first
values, and a change shows everywhere the alliance is named or a default is used — except in dossiers already
submitted, which keep the name they were submitted with."""
import hashlib
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.errors import NotAllowed
from app.extensions import db
from app.institutions.models import Institution
from app.settings import services as alliance_settings
from app.time import local_date, utcnow
from tests.helpers import login, post_phase, sign, submit, the_submission

NEW = {"name_en": "Pakistan Alliance for Justice", "name_ur": "پاکستان اتحاد برائے انصاف", "short_name": "PAJ",
       "contact_email": "secretariat@paj.example.org", "consultation_days": "10", "signon_days": "5",
       "acknowledge_days": "7", "answer_days": "60"}


def save(client, **changes):
    return client.post("/admin/settings", data={**NEW, **changes})


@pytest.fixture
def admin_client(app, people):
    client = app.test_client()
    login(client, people["admin"].email)
    return client


def urdu(client):
    client.post("/language", data={"language": "ur", "next": "/"})
    return client


@pytest.mark.parametrize("role", ["member", "representative", "expert", "coordinator", "reviewer"])
def test_only_admins_may_see_or_change_the_alliance_settings(app, people, role):
    client = app.test_client()
    login(client, people[role].email)
    assert client.get("/admin/settings").status_code == 403
    assert save(client).status_code == 403
    with app.app_context():
        assert alliance_settings.last_saved() is None


def test_the_service_refuses_anyone_but_an_admin(app, people):
    with app.app_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        with pytest.raises(NotAllowed):
            alliance_settings.save(coordinator, name_en="Taken over")


def test_the_admin_navigation_leads_to_the_settings(admin_client):
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/settings"' in page and "Alliance settings" in page
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'href="/admin/settings" aria-current="page"', page)


def test_the_environment_gives_the_first_values_until_an_admin_saves(make_app, people):
    app = make_app(ALLIANCE_NAME="Alliance from the Environment", CONTACT_EMAIL="env@example.org")
    client = app.test_client()
    login(client, people["admin"].email)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="Alliance from the Environment"' in page and 'value="env@example.org"' in page
    assert "These are the first values, from the server's environment." in page
    assert "Alliance from the Environment" in client.get("/").get_data(as_text=True)

    assert save(client).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Pakistan Alliance for Justice" in page and "Alliance from the Environment" not in page
    assert "Last saved on" in client.get("/admin/settings").get_data(as_text=True)


def test_a_save_is_audited_with_the_values_before_and_after(app, admin_client, people):
    assert save(admin_client).status_code == 303
    assert save(admin_client, consultation_days="30").status_code == 303
    with app.app_context():
        first, second = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "settings_changed")
                                           .order_by(AuditEntry.id)).all()
        assert first.actor_id == people["admin"].id and first.target_type == "alliance_settings"
        assert first.details["before"]["name_en"] == "Civil Society Alliance against Organized Crime"
        assert first.details["after"]["name_en"] == "Pakistan Alliance for Justice"
        assert first.details["before"]["consultation_days"] == 21 and first.details["after"]["consultation_days"] == 10
        # Only what changed is listed.
        assert second.details == {"before": {"consultation_days": 10}, "after": {"consultation_days": 30}}
        assert alliance_settings.current().consultation_days == 30


def test_saving_the_same_values_again_writes_no_audit_entry(app, admin_client):
    save(admin_client)
    save(admin_client)
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "settings_changed")).all()) == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"name_en": "  "}, "Give the alliance's name in English."),
    ({"consultation_days": "0"}, "Number must be between 1 and 365."),
    ({"signon_days": "-1"}, "Number must be between 0 and 365."),
    ({"answer_days": "a year"}, "Not a valid integer value."),
    ({"contact_email": "secretariat at paj"}, "Enter a valid email address."),
    ({"short_name": "S" * 41}, "characters; the limit is 40."),
])
def test_a_wrong_value_is_refused_with_the_text_kept(app, admin_client, changes, message):
    response = save(admin_client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="پاکستان اتحاد برائے انصاف"' in page  # what was typed stays
    for name, value in changes.items():
        assert f'value="{value}"' in page or (name == "name_en" and 'value=""' in page)
    with app.app_context():
        assert alliance_settings.last_saved() is None  # nothing saved, nothing audited
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings_changed")) is None


def test_the_new_name_shows_in_the_header_and_footer_in_both_languages(app, admin_client, client):
    save(admin_client)
    page = client.get("/").get_data(as_text=True)
    assert page.count("Pakistan Alliance for Justice") >= 3  # header, home page heading, footer
    assert "Civil Society Alliance against Organized Crime" not in page
    assert '<span class="brand-short"><bdi>PAJ</bdi></span>' in page  # the header on small screens
    page = urdu(client).get("/").get_data(as_text=True)
    assert page.count("پاکستان اتحاد برائے انصاف") >= 3 and "Pakistan Alliance for Justice" not in page


def test_without_an_urdu_name_urdu_pages_show_the_english_one(admin_client, client):
    save(admin_client, name_ur="")
    assert "Pakistan Alliance for Justice" in urdu(client).get("/").get_data(as_text=True)


def test_the_name_is_shown_as_text_never_as_markup(admin_client, client):
    save(admin_client, name_en="<script>alert(1)</script> Alliance")
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Alliance" in page


def test_the_settings_are_read_once_per_request(app, admin_client, client):
    save(admin_client)
    reads = []
    with app.app_context():
        engine = db.engine

    def count(_conn, _cursor, statement, *_args):
        if "alliance_settings" in statement:
            reads.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.count("Pakistan Alliance for Justice") >= 3 and len(reads) == 1


def test_mails_name_the_alliance_in_their_recipients_language(app, admin_client, client, people, make_declaration,
                                                               mailbox):
    save(admin_client)
    with app.app_context():
        db.session.get(User, people["expert"].id).language = "ur"
        db.session.commit()
    d = make_declaration("drafting")
    login(client, people["coordinator"].email)
    post_phase(client, d.id, {"target": "consultation", "deadline": "2099-05-01T17:00"})
    [english] = mailbox.wait_for(people["member"].email)
    assert "You get this because you are a member of Pakistan Alliance for Justice." in english["body"]
    [in_urdu] = mailbox.wait_for(people["expert"].email)
    assert "پاکستان اتحاد برائے انصاف" in in_urdu["body"] and "Pakistan Alliance for Justice" not in in_urdu["body"]


def test_a_submitted_dossier_keeps_the_name_it_was_submitted_with(app, admin_client, client, people,
                                                                  make_declaration):
    save(admin_client)
    d = make_declaration("signon", visibility="public")
    login(client, people["representative"].email)
    sign(client, d.id)
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert submit(client, d.id, [people["reviewer"].institution_id]).status_code == 303
    submission = the_submission(app, d.id)
    assert submission.content["alliance"] == "Pakistan Alliance for Justice"
    assert submission.content["alliance_ur"] == "پاکستان اتحاد برائے انصاف"

    save(admin_client, name_en="Renamed Alliance", name_ur="نیا نام اتحاد")
    cover = r'<p class="kicker" dir="auto">([^<]*)</p>'
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert re.search(cover, page).group(1) == "Pakistan Alliance for Justice"
    assert "Renamed Alliance" in page  # the site's header is today's name
    page = urdu(client).get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert re.search(cover, page).group(1) == "پاکستان اتحاد برائے انصاف"
    stored = json.loads(client.get(f"/submissions/{submission.id}/dossier.json").get_data(as_text=True))
    assert stored["dossier"]["alliance"] == "Pakistan Alliance for Justice"
    assert hashlib.sha256(json.dumps(stored["dossier"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode("utf-8")).hexdigest() == submission.sha256


@pytest.mark.parametrize(("target", "phase", "days"), [("consultation", "drafting", "10"),
                                                       ("signon", "revision", "5")])
def test_the_default_lengths_prefill_the_phase_change_page(app, admin_client, client, people, make_declaration,
                                                           target, phase, days):
    save(admin_client)
    d = make_declaration(phase)
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/phase/{target}").get_data(as_text=True)
    with app.app_context():
        expected = (local_date(utcnow()) + timedelta(days=int(days))).isoformat() + "T23:59"
    assert f'value="{expected}"' in page
    assert f"The date suggested is {days} days from today" in page


def test_no_signon_deadline_is_suggested_when_its_length_is_zero(admin_client, client, people, make_declaration):
    save(admin_client, signon_days="0")
    d = make_declaration("revision")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/phase/signon").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="deadline"[^>]*value=""', page)
    assert "The date suggested" not in page


def test_the_default_recipients_are_ticked_on_the_submit_page(app, admin_client, client, people, make_declaration):
    with app.app_context():
        always = Institution(name="National Commission for Human Rights", acronym="NCHR")
        never = Institution(name="Anti-Narcotics Force", acronym="ANF")
        db.session.add_all([always, never])
        db.session.commit()
        always_id, never_id = always.id, never.id
    save(admin_client, default_recipients=[str(always_id)])
    d = make_declaration("signon")
    login(client, people["coordinator"].email)
    page = client.get(f"/declarations/{d.id}/submit").get_data(as_text=True)

    def ticked(institution_id):
        return re.search(rf'<input checked[^>]*value="{institution_id}"', page) is not None
    assert ticked(always_id) and ticked(people["reviewer"].institution_id)  # the default and the addressee
    assert not ticked(never_id)
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="default_recipients"[^>]*value="{always_id}"', page)


def test_who_saved_last_is_shown_as_text_in_its_own_run(admin_client, people):
    save(admin_client)
    with admin_client.application.app_context():
        db.session.get(User, people["admin"].id).name = "<i>Sana</i> Admin"
        db.session.commit()
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert "by <bdi>&lt;i&gt;Sana&lt;/i&gt; Admin</bdi>." in page
