"""A home page never lists history: each block shows at most needs.LISTED rows, says how many there are in all,
and links to the whole list. The data beyond a page is made row by row here (the services would take long to
make so many), on top of one declaration submitted through them."""
import hashlib
import re
from datetime import timedelta

from app.accounts.models import User
from app.amendments.models import Amendment
from app.declarations.models import Declaration
from app.extensions import db
from app.home import needs, work
from app.responses.models import Answer, ImplementationUpdate
from app.submissions.models import Submission, SubmissionClosure, SubmissionRecipient, SubmittedRecommendation
from app.time import utcnow
from tests.helpers import login, sign, without_bdi

LISTED = needs.LISTED
MORE = LISTED + 3


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return without_bdi(response)


def _declarations(app, people, n, *, phase, title, visibility="members", **fields) -> list[int]:
    with app.app_context():
        made = [Declaration(title=f"{title} {i}", phase=phase, visibility=visibility,
                            created_by_id=people["coordinator"].id, updated_at=utcnow() - timedelta(hours=i), **fields)
                for i in range(n)]
        db.session.add_all(made)
        db.session.commit()
        return [d.id for d in made]


def _submissions(app, people, base: Submission, n, *, title="Also submitted", acknowledged=False,
                 answered=False, closed=False) -> list[int]:
    """n submissions to the reviewer's institution, newer than the one submitted (a copy of its row on a
    declaration of its own), each with two recommendations; acknowledged and answered if asked."""
    institution = people["reviewer"].institution_id
    declarations = _declarations(app, people, n, phase="submitted", title=f"{title} declaration")
    with app.app_context():
        original = db.session.get(Submission, base.id)
        items = db.session.scalars(db.select(SubmittedRecommendation).where(
            SubmittedRecommendation.submission_id == original.id).order_by(SubmittedRecommendation.number)).all()[:2]
        ids = []
        for i, declaration_id in enumerate(declarations):
            when = utcnow() + timedelta(minutes=i + 1)
            submission = Submission(
                declaration_id=declaration_id, version_id=original.version_id, text_sha256=original.text_sha256,
                sha256=hashlib.sha256(f"{title}-{i}".encode()).hexdigest(), title=f"{title} {i}", content={},
                sections_html={}, submitted_by_id=people["coordinator"].id, submitted_at=when)
            db.session.add(submission)
            db.session.flush()
            db.session.add(SubmissionRecipient(submission_id=submission.id, institution_id=institution,
                                               acknowledged_at=when if acknowledged else None,
                                               first_published_at=when if answered else None))
            for item in items:
                copy = SubmittedRecommendation(submission_id=submission.id, recommendation_id=item.recommendation_id,
                                               number=item.number, pillar=item.pillar, themes=item.themes,
                                               addressees=item.addressees, text_html=item.text_html)
                db.session.add(copy)
                db.session.flush()
                if answered:
                    db.session.add(Answer(item_id=copy.id, institution_id=institution, number=1, position="supported",
                                          author_id=people["reviewer"].id, published_at=when))
            if closed:
                db.session.add(SubmissionClosure(submission_id=submission.id, closed_by_id=people["coordinator"].id))
            ids.append(submission.id)
        db.session.commit()
        return ids


def test_a_reviewers_queue_shows_the_newest_that_need_them_with_the_total_and_a_link(app, client, people, submitted):
    _declaration, base = submitted
    waiting = _submissions(app, people, base, MORE)
    done = _submissions(app, people, base, 2, title="Answered", acknowledged=True, answered=True)
    closed = _submissions(app, people, base, 2, title="Closed", closed=True)
    login(client, people["reviewer"].email)
    page = _home(client)
    shown = [int(i) for i in re.findall(r'href="/submissions/(\d+)/respond"', page)]
    assert shown == list(reversed(waiting))[:LISTED]  # newest first, at most LISTED
    assert not set(done + closed + [base.id]) & set(shown)
    institution = people["reviewer"].institution_id
    assert f'<a href="/submissions?institution={institution}">{MORE + 1} submissions wait for your institution</a>' \
        in page  # the base submission waits too (not acknowledged)


def test_a_reviewer_with_nothing_waiting_is_told_so_and_sent_to_the_list(app, client, people, submitted):
    _declaration, base = submitted
    with app.app_context():
        db.session.add(SubmissionClosure(submission_id=base.id, closed_by_id=people["coordinator"].id))
        db.session.commit()
    login(client, people["reviewer"].email)
    page = _home(client)
    assert "No submission waits for your institution now." in page
    assert f'href="/submissions?institution={people["reviewer"].institution_id}"' in page
    assert "Nothing has been submitted to your institution yet." not in page


