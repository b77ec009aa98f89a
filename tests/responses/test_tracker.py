"""The tracker filters, orders and pages in SQL: each filter, the due filter, counts and pages, bad page numbers,
and visibility — the SQL rule (permissions.response_visible_clause) agrees with can_view_response for every
role, and nothing a person may not see appears."""
import re
from datetime import date, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app import permissions
from app.accounts.models import User
from app.declarations.models import Declaration, DeclarationDrafter, DeclarationTranslator, Recommendation
from app.extensions import db
from app.home.work import updates_due
from app.responses import tracker
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import Submission, SubmittedRecommendation
from app.time import utcnow
from tests.helpers import QueryCounter, login, submit

TODAY = date.today()


def _items(app, declaration_id, count, *, pillar="pursue", themes=("trafficking",), addressees=()):
    """`count` more recommendations in the declaration's submission, inserted directly (a page's worth of data
    and more, without a request each). Returns their item ids."""
    with app.app_context():
        submission = db.session.scalar(select(Submission).where(Submission.declaration_id == declaration_id))
        start = db.session.scalar(select(db.func.max(SubmittedRecommendation.number))
                                  .where(SubmittedRecommendation.submission_id == submission.id))
        items = []
        for n in range(start + 1, start + 1 + count):
            recommendation = Recommendation(declaration_id=declaration_id, position=n)
            db.session.add(recommendation)
            db.session.flush()
            item = SubmittedRecommendation(submission_id=submission.id, recommendation_id=recommendation.id, number=n,
                                           pillar=pillar, themes=list(themes), addressees=list(addressees),
                                           text_html=f"<p>Extra recommendation {n}.</p>")
            db.session.add(item)
            items.append(item)
        db.session.commit()
        return [i.id for i in items]


def _item_ids(app, declaration_id):
    with app.app_context():
        return list(db.session.scalars(
            select(SubmittedRecommendation.id).join(Submission).where(Submission.declaration_id == declaration_id)
            .order_by(SubmittedRecommendation.number)))


def _answer(app, item_id, institution_id, author_id, position="supported", *, number=1, published=True,
            target=None, lead=None):
    with app.app_context():
        db.session.add(Answer(item_id=item_id, institution_id=institution_id, number=number, position=position,
                              author_id=author_id, published_at=utcnow() if published else None,
                              target_date=target, lead_institution_id=lead))
        db.session.commit()


def _update(app, item_id, institution_id, author_id, status, happened_on):
    with app.app_context():
        db.session.add(ImplementationUpdate(item_id=item_id, institution_id=institution_id, status=status,
                                            author_id=author_id, happened_on=happened_on))
        db.session.commit()


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r">Recommendation (\d+)</a>", html)]


def test_the_tracker_shows_one_page_with_the_total_and_clamps_bad_page_numbers(app, client, submitted):
    declaration, _submission = submitted
    _items(app, declaration.id, 117)  # 120 in all: three pages of 50
    first = client.get("/tracker").get_data(as_text=True)
    assert _numbers(first) == list(range(1, 51))
    assert "120 recommendations" in first and "Page 1 of 3" in first and "1 to 50 shown" in first
    last = client.get("/tracker?page=3").get_data(as_text=True)
    assert _numbers(last) == list(range(101, 121)) and "101 to 120 shown" in last
    for bad in ("99999", "-4"):
        response = client.get(f"/tracker?page={bad}")
        assert response.status_code == 200
        assert _numbers(response.get_data(as_text=True)) == (list(range(101, 121)) if bad == "99999"
                                                             else list(range(1, 51)))
    assert _numbers(client.get("/tracker?page=abc").get_data(as_text=True)) == list(range(1, 51))
    # The pager keeps the filters.
    assert 'href="/tracker?pillar=pursue&amp;page=2"' in client.get("/tracker?pillar=pursue").get_data(as_text=True)


def test_the_tracker_reads_only_the_page(app, client, submitted, people):
    """The page's answers and updates are read by its ids: with answers on every recommendation, the queries a
    page runs and the rows it shows do not grow with the recommendations beyond it."""
    declaration, _submission = submitted
    reviewer = people["reviewer"]

    def measure():
        with QueryCounter(app) as counter:
            html = client.get("/tracker").get_data(as_text=True)
        return counter.count, len(_numbers(html))
    ids = _items(app, declaration.id, 57)
    for item_id in ids:
        _answer(app, item_id, reviewer.institution_id, reviewer.id)
    small = measure()
    more = _items(app, declaration.id, 140)
    for item_id in more:
        _answer(app, item_id, reviewer.institution_id, reviewer.id)
    assert measure() == small == (small[0], 50)
    with app.app_context():
        anonymous = AnonymousUserMixin()
        found, rows = tracker.page(anonymous, tracker.Filters(), 1)
        assert found.total == 200 and len(found.items) == len(rows) == 50
        assert [len(r["answers"]) for r in rows] == [0, 0, 0] + [1] * 47


