"""The home page says what needs each person, with counts that link to the lists, and costs the same
number of queries however much there is."""
from datetime import timedelta

from app.accounts.models import User
from app.amendments import services as amendments
from app.comments import services as comments
from app.comments.models import Comment
from app.declarations import services as declaration_services
from app.declarations.models import Declaration, Section
from app.extensions import db
from app.responses import services as responses
from app.submissions.models import Submission
from app.time import utcnow
from tests.helpers import QueryCounter, login, make_bilingual, sign, without_bdi


def _home(client):
    """The home page's HTML without the isolating <bdi> around names, to read its sentences."""
    response = client.get("/")
    assert response.status_code == 200
    return without_bdi(response)


def _queries(app, client) -> int:
    with QueryCounter(app) as counter:
        _home(client)
    return counter.count


def _member_activity(app, people, declaration_id, n):
    """The member comments; the coordinator replies and hides one; the member proposes an amendment that
    the coordinator rejects."""
    with app.app_context():
        member, coordinator = db.session.get(User, people["member"].id), db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, declaration_id)
        section = db.session.scalars(db.select(Section).where(Section.declaration_id == declaration_id)).first()
        first = comments.add_comment(member, declaration, body=f"Shelters need funding ({n}).", section=section)
        db.session.flush()
        comments.add_comment(coordinator, declaration, body=f"Agreed, see annex {n}.", section=section, parent=first)
        second = comments.add_comment(member, declaration, body=f"Name of a village {n}.", section=section)
        db.session.flush()
        comments.moderate(coordinator, second, "hide", "It could identify a survivor.")
        amendment = amendments.propose(member, declaration, section, text=f"New text {n}.", rationale="Clearer.")
        db.session.flush()
        db.session.commit()
        return amendment.id


def test_a_member_sees_open_consultations_replies_and_decisions(app, client, people, make_declaration):
    d = make_declaration("consultation")
    _member_activity(app, people, d.id, 1)
    login(client, people["member"].email)
    page = _home(client)
    assert "Consultations open to you" in page and f'href="/declarations/{d.id}"' in page
    assert "comments until" in page
    assert f"{people['coordinator'].name} replied to your comment" in page
    assert "A moderator hid your comment" in page and "It could identify a survivor." in page
    assert "1 of your amendments waits for a decision." in page
    assert 'href="/declarations?phase=consultation"' in page


def test_a_members_home_costs_the_same_queries_with_more_of_everything(app, client, people, make_declaration):
    d = make_declaration("consultation")
    _member_activity(app, people, d.id, 1)
    login(client, people["member"].email)
    few = _queries(app, client)
    for n in range(2, 5):
        other = make_declaration("consultation", title=f"Declaration {n}")
        _member_activity(app, people, other.id, n)
    make_declaration("signon", title="In sign-on")
    assert _queries(app, client) == few


def test_a_representative_sees_what_waits_for_their_signature_until_when(app, client, people, make_declaration):
    d = make_declaration("signon")
    with app.app_context():
        db.session.get(Declaration, d.id).signon_deadline = utcnow() + timedelta(days=5)
        db.session.commit()
    login(client, people["representative"].email)
    page = _home(client)
    assert "Waiting for your signature" in page and f'href="/declarations/{d.id}/sign"' in page
    assert "until" in page and "version 3" in page
    few = _queries(app, client)
    for n in range(3):
        make_declaration("signon", title=f"Also in sign-on {n}")
    assert _queries(app, client) == few
    assert sign(client, d.id).status_code == 303
    assert f'href="/declarations/{d.id}/sign"' not in _home(client)


def test_a_coordinators_home_counts_the_queues_and_links_to_them(app, client, people, make_declaration):
    d = make_declaration("consultation")
    _member_activity(app, people, d.id, 1)
    signon = make_declaration("signon", title="Sign-on declaration")
    with app.app_context():  # a comment held for pre-moderation, and a flagged one
        member = db.session.get(User, people["member"].id)
        declaration = db.session.get(Declaration, d.id)
        declaration.moderation = "pre"
        section = db.session.scalars(db.select(Section).where(Section.declaration_id == d.id)).first()
        comments.add_comment(member, declaration, body="Held for approval.", section=section)
        published = db.session.scalars(db.select(Comment).where(Comment.status == "published")).first()
        comments.flag_comment(db.session.get(User, people["representative"].id), published, "Identifies someone.")
        db.session.commit()
    login(client, people["representative"].email)
    sign(client, signon.id)
    client.post("/logout")
    login(client, people["coordinator"].email)
    page = _home(client)
    assert "Waiting for the secretariat" in page
    assert '<strong>2</strong>' in page and "in the moderation queue" in page and 'href="/moderation"' in page
    assert f'href="/declarations/{d.id}/amendments?status=pending"' in page
    assert "Sign-on declaration" in page and "1 of " in page
    few = _queries(app, client)
    for n in range(3):
        other = make_declaration("consultation", title=f"Another {n}")
        _member_activity(app, people, other.id, n + 10)
        make_declaration("signon", title=f"Also signing {n}")
    assert _queries(app, client) == few
    # The count links to the filtered list.
    listed = client.get(f"/declarations/{d.id}/amendments?status=pending").get_data(as_text=True)
    assert "Amendment by" in listed