def _due_reference(app, institution_id, today):
    """updates_due as it was computed before, in Python over every published answer."""
    with app.app_context():
        implemented = set(db.session.scalars(db.select(ImplementationUpdate.item_id).where(
            ImplementationUpdate.institution_id == institution_id, ImplementationUpdate.status == "implemented")))
        latest = {}
        for answer in db.session.scalars(db.select(Answer).where(
                Answer.institution_id == institution_id, Answer.published_at.is_not(None))
                .order_by(Answer.number.desc())):
            latest.setdefault(answer.item_id, answer)
        due = [a for a in latest.values() if a.item_id not in implemented and a.target_date is not None
               and a.target_date <= today + timedelta(days=30)]
        return [a.id for a in sorted(due, key=lambda a: (a.target_date, a.id))]


def test_updates_due_are_the_soonest_few_of_the_newest_answers_with_the_total_and_a_link(app, client, people,
                                                                                       submitted, monkeypatch):
    _declaration, base = submitted
    submissions = _submissions(app, people, base, MORE, acknowledged=True)
    institution, today = people["reviewer"].institution_id, utcnow().date()
    with app.app_context():
        items = db.session.scalars(db.select(SubmittedRecommendation).where(
            SubmittedRecommendation.submission_id.in_(submissions)).order_by(SubmittedRecommendation.id)).all()
        for i, item in enumerate(items):
            target = today + timedelta(days=(i * 7) % 50 - 20)  # passed, soon, and beyond 30 days
            db.session.add(Answer(item_id=item.id, institution_id=institution, number=1, position="supported",
                                  target_date=target, author_id=people["reviewer"].id, published_at=utcnow()))
            if i % 5 == 1:  # a newer answer moves the date beyond 30 days
                db.session.add(Answer(item_id=item.id, institution_id=institution, number=2, position="supported",
                                      target_date=today + timedelta(days=90), author_id=people["reviewer"].id,
                                      published_at=utcnow()))
            if i % 5 == 2:
                db.session.add(ImplementationUpdate(item_id=item.id, institution_id=institution, status="implemented",
                                                    happened_on=today, author_id=people["reviewer"].id))
            if i % 5 == 3:  # a draft (not published) does not count
                db.session.add(Answer(item_id=item.id, institution_id=institution, number=2, position="rejected",
                                      target_date=today + timedelta(days=90), author_id=people["reviewer"].id))
        db.session.commit()
    expected = _due_reference(app, institution, today)
    assert len(expected) > LISTED
    with app.test_request_context():
        due = work.updates_due(db.session.get(User, people["reviewer"].id), today)
        assert [answer.id for answer, _item in due] == expected[:LISTED] and due.total == len(expected)
    login(client, people["reviewer"].email)
    page = _home(client)
    block = page[page.index("Implementation updates due"):]
    assert len(re.findall(r'href="/submissions/\d+/recommendations/\d+/update"', block)) == LISTED
    assert (f'<a href="/tracker?institution={institution}&amp;due=1">{len(expected)} implementation updates due</a>'
            in block)
    # over the count's limit, the home says "more than" (the tracker behind the link counts them all)
    monkeypatch.setattr(work, "DUE_COUNTED", len(expected) - 1)
    block = _home(client)[page.index("Implementation updates due"):]
    assert (f'<a href="/tracker?institution={institution}&amp;due=1">More than {len(expected) - 1} implementation '
            f'updates due</a>') in block


def test_a_coordinators_blocks_show_a_few_with_the_totals_and_links(app, client, people, submitted):
    _declaration, base = submitted
    drafts = _declarations(app, people, MORE, phase="drafting", title="Draft")
    signing = _declarations(app, people, MORE, phase="signon", title="Signing")
    closed = _declarations(app, people, 2, phase="signon", title="Closed sign-on",
                           signon_deadline=utcnow() - timedelta(days=1))
    _submissions(app, people, base, MORE)
    answered = _submissions(app, people, base, 1, title="Answered", acknowledged=True, answered=True)
    amended = _declarations(app, people, MORE, phase="consultation", title="Amended")
    with app.app_context():
        for declaration_id in amended:
            db.session.add(Amendment(declaration_id=declaration_id, base_revision_id=0,
                                     proposer_id=people["member"].id, text_source="x", text_html="<p>x</p>",
                                     rationale_source="y", rationale_html="<p>y</p>", version_number=1))
        db.session.commit()
    login(client, people["coordinator"].email)
    page = _home(client)
    edited = [int(i) for i in re.findall(r'href="/declarations/(\d+)/edit"', page)]
    assert edited == drafts[:LISTED]  # the most recently changed first
    assert f'<a href="/declarations?phase=drafting">{MORE} texts being drafted or revised</a>' in page
    table = page[page.index("<h3>Sign-on</h3>"):page.index("</table>")]
    assert len(re.findall(r'href="/declarations/(\d+)/signatories"', table)) == LISTED
    # a closed sign-on waits for the coordinator to submit it: listed first, said to be closed, with its link
    shown = [int(i) for i in re.findall(r'href="/declarations/(\d+)/signatories"', table)]
    assert shown[:2] == sorted(closed) and set(shown[2:]) <= set(signing)
    assert table.count("Sign-on closed") == 2
    assert all(f'href="/declarations/{d}/submit"' in table for d in closed)
    assert f'<a href="/declarations?phase=signon">{MORE + 2} declarations in sign-on</a>' in page
    follow = page[page.index("Submissions awaiting the government"):]
    assert len(re.findall(r'<li><a href="/submissions/\d+"', follow)) == LISTED
    assert f'href="/submissions/{answered[0]}"' not in follow
    assert f'<a href="/submissions">{MORE + 1} submissions await the government</a>' in follow
    assert len(re.findall(r'amendments\?status=pending', page)) == LISTED
    assert f"{MORE - LISTED} more declarations have amendments waiting" in page


