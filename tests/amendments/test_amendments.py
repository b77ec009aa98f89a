from sqlalchemy import select

from app.amendments.models import Amendment
from app.declarations.models import Recommendation, RecommendationRevision, Section
from app.extensions import db
from tests.helpers import login, post_phase


def propose(client, d, kind="recommendation", index=1, text="Open shelters in every district.", rationale="Closer."):
    items = d.recommendations if kind == "recommendation" else d.sections
    return client.post(f"/declarations/{d.id}/{kind}/{items[index]}/amend", data={"text": text, "rationale": rationale})


def _amendment(app):
    with app.app_context():
        return db.session.scalar(select(Amendment).order_by(Amendment.id.desc()))


def _close(client, d):
    return post_phase(client, d.id, {"target": "revision"})


def test_a_member_proposes_and_others_discuss(app, client, people, consultation):
    login(client, people["member"].email)
    response = propose(client, consultation)
    assert response.status_code == 302
    amendment = _amendment(app)
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "<del>province</del>" in page and "<ins>district</ins>" in page and "Closer." in page
    client.post("/logout")
    login(client, people["representative"].email)
    assert client.post(f"/amendments/{amendment.id}", data={"body": "We agree with this change."}).status_code == 302
    assert "We agree with this change." in client.get(f"/amendments/{amendment.id}").get_data(as_text=True)


def test_a_proposal_that_changes_nothing_is_refused(client, people, consultation):
    login(client, people["member"].email)
    response = propose(client, consultation, text="Open shelters in every province.")
    assert response.status_code == 422 and "same as the current text" in response.get_data(as_text=True)


def test_accepting_makes_a_revision_credited_to_the_proposer(app, client, people, consultation, mailbox):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    response = client.post(f"/amendments/{amendment.id}/accept")
    assert "revision phase" in client.get(response.headers["Location"]).get_data(as_text=True)
    _close(client, consultation)
    assert client.post(f"/amendments/{amendment.id}/accept").status_code == 302
    with app.app_context():
        rec = db.session.get(Recommendation, consultation.recommendations[1])
        assert rec.current.text_source == "Open shelters in every district."
        assert rec.current.author_id == people["member"].id and rec.current.amendment_id == amendment.id
        assert rec.current.pillar == "protect"
        assert db.session.get(Amendment, amendment.id).status == "accepted"
    assert any("accepted" in m["subject"] for m in mailbox.to(people["member"].email))


def test_a_changed_target_asks_for_a_manual_merge(app, client, people, consultation):
    login(client, people["member"].email)
    propose(client, consultation, kind="section", index=1, text="Trafficking is rising in Sindh.")
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    _close(client, consultation)
    section_id = consultation.sections[1]
    with app.app_context():
        base = db.session.get(Section, section_id).current_revision_id
    client.post(f"/declarations/{consultation.id}/section/{section_id}/edit",
                data={"base_revision_id": base, "heading": "Context", "body": "Trafficking is rising, say reports."})
    response = client.post(f"/amendments/{amendment.id}/accept")
    assert response.headers["Location"].endswith(f"/amendments/{amendment.id}/merge")
    merge = client.get(f"/amendments/{amendment.id}/merge")
    assert merge.status_code == 409 and "say reports" in merge.get_data(as_text=True)
    with app.app_context():
        current = db.session.get(Section, section_id).current_revision_id
    client.post(f"/amendments/{amendment.id}/merge",
                data={"base_revision_id": current, "text": "Trafficking is rising in Sindh, say reports."})
    with app.app_context():
        section = db.session.get(Section, section_id)
        assert section.current.body_source == "Trafficking is rising in Sindh, say reports."
        assert section.current.author_id == people["member"].id


def test_rejecting_needs_a_reason_which_the_proposer_sees(app, client, people, consultation, mailbox):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post(f"/amendments/{amendment.id}/reject", data={"reason": "Too early"})
    assert _amendment(app).status == "pending"  # decided only once the consultation is closed
    _close(client, consultation)
    client.post(f"/amendments/{amendment.id}/reject", data={"reason": ""})
    assert _amendment(app).status == "pending"
    client.post(f"/amendments/{amendment.id}/reject", data={"reason": "Districts are too many to fund."})
    assert _amendment(app).status == "rejected"
    assert any("Districts are too many" in m["body"] for m in mailbox.to(people["member"].email))
    response = client.post(f"/amendments/{amendment.id}/accept")  # decided already: nothing changes
    assert "already been decided" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(RecommendationRevision).where(
            RecommendationRevision.amendment_id == amendment.id)) is None


def test_members_cannot_decide_and_proposals_close_with_the_consultation(app, client, people, consultation):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    assert client.post(f"/amendments/{amendment.id}/accept").status_code == 403
    client.post("/logout")
    login(client, people["coordinator"].email)
    _close(client, consultation)
    client.post("/logout")
    login(client, people["member"].email)
    response = propose(client, consultation, text="Another idea")
    assert response.status_code == 422 and "only during consultation" in response.get_data(as_text=True)


