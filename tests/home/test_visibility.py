"""The home page's rules in SQL agree with the Python rules they stand for: which declarations a person may see
(permissions.declaration_visible_clause beside can_view_declaration, public_response_clause beside
can_view_response), and which comments are replies to a person (needs.news_for, read from their own comments)."""
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import aliased

from app import permissions
from app.accounts.models import User
from app.choices import Phase
from app.comments.models import Comment
from app.declarations.models import Declaration, DeclarationDrafter, DeclarationTranslator, Section
from app.extensions import db
from app.home import needs
from app.time import utcnow

ROLES = ("visitor", "member", "representative", "expert", "coordinator", "reviewer", "admin", "drafter",
         "translator", "inactive translator", "inactive member")


@pytest.fixture
def everyone(people, make_user, make_organization):
    organization = make_organization("Another Forum", acronym="AF")
    return {**people, "visitor": None, "drafter": make_user(organization=organization, org_role="member"),
            "translator": make_user(expert=True), "inactive translator": make_user(expert=True, active=False),
            "inactive member": make_user(organization=organization, org_role="member", active=False)}


@pytest.fixture
def declarations(app, everyone):
    """One declaration of each phase and visibility; one draft has a drafter and translators, the other none."""
    with app.app_context():
        made = [Declaration(title=f"{phase} {visibility}", phase=phase, visibility=visibility,
                            created_by_id=everyone["coordinator"].id)
                for phase in Phase for visibility in ("members", "public")]
        db.session.add_all(made)
        db.session.flush()
        for d in made:
            if d.phase == Phase.DRAFTING and d.visibility == "members":  # the other draft: the coordinators'
                db.session.add(DeclarationDrafter(declaration_id=d.id, user_id=everyone["drafter"].id))
                db.session.add_all(DeclarationTranslator(declaration_id=d.id, user_id=everyone[name].id)
                                   for name in ("translator", "inactive translator"))
            if d.visibility == "public":  # a drafter of a public declaration later on, and one translating it
                db.session.add(DeclarationTranslator(declaration_id=d.id, user_id=everyone["inactive member"].id))
        db.session.commit()
        return [d.id for d in made]


@pytest.mark.parametrize("role", ROLES)
def test_the_sql_rule_for_seeing_a_declaration_agrees_with_the_python_rule(app, everyone, declarations, role):
    with app.app_context():
        user = db.session.get(User, everyone[role].id) if everyone[role] else None
        rows = db.session.scalars(select(Declaration).where(Declaration.id.in_(declarations))).all()
        in_python = {d.id for d in rows if permissions.can_view_declaration(user, d)}
        in_sql = set(db.session.scalars(select(Declaration.id).where(
            Declaration.id.in_(declarations),
            permissions.declaration_visible_clause(user, Declaration, DeclarationDrafter, DeclarationTranslator))))
        assert in_sql == in_python
        assert in_python and (role == "coordinator" or in_python != set(declarations))  # the rule tells apart
        if role == "visitor":  # a visitor's view of the government's answers, as the home page lists them
            shown = set(db.session.scalars(select(Declaration.id).where(
                Declaration.id.in_(declarations), permissions.public_response_clause(Declaration))))
            assert shown == {d.id for d in rows if permissions.can_view_response(None, d, [1])} == in_python


# --- replies -------------------------------------------------------------------------------

def _comment(declaration_id, section_id, author, at, parent=None, **fields):
    comment = Comment(declaration_id=declaration_id, section_id=section_id, author_id=author.id,
                      parent_id=parent.id if parent else None, body_source="Text.", body_html="<p>Text.</p>",
                      version_number=1, created_at=at, **fields)
    db.session.add(comment)
    db.session.flush()
    return comment


def _earlier_rule(user, since):
    """The replies as they were found before: an EXISTS over the whole comments table."""
    mine = aliased(Comment)
    earlier = select(mine.id).where(
        mine.author_id == user.id, mine.deleted_at.is_(None), mine.created_at < Comment.created_at,
        (mine.id == Comment.parent_id) | (mine.parent_id == Comment.parent_id)).exists()
    return set(db.session.scalars(select(Comment.id).where(
        Comment.parent_id.is_not(None), Comment.author_id != user.id, Comment.deleted_at.is_(None),
        Comment.status == "published", Comment.created_at >= since, earlier)))


def test_replies_are_those_in_threads_the_person_started_or_replied_in_before(app, people, make_declaration):
    d = make_declaration("consultation")
    now = utcnow()
    with app.app_context(), app.test_request_context():
        member, expert, coordinator, representative = (db.session.get(User, people[k].id) for k in (
            "member", "expert", "coordinator", "representative"))
        section = db.session.scalars(select(Section).where(Section.declaration_id == d.id)).first()

        def say(author, minutes_ago, parent=None, **fields):
            return _comment(d.id, section.id, author, now - timedelta(minutes=minutes_ago), parent, **fields)

        started = say(member, 100)
        expected = {say(coordinator, 90, started).id, say(expert, 10, started).id}
        say(expert, 80, started, deleted_at=now)  # deleted
        say(expert, 70, started, status="pending")  # not published
        say(expert, 60, started, status="hidden")  # taken down
        say(member, 50, started)  # their own reply
        old = say(member, 60 * 24 * 40)
        say(expert, 60 * 24 * 35, old)  # more than 30 days ago
        other = say(expert, 100)
        say(representative, 95, other)  # before the member replied in that thread
        say(member, 90, other)
        expected.add(say(coordinator, 20, other).id)  # after: an answer to them too
        say(coordinator, 30, say(expert, 40))  # a thread the member is not in
        gone = say(member, 45, deleted_at=now)
        say(coordinator, 5, gone)  # under a comment the member deleted
        db.session.commit()
        news = needs.news_for(member)
        found = {int(n.url.rsplit("#c", 1)[1]) for n in news if n.kind == "reply"}
        assert found == expected == _earlier_rule(member, now - needs.RECENT)
        assert [n.when for n in news] == sorted((n.when for n in news), reverse=True)


def test_the_replies_are_found_from_the_persons_comments_not_by_reading_the_table(app, people, make_declaration):
    """On SQLite: no statement of news_for reads the comments table from end to end; each starts from the
    person's comments or a comment's replies by date (the indexes)."""
    make_declaration("consultation")
    statements = []
    with app.app_context(), app.test_request_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the query plan is read on SQLite")
        member = db.session.get(User, people["member"].id)

        def keep(_connection, _cursor, statement, parameters, _context, _many):
            statements.append((statement, parameters))
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            needs.news_for(member)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        replies = [(s, p) for s, p in statements if "comments" in s and "UNION ALL" in s]
        assert len(replies) == 1
        statement, parameters = replies[0]
        plan = [row[-1] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                           tuple(parameters))]
        scans = [step for step in plan if step.startswith("SCAN") and "comments" in step]
        assert not scans, plan
        assert any("ix_comments_author_status" in step for step in plan), plan
        assert any("ix_comments_parent_id" in step for step in plan), plan