def test_every_filter(app, client, submitted, people, make_user):
    declaration, _submission = submitted
    reviewer, other = people["reviewer"], make_user("reviewer")
    mine, theirs = reviewer.institution_id, other.institution_id
    first, second, third = _item_ids(app, declaration.id)
    extra, named = _items(app, declaration.id, 2, pillar="protect", themes=("cybercrime", "victims"),
                          addressees=(theirs, 12345))
    # first: supported now (not supported before); second: the other ministry leads; extra: reported
    # implemented, then (later) in progress.
    _answer(app, first, mine, reviewer.id, "not_supported", number=1)
    _answer(app, first, mine, reviewer.id, "supported", number=2)
    _answer(app, second, mine, reviewer.id, "partially", lead=theirs)
    _answer(app, third, mine, reviewer.id, "not_supported", published=False)  # a draft: nobody sees it
    _update(app, extra, mine, reviewer.id, "implemented", TODAY - timedelta(days=9))
    _update(app, extra, mine, reviewer.id, "in_progress", TODAY - timedelta(days=2))
    _update(app, named, mine, reviewer.id, "implemented", TODAY)
    with app.app_context():
        db.session.add(Assessment(item_id=named, rating="agrees", author_id=people["coordinator"].id))
        db.session.commit()

    def listed(**query):
        return _numbers(client.get("/tracker", query_string=query).get_data(as_text=True))
    assert listed() == [1, 2, 3, 4, 5]
    assert listed(declaration=declaration.id) == [1, 2, 3, 4, 5] and listed(declaration=99999) == []
    assert listed(pillar="protect") == [2, 4, 5] and listed(theme="cybercrime") == [4, 5]
    assert listed(theme="victims") == [2, 4, 5]
    assert listed(position="supported") == [1]  # the current answer only
    assert listed(position="not_supported") == []  # an earlier revision and a draft are not positions
    assert listed(position="partially", institution=mine) == [2]
    assert listed(position="partially", institution=theirs) == []  # theirs is the lead, not the answer
    assert listed(status="in_progress") == [4] and listed(status="implemented") == [5]  # the latest update
    assert listed(institution=mine) == [1, 2, 3, 4, 5]  # the submission was addressed to it
    assert listed(institution=theirs) == [2, 4, 5]  # the lead of 2, named by 4 and 5
    assert listed(institution=123) == [] and listed(institution=1234) == []  # not 12345's digits
    assert listed(pillar="protect", institution=theirs, status="implemented") == [5]
    assert listed(position="bogus", status="bogus", pillar="bogus", institution="x") == [1, 2, 3, 4, 5]
    page = client.get("/tracker").get_data(as_text=True)
    assert "No answer yet" in page and "Partially supported" in page and "In progress" in page


def test_the_due_filter_matches_the_reviewer_home(app, client, submitted, people, make_user):
    declaration, _submission = submitted
    reviewer, other = people["reviewer"], make_user("reviewer")
    mine = reviewer.institution_id
    a, b, c, d, e, f, g = _item_ids(app, declaration.id) + _items(app, declaration.id, 4)
    _answer(app, a, mine, reviewer.id, target=TODAY + timedelta(days=10))  # due soon
    _answer(app, b, mine, reviewer.id, target=TODAY - timedelta(days=40))  # overdue
    _answer(app, c, mine, reviewer.id, target=TODAY + timedelta(days=31))  # not yet
    _answer(app, d, mine, reviewer.id, target=TODAY - timedelta(days=5))
    _update(app, d, mine, reviewer.id, "implemented", TODAY - timedelta(days=50))  # reported implemented once
    _update(app, d, mine, reviewer.id, "in_progress", TODAY)
    _answer(app, e, mine, reviewer.id, target=TODAY - timedelta(days=5))
    _answer(app, e, mine, reviewer.id, number=2, target=TODAY + timedelta(days=300))  # the newest says later
    _answer(app, f, mine, reviewer.id, target=TODAY - timedelta(days=5), published=False)  # a draft
    _answer(app, g, other.institution_id, other.id, target=TODAY - timedelta(days=5))  # another institution
    _answer(app, g, mine, reviewer.id, target=TODAY + timedelta(days=30))  # the last day within
    html = client.get(f"/tracker?institution={mine}&due=1").get_data(as_text=True)
    assert _numbers(html) == [2, 1, 7]  # soonest target date first
    assert "3 recommendations" in html and "Target date:" in html
    with app.app_context():
        home = updates_due(db.session.get(User, reviewer.id))
        numbers = {i: n for n, i in enumerate((a, b, c, d, e, f, g), start=1)}
        assert [numbers[item.id] for _answer_row, item in home] == [2, 1, 7]
    assert _numbers(client.get(f"/tracker?institution={other.institution_id}&due=1").get_data(as_text=True)) == [7]
    without = client.get("/tracker?due=1").get_data(as_text=True)  # no institution: the filter asks for one
    assert "Choose an institution" in without and _numbers(without) == [1, 2, 3, 4, 5, 6, 7]