def test_a_members_consultations_are_a_few_with_the_total_and_a_link(app, client, people):
    _declarations(app, people, MORE, phase="consultation", title="Members consultation")
    _declarations(app, people, 2, phase="consultation", title="Public consultation", visibility="public")
    _declarations(app, people, 2, phase="consultation", title="Over",
                  consultation_deadline=utcnow() - timedelta(days=1))
    _declarations(app, people, 2, phase="drafting", title="Somebody's draft")
    login(client, people["member"].email)
    page = _home(client)
    block = page[page.index("Consultations open to you"):page.index("On what you wrote")]
    assert len(re.findall(r'<li><a href="/declarations/\d+"', block)) == LISTED
    assert "Over " not in block and "draft" not in block
    assert f'<a href="/declarations?phase=consultation">{MORE + 2} declarations in consultation</a>' in block


def test_a_visitor_sees_a_few_public_ones_and_no_sign_on_past_its_deadline(app, client, people):
    _declarations(app, people, MORE, phase="consultation", title="Public consultation", visibility="public")
    _declarations(app, people, 3, phase="consultation", title="Members consultation")
    _declarations(app, people, MORE, phase="signon", title="Public sign-on", visibility="public",
                  signon_deadline=utcnow() + timedelta(days=3))
    _declarations(app, people, 2, phase="signon", title="Expired sign-on", visibility="public",
                  signon_deadline=utcnow() - timedelta(hours=1))
    _declarations(app, people, 2, phase="signon", title="Members sign-on")
    page = _home(client)
    comment = page[page.index("Open for comment"):page.index("Open for signature")]
    assert len(re.findall(r'<li><a href="/declarations/\d+"', comment)) == LISTED
    assert "Members consultation" not in page
    assert f'<a href="/declarations?phase=consultation">{MORE} declarations in consultation</a>' in comment
    signing = page[page.index("Open for signature"):page.index("Submitted to government")]
    assert len(re.findall(r'<li><a href="/declarations/\d+"', signing)) == LISTED
    assert "Expired sign-on" not in page and "Members sign-on" not in page
    assert f'<a href="/declarations?phase=signon">{MORE} declarations open for signature</a>' in signing


def test_a_visitor_no_longer_sees_a_sign_on_once_its_deadline_has_passed(app, client, people, make_declaration):
    d = make_declaration("signon", visibility="public", title="Public sign-on")
    with app.app_context():
        db.session.get(Declaration, d.id).signon_deadline = utcnow() + timedelta(days=1)
        db.session.commit()
    assert "Public sign-on" in _home(client)
    with app.app_context():
        db.session.get(Declaration, d.id).signon_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = _home(client)
    assert "Public sign-on" not in page and "No public declaration is open for signature now." in page


def test_what_waits_for_a_signature_is_a_few_of_those_not_yet_signed_with_how_many_more(app, client, people,
                                                                                     make_declaration):
    made = [make_declaration("signon", title=f"Statement {n}").id for n in range(LISTED + 4)]
    login(client, people["representative"].email)
    for declaration_id in made[:3]:  # signed: no longer waiting, and the next ones take their place
        assert sign(client, declaration_id).status_code == 303
    page = _home(client)
    block = page[page.index("Waiting for your signature"):page.index("Consultations open to you")]
    assert [int(i) for i in re.findall(r'href="/declarations/(\d+)/sign"', block)] == made[3:3 + LISTED]
    assert '<a href="/declarations?phase=signon">1 more waits for your signature</a>' in block