def test_a_reviewer_sees_what_to_acknowledge_and_answer_and_the_count_falls_as_they_answer(app, client, people,
                                                                                          submitted):
    declaration, submission = submitted
    login(client, people["reviewer"].email)
    page = _home(client)
    assert "Receipt not yet acknowledged." in page
    assert "<strong>3</strong>" in page and "of 3 recommendations have no published answer" in page
    assert f'href="/submissions/{submission.id}/respond"' in page
    few = _queries(app, client)
    with app.app_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        sub = db.session.get(Submission, submission.id)
        responses.acknowledge(reviewer, sub, sub.declaration)
        responses.save_answer(reviewer, sub, declaration.recommendations[0], position="supported",
                              explanation="We agree.", lead_institution_id=None,
                              target_date=utcnow().date() + timedelta(days=10))
        responses.publish(reviewer, sub, sub.declaration)
        db.session.commit()
    page = _home(client)
    assert "Receipt not yet acknowledged." not in page
    assert "of 3 recommendations have no published answer" in page and "<strong>2</strong>" in page
    assert "Implementation updates due" in page and "Recommendation 1" in page
    assert _queries(app, client) == few  # the updates due are listed with their submission, in the same query


def test_a_visitor_sees_public_declarations_and_the_latest_answers(app, client, people, make_declaration):
    public = make_declaration("consultation", visibility="public", title="Public consultation")
    make_declaration("consultation", visibility="members", title="Members only consultation")
    page = _home(client)
    assert "Public consultation" in page and "Members only consultation" not in page
    assert "Open for signature" in page and "No answer has been published yet." in page
    assert f'href="/declarations/{public.id}"' in page


def test_a_visitor_finds_a_submitted_public_dossier_from_the_home_page(client, submitted):
    _declaration, submission = submitted
    page = _home(client)
    assert "Submitted to government" in page and f'href="/submissions/{submission.id}"' in page
    assert client.get(f"/submissions/{submission.id}").status_code == 200


def test_a_coordinator_finds_the_texts_whose_next_step_is_theirs(client, people, make_declaration):
    d = make_declaration("revision", title="Text in revision")
    login(client, people["coordinator"].email)
    page = _home(client)
    assert "Texts being drafted or revised" in page and f'href="/declarations/{d.id}/edit"' in page


def test_a_reply_later_in_a_thread_one_replied_in_counts_as_a_reply_to_them(app, client, people, make_declaration):
    d = make_declaration("consultation")
    with app.app_context():
        member, expert = db.session.get(User, people["member"].id), db.session.get(User, people["expert"].id)
        coordinator = db.session.get(User, people["coordinator"].id)
        declaration = db.session.get(Declaration, d.id)
        section = db.session.scalars(db.select(Section).where(Section.declaration_id == d.id)).first()
        top = comments.add_comment(expert, declaration, body="Who funds the shelters?", section=section)
        db.session.flush()
        comments.add_comment(member, declaration, body="The provinces do.", section=section, parent=top)
        db.session.flush()
        for later in db.session.scalars(db.select(Comment).where(Comment.author_id == member.id)):
            later.created_at -= timedelta(minutes=5)  # the member's reply came first
        comments.add_comment(coordinator, declaration, body="Only two of them.", section=section, parent=top)
        db.session.commit()
    login(client, people["member"].email)
    page = _home(client)
    assert f"{people['coordinator'].name} replied to your comment" in page
    assert f"{people['expert'].name} replied to your comment" not in page  # that came before the member's


def test_a_visitor_sees_each_institutions_newest_answer_once(app, client, people, submitted):
    declaration, submission = submitted
    with app.app_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        sub = db.session.get(Submission, submission.id)
        responses.acknowledge(reviewer, sub, sub.declaration)
        for explanation in ("First answer.", "Revised answer."):
            responses.save_answer(reviewer, sub, declaration.recommendations[0], position="supported",
                                  explanation=explanation, lead_institution_id=reviewer.institution_id,
                                  target_date=None)
            responses.publish(reviewer, sub, sub.declaration)
        db.session.commit()
    page = _home(client)
    assert page.count(f'href="/recommendations/{declaration.recommendations[0]}"') == 1
    assert f'href="/submissions/{submission.id}"' in page


def test_a_translator_sees_how_many_parts_wait_for_their_translation(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"), translate=False, phase="drafting")
    login(client, people["member"].email)  # the translator make_bilingual names
    page = _home(client)
    assert "Waiting for your translation" in page
    assert f'<a href="/declarations/{d.id}/languages">6 parts wait for your translation</a>' in page
    few = _queries(app, client)
    for n in range(3):
        make_bilingual(app, people, make_declaration("drafting", title=f"Draft {n}"), translate=False,
                       phase="drafting")
    assert _queries(app, client) == few
    assert _home(client).count("6 parts wait for your translation") == 4
    with app.app_context():  # translated: the Urdu of one section; the English of another changes after
        member, coordinator = db.session.get(User, people["member"].id), db.session.get(User, people["coordinator"].id)
        first, second = (db.session.get(Section, section_id) for section_id in d.sections)
        for section in (first, second):
            declaration_services.edit_section(member, section, base_revision_id=0, heading="پس منظر",
                                              body="انسانی اسمگلنگ بڑھ رہی ہے۔", language="ur")
        declaration_services.edit_section(coordinator, second, base_revision_id=second.current_revision_id,
                                          heading="Context", body="Trafficking is rising fast.")
        db.session.commit()
    assert f'<a href="/declarations/{d.id}/languages">5 parts wait for your translation</a>' in _home(client)
    client.post("/logout")
    login(client, people["representative"].email)  # no translator: nothing of the kind
    assert "Waiting for your translation" not in _home(client)
