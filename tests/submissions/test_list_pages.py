"""The list of submissions: visibility, the institution and declaration filters, and the page, all in SQL."""
import hashlib
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import permissions
from app.accounts.models import User
from app.declarations.models import Declaration, DeclarationDrafter, DeclarationTranslator, Version
from app.extensions import db
from app.institutions.models import Institution
from app.submissions.models import Submission, SubmissionRecipient
from app.submissions.views import SUBMISSIONS_PER_PAGE
from app.time import utcnow
from tests.helpers import login

MORE = SUBMISSIONS_PER_PAGE + 6


def _listed(page: str) -> list[str]:
    return re.findall(r'<a href="/submissions/\d+"><bdi lang="\w+" dir="auto">([^<]+)</bdi></a>', page)


def _links(page: str) -> dict[str, str]:
    return {rel: html.unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', page)}


def _submit(people, n: int, institution_ids: list[int], when, visibility="members") -> None:
    """A submitted declaration as its rows (the dossier's content is not what these tests look at)."""
    declaration = Declaration(title=f"Dossier {n:03d}", phase="submitted", visibility=visibility,
                              created_by_id=people["coordinator"].id)
    db.session.add(declaration)
    db.session.flush()
    digest = hashlib.sha256(f"{n}".encode()).hexdigest()
    version = Version(declaration_id=declaration.id, number=1, phase="signon", content={}, sha256=digest,
                      created_by_id=people["coordinator"].id)
    db.session.add(version)
    db.session.flush()
    submission = Submission(declaration_id=declaration.id, version_id=version.id, text_sha256=digest, sha256=digest,
                            title=declaration.title, content={"institutions": {}}, sections_html={},
                            submitted_by_id=people["coordinator"].id, submitted_at=when)
    db.session.add(submission)
    db.session.flush()
    db.session.add_all(SubmissionRecipient(submission_id=submission.id, institution_id=i) for i in institution_ids)


@pytest.fixture
def many(app, people):
    """More submissions than a page holds, the latest numbered lowest: the even ones to the reviewer's
    institution, the odd ones to another; and one public declaration's submission to both, the oldest."""
    with app.app_context():
        other = Institution(name="Ministry of Interior", acronym="MOI")
        db.session.add(other)
        db.session.flush()
        now, mine = utcnow(), people["reviewer"].institution_id
        for n in range(MORE):
            _submit(people, n, [mine if n % 2 == 0 else other.id], now - timedelta(hours=n))
        _submit(people, MORE, [mine, other.id], now - timedelta(days=30), visibility="public")
        db.session.commit()
        return {"mine": mine, "other": other.id,
                "ids": dict(db.session.execute(select(Submission.title, Submission.declaration_id)).all())}


def test_the_list_shows_a_page_latest_first_and_counts_them_all(client, people, many):
    login(client, "member@example.org")
    first = client.get("/submissions").get_data(as_text=True)
    assert _listed(first) == [f"Dossier {n:03d}" for n in range(SUBMISSIONS_PER_PAGE)]
    assert f"{MORE + 1} submissions" in first and "Page 1 of 2" in first
    second = client.get(_links(first)["next"]).get_data(as_text=True)
    assert _listed(second) == [f"Dossier {n:03d}" for n in range(SUBMISSIONS_PER_PAGE, MORE + 1)]


def test_the_institution_filter_counts_and_the_pager_keeps_it(client, people, many):
    login(client, "coordinator@example.org")
    to_other = [f"Dossier {n:03d}" for n in range(MORE + 1) if n % 2 or n == MORE]
    page = client.get(f"/submissions?institution={many['other']}").get_data(as_text=True)
    assert _listed(page) == to_other and f"{len(to_other)} submissions" in page
    to_mine = [f"Dossier {n:03d}" for n in range(MORE + 1) if n % 2 == 0 or n == MORE]
    many_mine = f"/submissions?institution={many['mine']}"
    page = client.get(many_mine).get_data(as_text=True)
    assert f"{len(to_mine)} submissions" in page and _listed(page) == to_mine[:SUBMISSIONS_PER_PAGE]
    if len(to_mine) > SUBMISSIONS_PER_PAGE:
        assert f"institution={many['mine']}" in _links(page)["next"]


def test_the_declaration_filter(client, people, many):
    login(client, "member@example.org")
    declaration_id = many["ids"]["Dossier 004"]
    page = client.get(f"/submissions?declaration={declaration_id}").get_data(as_text=True)
    assert _listed(page) == ["Dossier 004"] and "1 submission" in page and "Every declaration" in page
    page = client.get(f"/submissions?declaration={declaration_id}&institution={many['other']}").get_data(as_text=True)
    assert _listed(page) == [] and "No submission matches these filters." in page


@pytest.mark.parametrize("query, message", [
    ("institution=abc", "There is no such institution"), ("institution=999999", "There is no such institution"),
    ("declaration=-1", "There is no such declaration"), ("declaration=999999", "There is no such declaration")])
def test_a_filter_that_names_nothing_says_so_and_shows_all(client, people, many, query, message):
    login(client, "member@example.org")
    response = client.get(f"/submissions?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and f"{MORE + 1} submissions" in page


def test_a_declaration_one_may_not_see_is_not_named_by_the_filter(app, client, people, many, make_declaration):
    draft = make_declaration("drafting", title="A secret draft")
    login(client, "member@example.org")
    page = client.get(f"/submissions?declaration={draft.id}").get_data(as_text=True)
    assert "A secret draft" not in page and "There is no such declaration" in page


@pytest.mark.parametrize("number, first", [("abc", 0), ("0", 0), ("99999", SUBMISSIONS_PER_PAGE)])
def test_a_bad_page_number_answers_a_page(client, people, many, number, first):
    login(client, "member@example.org")
    response = client.get(f"/submissions?page={number}")
    assert response.status_code == 200
    assert _listed(response.get_data(as_text=True))[0] == f"Dossier {first:03d}"


def test_a_reviewer_sees_only_what_was_addressed_to_their_institution_whatever_the_filter(client, people, many):
    login(client, "reviewer@example.org")
    mine = [f"Dossier {n:03d}" for n in range(MORE + 1) if n % 2 == 0 or n == MORE]
    page = client.get("/submissions").get_data(as_text=True)
    assert _listed(page) == mine and f"{len(mine)} submissions" in page
    page = client.get(f"/submissions?institution={many['other']}").get_data(as_text=True)
    assert _listed(page) == [f"Dossier {MORE:03d}"]  # the one addressed to both


def test_the_sql_rule_agrees_with_can_view_dossier(app, people, many, make_user, make_organization):
    outsider = make_user("reviewer")  # of a ministry nothing was addressed to
    gone = make_user(organization=make_organization("Closed Forum"), org_role="member", active=False)
    with app.app_context():
        submissions = db.session.scalars(select(Submission)).all()
        users = [None, *(db.session.get(User, p.id) for p in (*people.values(), outsider, gone))]
        for user in users:
            in_python = {s.id for s in submissions
                         if permissions.can_view_dossier(user, s.declaration, s.institution_ids)}
            in_sql = set(db.session.scalars(select(Submission.id).where(permissions.dossier_visible_clause(
                user, Submission, SubmissionRecipient, Declaration, DeclarationDrafter, DeclarationTranslator))))
            assert in_sql == in_python, user and user.email
        assert 0 < len({s.id for s in submissions if permissions.can_view_dossier(
            db.session.get(User, people["reviewer"].id), s.declaration, s.institution_ids)}) < len(submissions)
