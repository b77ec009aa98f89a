"""Search ranks only what it shows: the newest RANKED matches a person may see, ranked and paged in SQL, with a
count that stops at RANKED + 1; visibility in SQL (permissions.declaration_visible_clause and the comment's
moderation) leaves out exactly what the Python rule would."""
import re
from datetime import timedelta

from flask_login import AnonymousUserMixin
from sqlalchemy import select, text

from app import permissions
from app.accounts.models import User
from app.amendments.models import Amendment
from app.comments.models import Comment
from app.declarations.models import Declaration, DeclarationDrafter, Recommendation, Section
from app.extensions import db
from app.search import services
from app.search.models import SearchDocument
from app.time import utcnow
from tests.helpers import QueryCounter, login


def _comments(app, declaration, author_id, bodies, **fields) -> list[int]:
    """Comments inserted directly and indexed (many, without a request each)."""
    with app.app_context():
        comments = [Comment(declaration_id=declaration.id, section_id=declaration.sections[0], author_id=author_id,
                            body_source=body, body_html=f"<p>{body}</p>", version_number=1, **fields)
                    for body in bodies]
        db.session.add_all(comments)
        db.session.flush()
        for comment in comments:
            services.index(comment)
        db.session.commit()
        return [c.id for c in comments]


def _anchors(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"#c(\d+)\"", html)]


def test_a_common_word_shows_a_page_of_the_newest_matches_and_says_there_are_more(app, client, people, consultation):
    ids = _comments(app, consultation, people["member"].id, [f"Kiln remark number {n}" for n in range(230)])
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # the statistics that make "kiln" a common word there
            db.session.execute(text("ANALYZE search_documents"))
            db.session.commit()
            assert services._share_on_postgresql(["kiln"]) >= services.COMMON
            assert services._share_on_postgresql(["rising"]) < services.COMMON
    login(client, people["member"].email)
    first = client.get("/search?q=kiln").get_data(as_text=True)
    assert "More than 200 results" in first and "Page 1 of 10" in first
    assert len(_anchors(first)) == services.PAGE_SIZE == 20
    shown = []
    for page in range(1, 11):
        shown += _anchors(client.get(f"/search?q=kiln&page={page}").get_data(as_text=True))
    assert sorted(shown) == sorted(ids[-200:])  # each of the newest 200 once, none older
    for bad, same_as in (("11", 10), ("99999", 10), ("abc", 1), ("-1", 1)):
        page = client.get(f"/search?q=kiln&page={bad}")
        assert page.status_code == 200
        assert _anchors(page.get_data(as_text=True)) == _anchors(
            client.get(f"/search?q=kiln&page={same_as}").get_data(as_text=True)), bad
    assert 'href="/search?q=kiln&amp;page=2"' in first


def test_a_search_under_the_cap_is_counted_and_paged(app, client, people, consultation):
    _comments(app, consultation, people["member"].id, [f"Brick kiln remark {n}" for n in range(23)])
    login(client, people["member"].email)
    first = client.get("/search?q=brick").get_data(as_text=True)
    assert "23 results" in first and "More than" not in first and "Page 1 of 2" in first
    second = client.get("/search?q=brick&page=2").get_data(as_text=True)
    assert len(_anchors(first)) == 20 and len(_anchors(second)) == 3
    assert "1 result<" in client.get("/search?q=rising").get_data(as_text=True)  # the Context section
    nothing = client.get("/search?q=qqqzzz").get_data(as_text=True)
    assert "0 results" in nothing and "Nothing found" in nothing and "Page 1" not in nothing


def test_the_work_of_a_search_does_not_grow_with_its_matches(app, client, people, consultation):
    _comments(app, consultation, people["member"].id, [f"Few tannery remark {n}" for n in range(30)])
    login(client, people["member"].email)

    def queries(word):
        with QueryCounter(app) as counter:
            html = client.get(f"/search?q={word}").get_data(as_text=True)
        return counter.count, len(_anchors(html))
    few = queries("tannery")
    _comments(app, consultation, people["member"].id, [f"Many furnace remark {n}" for n in range(400)])
    assert queries("furnace") == few == (few[0], 20)


def test_search_leaves_out_in_sql_what_a_person_may_not_see(app, client, people, make_declaration, make_user):
    public = make_declaration(visibility="public", title="Open zebra text")
    members = make_declaration(visibility="members", title="Members zebra text")
    drafting = make_declaration("drafting", visibility="public", title="Drafting zebra text")
    drafter = make_user(organization=None, expert=True)
    author = people["member"].id
    with app.app_context():
        db.session.add(DeclarationDrafter(declaration_id=drafting.id, user_id=drafter.id))
        hidden = Amendment(declaration_id=public.id, section_id=public.sections[0], base_revision_id=1,
                           proposer_id=author, text_source="x", text_html="x", rationale_source="x",
                           rationale_html="x", version_number=1, hidden_at=utcnow())
        db.session.add(hidden)
        gone = db.session.get(Section, public.sections[1])
        gone.deleted_at = utcnow()
        db.session.commit()
        hidden_id = hidden.id
    shown = {"public": _comments(app, public, author, ["zebra public comment"]),
             "members": _comments(app, members, author, ["zebra members comment"])}
    _comments(app, public, author, ["zebra pending comment"], status="pending")
    _comments(app, public, author, ["zebra deleted comment"], deleted_at=utcnow() - timedelta(days=1))
    _comments(app, public, author, ["zebra comment on a hidden amendment"], amendment_id=hidden_id)
    with app.app_context():  # the deleted section's text says zebra too
        db.session.get(SearchDocument, db.session.scalar(select(SearchDocument.id).where(
            SearchDocument.kind == "section", SearchDocument.object_id == public.sections[1]))).body = "zebra"
        db.session.commit()
    everyone = {"visitor": AnonymousUserMixin(), **people, "other reviewer": make_user("reviewer"),
                "drafter": drafter}
    with app.app_context():
        for role, person in everyone.items():
            user = db.session.get(User, person.id) if isinstance(person, User) else person
            readable = {d.title for d in db.session.scalars(select(Declaration))
                        if permissions.can_view_declaration(user, d)}
            results = services.search("zebra", user, limit=100)
            titles = {r["declaration"].title for r in results}
            assert titles == readable, role
            comments = {r["object"].id for r in results if r["kind"] == "comment"}
            assert comments == {c for key, ids in shown.items() for c in ids
                                if {"public": "Open zebra text", "members": "Members zebra text"}[key] in readable}
            assert not [r for r in results if r["kind"] == "section"]
            assert services.count("zebra", user) == len(results), role
    visitor = client.get("/search?q=zebra").get_data(as_text=True)
    assert "Open zebra text" in visitor and "Members zebra text" not in visitor and "pending" not in visitor
    assert "Drafting zebra text" not in visitor
    login(client, drafter.email)
    assert "Drafting zebra text" in client.get("/search?q=zebra").get_data(as_text=True)


def test_deleted_recommendations_are_not_found(app, people, consultation):
    with app.app_context():
        db.session.get(Recommendation, consultation.recommendations[1]).deleted_at = utcnow()
        db.session.commit()
        member = db.session.get(User, people["member"].id)
        assert services.search("shelters", member) == [] and services.count("shelters", member) == 0
