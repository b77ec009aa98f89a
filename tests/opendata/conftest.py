"""A small site like the demo's, with everything open data must leave out beside what it must show: a public
dossier answered (with a later draft that was never published), a members-only dossier answered too, a declaration
still in drafting, signers in every visibility tier, a line joining a public and a members-only recommendation to
the years before Sanad, and deadlines per institution."""
import os
import tempfile
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from app.accounts.models import User
from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.lines.models import EarlierAnswer, EarlierDeclaration, EarlierRecommendation, RecommendationLine
from app.responses import services as responses
from app.responses.models import Assessment
from app.signatures import queries as signature_queries
from app.submissions import services as submissions
from app.submissions.models import RecipientDeadline, Submission
from app.time import utcnow

# schemathesis's Hypothesis keeps what it learns outside the work tree (tests/opendata/test_openapi.py).
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "sanad-hypothesis"))

SECRET_DRAFT = "A draft nobody outside the ministry has seen"
MEMBERS_ANSWER = "An answer on the members-only statement"
MEMBERS_TITLE = "Members-only statement"
DRAFTING_TITLE = "A statement still in drafting"


def _answer(reviewer, submission, recommendation_id, position, explanation):
    responses.save_answer(reviewer, submission, recommendation_id, position=position, explanation=explanation,
                          lead_institution_id=reviewer.institution_id, target_date=date.today() + timedelta(days=90))


@pytest.fixture
def open_site(app, people, submitted, make_declaration):
    """Ids and the words that must never appear (SimpleNamespace)."""
    declaration, submission = submitted
    members = make_declaration("signon", visibility="members", title=MEMBERS_TITLE)
    drafting = make_declaration("drafting", visibility="public", title=DRAFTING_TITLE)
    consultation = make_declaration("consultation", visibility="public", title="A public consultation")
    with app.app_context():
        coordinator = db.session.get(User, people["coordinator"].id)
        reviewer = db.session.get(User, people["reviewer"].id)
        public = db.session.get(Submission, submission.id)
        public_declaration = db.session.get(Declaration, declaration.id)
        responses.acknowledge(reviewer, public, public_declaration)
        _answer(reviewer, public, declaration.recommendations[0], "noted", "We note it, for these reasons.")
        _answer(reviewer, public, declaration.recommendations[1], "supported", "Shelters are planned.")
        responses.publish(reviewer, public, public_declaration)
        responses.post_update(reviewer, public, declaration.recommendations[1], status="in_progress",
                              evidence="Two shelters opened.", happened_on=date.today())
        _answer(reviewer, public, declaration.recommendations[0], "not_supported", SECRET_DRAFT)  # never published
        item = responses.submitted_recommendation_for(public, declaration.recommendations[1])
        db.session.add(Assessment(item_id=item.id, rating="limited", notes="Two of eight provinces.",
                                  author_id=coordinator.id))
        # The submission gave each recipient the settings' deadlines (app/submissions/deadlines.py).
        assert db.session.get(RecipientDeadline, (public.id, reviewer.institution_id)) is not None
        hidden_declaration = db.session.get(Declaration, members.id)
        hidden = submissions.submit(coordinator, hidden_declaration,
                                    version_id=signature_queries.signing_version(hidden_declaration).id,
                                    institution_ids=[reviewer.institution_id])
        responses.acknowledge(reviewer, hidden, hidden_declaration)
        _answer(reviewer, hidden, members.recommendations[0], "noted", MEMBERS_ANSWER)
        responses.publish(reviewer, hidden, hidden_declaration)
        responses.post_update(reviewer, hidden, members.recommendations[0], status="not_started",
                              evidence="Members-only progress.", happened_on=date.today())
        hidden_item = responses.submitted_recommendation_for(hidden, members.recommendations[0])
        db.session.add(Assessment(item_id=hidden_item.id, rating="complete", notes="Members-only assessment.",
                                  author_id=coordinator.id))
        line = RecommendationLine(created_by_id=coordinator.id)
        db.session.add(line)
        db.session.flush()
        for recommendation_id in (declaration.recommendations[0], members.recommendations[0]):
            db.session.get(Recommendation, recommendation_id).line_id = line.id
        earlier = EarlierDeclaration(year=2022, title="Declaration of 2022", submitted_on=date(2022, 9, 1),
                                     imported_by_id=coordinator.id)
        db.session.add(earlier)
        db.session.flush()
        earlier_recommendation = EarlierRecommendation(
            declaration_id=earlier.id, number=4, text="Create specialised units.", pillar="pursue",
            themes=["trafficking"], sdg_targets=["16.4"], groups=["victims_witnesses"], line_id=line.id,
            assessment="not_started")
        db.session.add(earlier_recommendation)
        db.session.flush()
        db.session.add(EarlierAnswer(recommendation_id=earlier_recommendation.id,
                                     institution_id=reviewer.institution_id, position="noted",
                                     explanation="Noted in 2022.", answered_on=date(2022, 12, 1)))
        db.session.commit()
        hidden_rep = db.session.scalar(db.select(User).where(User.email == "hidden-rep@example.org"))
        return SimpleNamespace(
            declaration=declaration, submission_id=public.id, members=members, members_submission_id=hidden.id,
            drafting=drafting, consultation=consultation, line_id=line.id, institution_id=reviewer.institution_id,
            earlier_recommendation_id=earlier_recommendation.id, now=utcnow(),
            never=[SECRET_DRAFT, MEMBERS_ANSWER, MEMBERS_TITLE, DRAFTING_TITLE, "Members-only progress.",
                   "Members-only assessment.", "Safe Haven Society", people["expert"].name,
                   people["representative"].name, hidden_rep.name, reviewer.name, reviewer.email,
                   coordinator.name, coordinator.email, "password", "totp"])
