"""Carrying a draft's recommendation forward from an earlier one: chosen from a search by words, year and number
(paged in SQL), undone, audited; only by those who may edit the text, only while it is drafted or revised."""
import re

from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.declarations import services as declarations
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.lines.models import EarlierDeclaration, EarlierRecommendation, RecommendationLine
from tests.helpers import login
from tests.lines.conftest import carry, line_of


def _actions(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_coordinator_carries_a_submitted_recommendation_forward_and_both_join_one_line(
        app, client, people, make_declaration, answered):
    declaration, _submission = answered
    draft = make_declaration("drafting", title="Next year's declaration")
    login(client, people["coordinator"].email)
    page = client.get(f"/lines/carry/{draft.recommendations[0]}?q=prosecution")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Create specialised prosecution units." in html
    assert "Next year" not in re.sub(r"<title>.*?</title>|<p><a href.*?</a></p>", "", html, flags=re.S).split(
        "Find the earlier recommendation")[1]  # its own declaration is not offered
    response = carry(client, draft.recommendations[0], "sanad", declaration.recommendations[0])
    assert response.status_code == 303
    line_id = line_of(app, draft.recommendations[0])
    assert line_id is not None and line_of(app, declaration.recommendations[0]) == line_id
    entry = _actions(app, "recommendation_carried_forward")[-1]
    assert entry.target_id == draft.recommendations[0] and entry.details["line"] == line_id
    page = client.get(f"/lines/carry/{draft.recommendations[0]}").get_data(as_text=True)
    assert "It carries an earlier recommendation forward." in page and "Undo: it carries nothing forward" in page
    reading = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert f'href="/lines/{line_id}"' in reading and "(2 declarations)" in reading
    # the editing view leads to the page
    edit = client.get(f"/declarations/{draft.id}/recommendation/{draft.recommendations[0]}/edit").get_data(as_text=True)
    assert f"/lines/carry/{draft.recommendations[0]}" in edit


def test_carrying_an_imported_recommendation_forward_joins_its_line(app, client, people, make_declaration, earlier):
    _declaration, units = earlier
    draft = make_declaration("drafting")
    with app.app_context():
        shelters = db.session.scalar(select(EarlierRecommendation).where(EarlierRecommendation.number == 5))
        shelters_id, shelters_line = shelters.id, shelters.line_id
    login(client, people["coordinator"].email)
    found = client.get(f"/lines/carry/{draft.recommendations[1]}?year=2023&number=5").get_data(as_text=True)
    assert "1 found" in found and "Imported from the alliance's records" in found
    assert carry(client, draft.recommendations[1], "earlier", shelters_id).status_code == 303
    assert line_of(app, draft.recommendations[1]) == shelters_line
    # a declaration asks a line once: another of its recommendations cannot join the same line
    client.post("/logout")
    login(client, people["coordinator"].email)
    carry(client, draft.recommendations[2], "earlier", shelters_id)
    assert line_of(app, draft.recommendations[2]) is None
    assert "already carries that one forward" in client.get(f"/lines/carry/{draft.recommendations[2]}").get_data(
        as_text=True)


def test_undo_takes_the_recommendation_out_and_a_line_left_alone_is_removed(
        app, client, people, make_declaration, answered):
    declaration, _submission = answered
    draft = make_declaration("drafting")
    login(client, people["coordinator"].email)
    carry(client, draft.recommendations[0], "sanad", declaration.recommendations[0])
    line_id = line_of(app, draft.recommendations[0])
    stale = client.post(f"/lines/carry/{draft.recommendations[0]}/undo", data={"line_id": str(line_id + 1)})
    assert stale.status_code == 303 and line_of(app, draft.recommendations[0]) == line_id
    undone = client.post(f"/lines/carry/{draft.recommendations[0]}/undo", data={"line_id": str(line_id)})
    assert undone.status_code == 303
    assert line_of(app, draft.recommendations[0]) is None
    assert line_of(app, declaration.recommendations[0]) is None  # nothing else was in the line
    with app.app_context():
        assert db.session.get(RecommendationLine, line_id) is None
    assert _actions(app, "recommendation_line_left")[-1].details["line"] == line_id
    assert "does not carry an earlier recommendation forward" in client.get(
        f"/lines/carry/{draft.recommendations[0]}").get_data(as_text=True)


def test_undo_keeps_a_line_with_imported_years(app, client, people, make_declaration, earlier):
    declaration, line_id = earlier
    draft = make_declaration("drafting")
    login(client, people["coordinator"].email)
    carry(client, draft.recommendations[0], "sanad", declaration.recommendations[0])
    client.post(f"/lines/carry/{draft.recommendations[0]}/undo", data={"line_id": str(line_id)})
    assert line_of(app, draft.recommendations[0]) is None and line_of(app, declaration.recommendations[0]) == line_id


def test_members_reviewers_and_visitors_may_not_carry_forward(app, client, people, make_declaration, answered):
    declaration, _submission = answered
    draft = make_declaration("revision", visibility="public")
    for role in ("member", "representative", "reviewer", "expert"):
        login(client, people[role].email)
        assert client.get(f"/lines/carry/{draft.recommendations[0]}").status_code == 403, role
        assert carry(client, draft.recommendations[0], "sanad", declaration.recommendations[0]).status_code == 403
        assert client.post(f"/lines/carry/{draft.recommendations[0]}/undo", data={"line_id": "1"}).status_code == 403
        client.post("/logout")
    assert client.get(f"/lines/carry/{draft.recommendations[0]}").status_code == 302  # a visitor: to log in
    assert line_of(app, draft.recommendations[0]) is None


def test_a_co_drafter_may_carry_forward_while_the_text_is_revised_but_not_in_consultation(
        app, client, people, make_declaration, answered):
    declaration, _submission = answered
    revised, consulted = make_declaration("revision"), make_declaration("consultation")
    with app.app_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        member = db.session.get(User, people["member"].id)
        for d in (revised, consulted):
            declarations.set_drafters(coordinator, db.session.get(Declaration, d.id), [member])
        db.session.commit()
    login(client, people["member"].email)
    assert carry(client, revised.recommendations[0], "sanad", declaration.recommendations[0]).status_code == 303
    assert line_of(app, revised.recommendations[0]) is not None
    page = client.get(f"/lines/carry/{consulted.recommendations[0]}?q=prosecution").get_data(as_text=True)
    assert "only while its declaration is being drafted or revised" in page and "Carry this one forward" not in page
    carry(client, consulted.recommendations[0], "sanad", declaration.recommendations[0])
    assert line_of(app, consulted.recommendations[0]) is None


def test_what_cannot_be_carried_forward_is_refused(app, client, people, make_declaration, answered):
    declaration, _submission = answered
    draft = make_declaration("drafting")
    login(client, people["coordinator"].email)
    for kind, source in (("sanad", draft.recommendations[1]),  # of the same declaration (and not submitted)
                         ("sanad", 999999), ("earlier", 999999), ("nonsense", declaration.recommendations[0])):
        carry(client, draft.recommendations[0], kind, source)
        assert line_of(app, draft.recommendations[0]) is None, (kind, source)
    assert "cannot be carried forward" in client.get(f"/lines/carry/{draft.recommendations[0]}").get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecommendationLine)) == 0


