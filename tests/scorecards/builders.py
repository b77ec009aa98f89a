"""Submissions, deadlines, answers, updates and assessments made row by row for the scorecard's tests: a set whose
every figure is known by hand (what is on time, late, missing; the days each took)."""
import hashlib
import itertools
from datetime import date, datetime, time, timedelta

from app.declarations.models import Declaration, Recommendation, Version
from app.extensions import db
from app.institutions.models import Institution
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.submissions.models import RecipientDeadline, Submission, SubmissionRecipient, SubmittedRecommendation
from app.time import local_date, utcnow

_serial = itertools.count(1)


def today(app) -> date:
    """Today in the site's time zone, as the scorecard counts."""
    with app.app_context():
        return local_date(utcnow())


class Story:
    """Makes the rows. Days are counted back from the site's today: day(n) is n days ago, at(n) noon there
    (07:00 UTC in Karachi), so that no moment falls near a local midnight unless a test means it to."""

    def __init__(self, app, people):
        self.app, self.people, self.today = app, people, today(app)
        self.author = people["coordinator"].id

    def day(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def at(self, n: int, hour: int = 7) -> datetime:
        return datetime.combine(self.day(n), time(hour))

    def institution(self, name: str, acronym: str = "") -> int:
        with self.app.app_context():
            made = Institution(name=name, acronym=acronym)
            db.session.add(made)
            db.session.commit()
            return made.id

    def submission(self, institution_ids: list[int], *, submitted: datetime, visibility: str = "public",
                   acknowledged: dict[int, datetime] | None = None, deadlines: dict[int, tuple] | None = None,
                   items: list[dict] = ()) -> dict:
        """A submitted declaration to these institutions. acknowledged: institution → when; deadlines:
        institution → (acknowledge_by, answer_by); items: {"pillar", "addressees"} each. Returns the ids:
        {"submission": id, "items": [item ids], "recommendations": [recommendation ids]}."""
        n = next(_serial)
        with self.app.app_context():
            declaration = Declaration(title=f"Declaration {n}", phase="submitted", visibility=visibility,
                                      created_by_id=self.author)
            db.session.add(declaration)
            db.session.flush()
            version = Version(declaration_id=declaration.id, number=1, phase="signon", content={},
                              sha256="0" * 64, created_by_id=self.author)
            db.session.add(version)
            db.session.flush()
            submission = Submission(declaration_id=declaration.id, version_id=version.id, text_sha256="1" * 64,
                                    sha256=hashlib.sha256(f"scorecard-{n}".encode()).hexdigest(),
                                    title=f"Submission {n}", content={"institutions": {}}, sections_html={},
                                    submitted_by_id=self.author, submitted_at=submitted)
            db.session.add(submission)
            db.session.flush()
            for institution_id in institution_ids:
                db.session.add(SubmissionRecipient(submission_id=submission.id, institution_id=institution_id,
                                                   acknowledged_at=(acknowledged or {}).get(institution_id)))
            for institution_id, (acknowledge_by, answer_by) in (deadlines or {}).items():
                db.session.add(RecipientDeadline(submission_id=submission.id, institution_id=institution_id,
                                                 acknowledge_by=acknowledge_by, answer_by=answer_by))
            made, recommendations = [], []
            for number, item in enumerate(items, start=1):
                recommendation = Recommendation(declaration_id=declaration.id, position=number)
                db.session.add(recommendation)
                db.session.flush()
                row = SubmittedRecommendation(
                    submission_id=submission.id, recommendation_id=recommendation.id, number=number,
                    pillar=item.get("pillar", "prevent"), themes=["trafficking"],
                    addressees=list(item.get("addressees", institution_ids[:1])), text_html=f"<p>Item {number}</p>")
                db.session.add(row)
                db.session.flush()
                made.append(row.id)
                recommendations.append(recommendation.id)
            db.session.commit()
            return {"submission": submission.id, "items": made, "recommendations": recommendations}

    def answer(self, item_id: int, institution_id: int, position: str, published: datetime | None, number: int = 1):
        """An answer (a draft when published is None)."""
        with self.app.app_context():
            db.session.add(Answer(item_id=item_id, institution_id=institution_id, number=number, position=position,
                                  author_id=self.people["reviewer"].id, created_at=published or utcnow(),
                                  published_at=published))
            db.session.commit()

    def update(self, item_id: int, institution_id: int, happened_on: date, status: str = "in_progress"):
        with self.app.app_context():
            db.session.add(ImplementationUpdate(item_id=item_id, institution_id=institution_id, status=status,
                                                happened_on=happened_on, author_id=self.people["reviewer"].id))
            db.session.commit()

    def assess(self, item_id: int, rating: str):
        with self.app.app_context():
            db.session.add(Assessment(item_id=item_id, rating=rating, author_id=self.author))
            db.session.commit()
