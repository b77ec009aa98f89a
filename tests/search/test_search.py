from app.accounts.models import User
from app.comments.services import add_comment
from app.declarations.models import Declaration, Section
from app.extensions import db
from app.search.services import search
from tests.helpers import login


def _comment(app, people, d, body, role="member"):
    with app.app_context():
        comment = add_comment(db.session.get(User, people[role].id), db.session.get(Declaration, d.id), body=body,
                              section=db.session.get(Section, d.sections[0]))
        db.session.commit()
        return comment.id


def test_search_finds_recommendations_sections_and_comments(app, client, people, consultation):
    _comment(app, people, consultation, "Brick kiln workers need inspectors")
    login(client, people["member"].email)
    assert "Open shelters in every province." in client.get("/search?q=shelters").get_data(as_text=True)
    assert "Context" in client.get("/search?q=rising").get_data(as_text=True)
    assert "Comment by" in client.get("/search?q=kiln").get_data(as_text=True)


def test_search_respects_visibility(app, client, people, make_declaration):
    make_declaration(visibility="members", title="Members only text")
    make_declaration(visibility="public", title="Public text")
    make_declaration(phase="drafting", visibility="public", title="Draft text")
    visitor = client.get("/search?q=text").get_data(as_text=True)
    assert "Public text" in visitor and "Members only text" not in visitor and "Draft text" not in visitor
    login(client, people["member"].email)
    member = client.get("/search?q=text").get_data(as_text=True)
    assert "Members only text" in member and "Draft text" not in member


def test_search_leaves_out_unpublished_comments(app, people, make_declaration):
    d = make_declaration(moderation="pre")
    _comment(app, people, d, "Pending remark about kilns")
    with app.app_context():
        assert search("kilns", db.session.get(User, people["coordinator"].id)) == []


def test_search_takes_operators_literally_and_finds_urdu(app, people, consultation):
    _comment(app, people, consultation, "انسانی اسمگلنگ کے متاثرین کے لیے پناہ گاہیں")
    with app.app_context():
        user = db.session.get(User, people["member"].id)
        for query in ['"', "AND OR NOT", "shelters*", "NEAR(", "col:x", "'; DROP TABLE users; --"]:
            search(query, user)  # no error
        assert [r["kind"] for r in search("اسمگلنگ", user)] == ["comment"]
        assert search("shelt", user)  # the last word also matches as a prefix