def test_a_coordinator_takes_down_an_abusive_amendment_and_the_proposer_is_told(app, client, people, consultation,
                                                                               mailbox):
    login(client, people["member"].email)
    propose(client, consultation, text="Abusive words", rationale="Abuse")
    amendment = _amendment(app)
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post(f"/amendments/{amendment.id}/hide", data={"reason": ""})
    assert _amendment(app).hidden_at is None  # a reason is needed
    client.post(f"/amendments/{amendment.id}/hide", data={"reason": "Insults a survivor."})
    assert _amendment(app).hidden_at is not None
    assert "taken down" in client.get(f"/declarations/{consultation.id}/amendments").get_data(as_text=True)
    assert any("Insults a survivor." in m["body"] for m in mailbox.to(people["member"].email))
    client.post("/logout")
    login(client, people["representative"].email)
    assert client.get(f"/amendments/{amendment.id}").status_code == 404
    assert "Abuse" not in client.get(f"/declarations/{consultation.id}/amendments").get_data(as_text=True)


def _edit_recommendation(app, people, recommendation_id, text):
    """The coordinator moves the text on after a proposal (in the revision phase, where editing is allowed)."""
    from app.accounts.models import User
    from app.declarations import services

    with app.app_context():
        coordinator, rec = db.session.get(User, people["coordinator"].id), db.session.get(Recommendation,
                                                                                        recommendation_id)
        current = rec.current
        services.edit_recommendation(coordinator, rec, base_revision_id=rec.current_revision_id, text=text,
                                     pillar=current.pillar, themes=current.themes, addressees=current.addressees,
                                     convention_articles=current.convention_articles)
        db.session.commit()


def test_an_amendment_names_and_links_the_recommendation_it_amends_on_every_page(app, client, people,
                                                                                 consultation):
    login(client, people["member"].email)
    propose(client, consultation)
    amendment = _amendment(app)
    link = (f'<a href="/declarations/{consultation.id}#r{consultation.recommendations[1]}">'
            "To recommendation 2, <bdi dir=\"ltr\">“Open shelters in every province.”</bdi></a>")
    client.post("/logout")
    login(client, people["coordinator"].email)
    _close(client, consultation)
    for url in (f"/amendments/{amendment.id}", f"/declarations/{consultation.id}/amendments"):
        page = client.get(url).get_data(as_text=True)
        assert link in page, url
        assert "To a recommendation" not in page
    assert "Accept" in client.get(f"/amendments/{amendment.id}").get_data(as_text=True)  # the decision page
    reading = client.get(f"/declarations/{consultation.id}").get_data(as_text=True)
    assert f'id="r{consultation.recommendations[1]}" value="2"' in reading  # the number the reading page shows


def test_an_amendment_to_a_section_names_its_place_and_heading(app, client, people, consultation):
    login(client, people["member"].email)
    propose(client, consultation, kind="section", index=1, text="Trafficking is rising fast.")
    amendment = _amendment(app)
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert (f'<a href="/declarations/{consultation.id}#s{consultation.sections[1]}">'
            "To section 2, <bdi dir=\"ltr\">“Context”</bdi></a>") in page
    assert "<ins> fast</ins>" in page


def test_the_proposed_change_is_shown_against_the_text_it_was_written_on_and_against_todays_text(
        app, client, people, consultation):
    login(client, people["member"].email)
    propose(client, consultation)  # "Open shelters in every province." → "… every district."
    amendment = _amendment(app)
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Against the text it was written on" in page and "Against today's text" not in page
    client.post("/logout")
    login(client, people["coordinator"].email)
    _close(client, consultation)
    _edit_recommendation(app, people, consultation.recommendations[1], "Open safe shelters in every province.")
    for url in (f"/amendments/{amendment.id}", f"/declarations/{consultation.id}/amendments"):
        page = client.get(url).get_data(as_text=True)
        written_on, today = page.split("Against today's text")
        assert "<del>province</del>" in written_on and "<ins>district</ins>" in written_on
        assert "<del> safe</del>" in today and "<ins>district</ins>" in today
        assert "The text has changed since this amendment was proposed" in today
    merge = client.get(f"/amendments/{amendment.id}/merge").get_data(as_text=True)
    assert "To recommendation 2" in merge and "The proposal against today's text" in merge


def test_the_amendments_list_is_paged(app, client, people, consultation):
    login(client, people["member"].email)
    for n in range(21):
        propose(client, consultation, text=f"Open {n} shelters in every province.")
    page = client.get(f"/declarations/{consultation.id}/amendments").get_data(as_text=True)
    assert page.count("Amendment by") == 20 and "Page 1 of 2" in page
    assert client.get(f"/declarations/{consultation.id}/amendments?page=2").get_data(as_text=True).count(
        "Amendment by") == 1