@pytest.fixture
def declarations(app, client, people, make_declaration, make_user):
    """A public and a members-only declaration submitted to the reviewer's institution, and one in drafting
    with a co-drafter and a translator: {name: (declaration, submission ids)}."""
    public = make_declaration("signon", visibility="public", title="Public declaration")
    members = make_declaration("signon", visibility="members", title="Members declaration")
    drafting = make_declaration("drafting", visibility="public", title="Drafting declaration")
    login(client, people["coordinator"].email)
    for d in (public, members):
        assert submit(client, d.id, [people["reviewer"].institution_id]).status_code == 303
    client.post("/logout")
    drafter, translator, stopped = make_user(), make_user(), make_user(active=False)
    with app.app_context():
        db.session.add_all([DeclarationDrafter(declaration_id=drafting.id, user_id=drafter.id)] + [
            DeclarationTranslator(declaration_id=drafting.id, user_id=t.id) for t in (translator, stopped)])
        db.session.commit()
    return {"public": public, "members": members, "drafting": drafting, "drafter": drafter,
            "translator": translator, "inactive translator": stopped}


def _everyone(people, make_user, declarations):
    return {"visitor": None, "anonymous": AnonymousUserMixin(), **people, "other reviewer": make_user("reviewer"),
            "inactive expert": make_user(expert=True, active=False),
            **{role: declarations[role] for role in ("drafter", "translator", "inactive translator")}}


def test_the_sql_rules_agree_with_the_python_rules_for_every_role(app, people, make_user, declarations):
    everyone = _everyone(people, make_user, declarations)
    with app.app_context():
        all_declarations = db.session.scalars(select(Declaration)).all()
        submissions = db.session.scalars(select(Submission)).all()
        assert len(submissions) == 2 and len(all_declarations) == 3
        for role, person in everyone.items():
            user = db.session.get(User, person.id) if isinstance(person, User) else person
            for declaration in all_declarations:
                clause = permissions.declaration_visible_clause(user, Declaration, DeclarationDrafter,
                                                                DeclarationTranslator)
                in_sql = declaration.id in db.session.scalars(select(Declaration.id).where(clause)).all()
                assert in_sql == permissions.can_view_declaration(user, declaration), (role, declaration.title)
            for submission in submissions:
                in_sql = submission.id in db.session.scalars(
                    select(Submission.id).join(Declaration, Declaration.id == Submission.declaration_id)
                    .where(tracker.visible(user))).all()
                python = permissions.can_view_response(user, submission.declaration, submission.institution_ids)
                assert in_sql == python, (role, submission.title)
                shown = {r["submission"].id for r in tracker.page(user, tracker.Filters(), 1)[1]}
                assert (submission.id in shown) == python, (role, submission.title)


def test_nobody_sees_in_the_tracker_what_they_may_not(app, client, people, make_user, declarations):
    def titles(person=None):
        client.post("/logout")
        if person is not None:
            login(client, person.email)
        html = client.get("/tracker").get_data(as_text=True)
        return {t for t in ("Public declaration", "Members declaration") if t in html}, html
    visitor, html = titles()
    assert visitor == {"Public declaration"} and "3 recommendations" in html
    assert titles(people["member"])[0] == {"Public declaration", "Members declaration"}
    assert titles(people["coordinator"])[0] == {"Public declaration", "Members declaration"}
    assert titles(people["reviewer"])[0] == {"Public declaration", "Members declaration"}  # a recipient
    other, html = titles(make_user("reviewer"))
    assert other == {"Public declaration"} and "3 recommendations" in html
    # Filtering by the members-only declaration finds nothing for whoever may not see it.
    client.post("/logout")
    members = client.get(f"/tracker?declaration={declarations['members'].id}").get_data(as_text=True)
    assert "0 recommendations" in members and "Members declaration" not in members