def _earlier_year(app, people, year, count, text="Protect witnesses in trafficking trials, number {n}."):
    with app.app_context():
        earlier = EarlierDeclaration(year=year, title=f"Declaration {year}", imported_by_id=people["coordinator"].id)
        db.session.add(earlier)
        db.session.flush()
        for n in range(1, count + 1):
            line = RecommendationLine()
            db.session.add(line)
            db.session.flush()
            db.session.add(EarlierRecommendation(declaration_id=earlier.id, number=n, text=text.format(n=n),
                                                 line_id=line.id))
        db.session.commit()


def test_the_search_is_paged_and_finds_by_words_year_and_number(app, client, people, make_declaration):
    _earlier_year(app, people, 2021, 30)
    _earlier_year(app, people, 2022, 15, text="Fund shelters, item {n}.")
    draft = make_declaration("drafting")
    login(client, people["coordinator"].email)
    url = f"/lines/carry/{draft.recommendations[0]}"
    first = client.get(url).get_data(as_text=True)
    assert "45 found" in first and first.count("Carry this one forward") == 20 and "Page 1 of 3" in first
    assert first.index("Fund shelters, item 1.") < first.index("Fund shelters, item 15.")  # newest year first
    last = client.get(f"{url}?page=3").get_data(as_text=True)
    assert last.count("Carry this one forward") == 5 and "number 26." in last  # 2022's 15, then 2021's 30
    assert client.get(f"{url}?page=99").get_data(as_text=True).count("Carry this one forward") == 5  # the last page
    words = client.get(f"{url}?q=WITNESSES+27").get_data(as_text=True)  # every word, in any case
    assert "1 found" in words and "number 27." in words
    assert "30 found" in client.get(f"{url}?year=2021").get_data(as_text=True)
    numbered = client.get(f"{url}?number=3").get_data(as_text=True)
    assert "2 found" in numbered
    assert "No earlier recommendation matches." in client.get(f"{url}?q=%25").get_data(as_text=True)  # no wildcard
    wrong = client.get(f"{url}?year=twenty&q=" + "x" * 201).get_data(as_text=True)
    assert "Give a whole number" in wrong and "201 characters; the limit is 200." in wrong
    assert "Carry this one forward" not in wrong


def test_a_deleted_recommendation_has_no_carry_page(app, client, people, make_declaration):
    draft = make_declaration("drafting")
    with app.app_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        declarations.delete_item(coordinator, db.session.get(Recommendation, draft.recommendations[0]))
        db.session.commit()
    login(client, people["coordinator"].email)
    assert client.get(f"/lines/carry/{draft.recommendations[0]}").status_code == 404
