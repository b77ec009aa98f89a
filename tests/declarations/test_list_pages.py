"""The list of declarations: visibility, phase, pillar and theme decided in SQL, a page at a time."""
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import permissions
from app.accounts.models import User
from app.declarations.models import (
    Declaration,
    DeclarationDrafter,
    DeclarationTranslator,
    Recommendation,
    RecommendationRevision,
)
from app.declarations.views import DECLARATIONS_PER_PAGE
from app.extensions import db
from app.time import utcnow
from tests.helpers import login

MORE = DECLARATIONS_PER_PAGE + 5


def _listed(page: str) -> list[str]:
    return re.findall(r'<a href="/declarations/\d+" dir="auto"><bdi lang="\w+" dir="auto">([^<]+)</bdi></a>', page)


def _links(page: str) -> dict[str, str]:
    return {rel: html.unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', page)}


@pytest.fixture
def many(app, people):
    """More declarations in consultation than a page holds, the most recently changed numbered highest."""
    with app.app_context():
        now = utcnow()
        db.session.add_all(Declaration(title=f"Text {n:03d}", phase="consultation", visibility="members",
                                       created_by_id=people["coordinator"].id, updated_at=now - timedelta(hours=n))
                           for n in range(MORE))
        db.session.commit()


def test_the_list_shows_a_page_most_recent_first_and_counts_them_all(client, people, many):
    login(client, "member@example.org")
    first = client.get("/declarations").get_data(as_text=True)
    assert _listed(first) == [f"Text {n:03d}" for n in range(DECLARATIONS_PER_PAGE)]
    assert f"{MORE} declarations" in first and "Page 1 of 2" in first
    second = client.get(_links(first)["next"]).get_data(as_text=True)
    assert _listed(second) == [f"Text {n:03d}" for n in range(DECLARATIONS_PER_PAGE, MORE)]


def test_the_phase_filter_counts_and_the_pager_keeps_it(client, people, many, make_declaration):
    make_declaration("revision", title="In revision")
    login(client, "member@example.org")
    page = client.get("/declarations?phase=revision").get_data(as_text=True)
    assert _listed(page) == ["In revision"] and "1 declaration" in page
    page = client.get("/declarations?phase=consultation&pillar=&theme=").get_data(as_text=True)
    assert "In revision" not in _listed(page) and f"{MORE} declarations" in page
    next_link = _links(page)["next"]
    assert "phase=consultation" in next_link and "page=2" in next_link
    assert "In revision" not in _listed(client.get(next_link).get_data(as_text=True))
    page = client.get("/declarations?phase=nonsense").get_data(as_text=True)  # unknown: no filter
    assert f"{MORE + 1} declarations" in page


@pytest.mark.parametrize("number, first", [("abc", 0), ("-1", 0), ("99999", DECLARATIONS_PER_PAGE)])
def test_a_bad_page_number_answers_a_page(client, people, many, number, first):
    login(client, "member@example.org")
    response = client.get(f"/declarations?page={number}")
    assert response.status_code == 200
    assert _listed(response.get_data(as_text=True))[0] == f"Text {first:03d}"


def test_pillar_and_theme_look_at_live_recommendations_current_text_only(app, client, people, make_declaration):
    moved = make_declaration(title="Moved on")  # its prevent/corruption recommendation is rewritten below
    removed = make_declaration(title="Removed")  # … and here deleted
    make_declaration(title="Kept")
    with app.app_context():
        rewritten = db.session.get(Recommendation, moved.recommendations[2])
        revision = RecommendationRevision(recommendation_id=rewritten.id, number=2, text_source="x", text_html="x",
                                          pillar="protect", themes=["victims"], author_id=people["coordinator"].id)
        db.session.add(revision)
        db.session.flush()
        rewritten.current_revision_id = revision.id
        db.session.get(Recommendation, removed.recommendations[2]).deleted_at = utcnow()
        db.session.commit()
    login(client, "member@example.org")
    for query in ("pillar=prevent", "theme=corruption", "pillar=prevent&theme=corruption"):
        page = client.get(f"/declarations?{query}").get_data(as_text=True)
        assert _listed(page) == ["Kept"] and "1 declaration" in page, query
    # Both conditions on one recommendation: no recommendation is both "pursue" and about corruption.
    assert _listed(client.get("/declarations?pillar=pursue&theme=corruption").get_data(as_text=True)) == []
    page = client.get("/declarations?pillar=pursue&theme=trafficking").get_data(as_text=True)
    assert sorted(_listed(page)) == ["Kept", "Moved on", "Removed"]


def test_drafts_and_members_only_texts_stay_hidden_from_those_who_may_not_see_them(client, people,
                                                                                   make_declaration):
    make_declaration("drafting", title="A draft")
    make_declaration(title="For members")
    make_declaration(visibility="public", title="For everyone")
    assert _listed(client.get("/declarations").get_data(as_text=True)) == ["For everyone"]
    login(client, "reviewer@example.org")
    assert _listed(client.get("/declarations").get_data(as_text=True)) == ["For everyone"]
    client.post("/logout")
    login(client, "member@example.org")
    assert sorted(_listed(client.get("/declarations?phase=").get_data(as_text=True))) == ["For everyone",
                                                                                         "For members"]
    assert _listed(client.get("/declarations?phase=drafting").get_data(as_text=True)) == []
    client.post("/logout")
    login(client, "coordinator@example.org")
    assert _listed(client.get("/declarations?phase=drafting").get_data(as_text=True)) == ["A draft"]


def test_the_sql_rule_agrees_with_can_view_declaration(app, people, make_declaration, make_user, make_organization):
    """Every person against every declaration: drafts with a drafter, an active and an inactive translator,
    each visibility in each phase."""
    drafter = make_user(organization=make_organization("Drafting Forum"), org_role="member", email="d@example.org")
    translator = make_user(email="t@example.org")  # not even a member
    gone = make_user(expert=True, email="gone@example.org", active=False)
    made = [make_declaration(phase, visibility=visibility, title=f"{phase} {visibility}")
            for phase in ("drafting", "consultation", "revision") for visibility in ("members", "public")]
    with app.app_context():
        for d in made[:2]:
            db.session.add(DeclarationDrafter(declaration_id=d.id, user_id=drafter.id))
        db.session.add(DeclarationTranslator(declaration_id=made[0].id, user_id=translator.id))
        db.session.add(DeclarationTranslator(declaration_id=made[1].id, user_id=gone.id))
        db.session.commit()
        declarations = db.session.scalars(select(Declaration)).all()
        reviewer = db.session.get(User, people["reviewer"].id)
        people_ = [None, reviewer, *(db.session.get(User, p.id) for p in
                                     (*people.values(), drafter, translator, gone))]
        for user in people_:
            in_python = {d.id for d in declarations if permissions.can_view_declaration(user, d)}
            in_sql = set(db.session.scalars(select(Declaration.id).where(permissions.declaration_visible_clause(
                user, Declaration, DeclarationDrafter, DeclarationTranslator))))
            assert in_sql == in_python, user and user.email
        assert {d.id for d in declarations if permissions.can_view_declaration(
            db.session.get(User, translator.id), d)} >= {made[0].id}  # the rule has a draft to agree on


def test_a_filtered_list_counts_only_a_few_pages_ahead(app, client, people, make_declaration, monkeypatch):
    """Whether a declaration matches a pillar or theme looks into its recommendations, so the list counts the
    matches only up to FILTERED_COUNTED beyond the page's start: "more than", and a pager that goes on."""
    from app.declarations import views
    monkeypatch.setattr(views, "DECLARATIONS_PER_PAGE", 2)
    monkeypatch.setattr(views, "FILTERED_COUNTED", 3)
    for n in range(7):
        make_declaration(title=f"Filtered {n}")
    login(client, "member@example.org")
    first = client.get("/declarations?pillar=prevent").get_data(as_text=True)
    assert len(_listed(first)) == 2 and "More than 3 declarations" in first
    assert "Page 1 of more than 2" in first and "page=2" in _links(first)["next"]
    third = client.get("/declarations?pillar=prevent&page=3").get_data(as_text=True)
    assert len(_listed(third)) == 2 and "Page 3 of 4" in third and "7 declarations" in third
    fourth = client.get("/declarations?pillar=prevent&page=4").get_data(as_text=True)
    assert len(_listed(fourth)) == 1 and "next" not in _links(fourth)
    assert _listed(client.get("/declarations?pillar=prevent&page=99").get_data(as_text=True)) == _listed(fourth)
    seen = {title for n in range(1, 5)
            for title in _listed(client.get(f"/declarations?pillar=prevent&page={n}").get_data(as_text=True))}
    assert seen == {f"Filtered {n}" for n in range(7)}
