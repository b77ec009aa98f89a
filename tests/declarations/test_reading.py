from app.accounts.models import User
from app.comments.services import add_comment
from app.declarations.models import Declaration, Section
from app.extensions import db
from tests.helpers import QueryCounter, login


def test_a_public_declaration_in_consultation_is_readable_by_visitors(client, make_declaration):
    d = make_declaration(visibility="public")
    page = client.get(f"/declarations/{d.id}").get_data(as_text=True)
    assert "Declaration on trafficking" in page and "Open shelters in every province." in page
    assert f'id="s{d.sections[0]}"' in page and f'id="r{d.recommendations[1]}"' in page  # stable anchors


def test_a_members_only_declaration_sends_visitors_to_log_in(client, consultation):
    response = client.get(f"/declarations/{consultation.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_members_only_declaration_is_not_shown_to_government_reviewers(client, people, consultation):
    login(client, people["reviewer"].email)
    assert client.get(f"/declarations/{consultation.id}").status_code == 404
    assert "Declaration on trafficking" not in client.get("/declarations").get_data(as_text=True)


def test_a_draft_is_seen_only_by_its_drafters(client, people, make_declaration):
    d = make_declaration(phase="drafting", visibility="public")
    assert client.get(f"/declarations/{d.id}").status_code == 404
    login(client, people["member"].email)
    assert client.get(f"/declarations/{d.id}").status_code == 404
    client.post("/logout")
    login(client, people["coordinator"].email)
    assert client.get(f"/declarations/{d.id}").status_code == 200


def test_recommendations_filter_by_pillar_and_theme_without_javascript(client, people, consultation):
    login(client, people["member"].email)
    page = client.get(f"/declarations/{consultation.id}?pillar=protect").get_data(as_text=True)
    assert "Open shelters in every province." in page and "Create specialised prosecution units." not in page
    assert "1 of 3 recommendations" in page
    page = client.get(f"/declarations/{consultation.id}?theme=trafficking").get_data(as_text=True)
    assert "Create specialised prosecution units." in page and "Publish asset declarations." not in page
    # Numbers stay those of the whole list when filtered.
    assert 'value="2"' in client.get(f"/declarations/{consultation.id}?pillar=protect").get_data(as_text=True)


def test_comment_counts_per_item(app, client, people, consultation):
    with app.app_context():
        member = db.session.get(User, people["member"].id)
        declaration = db.session.get(Declaration, consultation.id)
        section = db.session.get(Section, consultation.sections[0])
        for n in range(3):
            add_comment(member, declaration, body=f"Comment {n}", section=section)
        db.session.commit()
    login(client, people["member"].email)
    assert "3 comments" in client.get(f"/declarations/{consultation.id}").get_data(as_text=True)


def test_the_reading_page_query_count_does_not_grow_with_size(app, client, people, make_declaration):
    small = make_declaration(title="Small")
    large = make_declaration(title="Large")
    with app.app_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        member = db.session.get(User, people["member"].id)
        declaration = db.session.get(Declaration, large.id)
        declaration.phase = "drafting"
        from app.declarations import services
        items = [services.add_recommendation(coordinator, declaration, text=f"Recommendation {n}", pillar="pursue",
                                             themes=["drugs"], addressees=[], convention_articles="")
                 for n in range(40)]
        declaration.phase = "consultation"
        for n, item in enumerate(items):
            add_comment(member, declaration, body=f"Comment {n}", recommendation=item)
        db.session.commit()
    login(client, people["member"].email)
    counts = []
    for d in (small, large):
        with QueryCounter(app) as counter:
            assert client.get(f"/declarations/{d.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 12, counts


def test_the_reading_page_has_a_print_stylesheet(client):
    css = client.get("/static/css/sanad.css").get_data(as_text=True)
    assert "@media print" in css


def test_the_list_of_declarations_filters_by_phase_pillar_and_theme(client, people, make_declaration):
    make_declaration(title="On corruption")  # has a corruption recommendation (prevent pillar)
    make_declaration(phase="revision", title="In revision")
    login(client, people["member"].email)
    assert "In revision" not in client.get("/declarations?phase=consultation").get_data(as_text=True)
    page = client.get("/declarations?theme=corruption&pillar=prevent").get_data(as_text=True)
    assert "On corruption" in page
    assert "On corruption" not in client.get("/declarations?theme=firearms").get_data(as_text=True)
