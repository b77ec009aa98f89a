"""The growth benchmark's data: N alliance-years on a migrated database, with the same probes at every size.

The probes are the demo alliance (app/demo), loaded first through the site's own services, so that every
version, dossier and answer a probe page shows is genuine: the newest submission (answered by the Ministry of
Interior), the newest declaration in sign-on, the consultation whose deadline is moved to 36 hours from now
(the closing reminder's work), its coordinator, its reviewer (whose institution's scorecard is measured), a line
of the submission's recommendations (the demo's, with its imported years), and a member whose comments have
replies. Their
URLs and logins are the same at every size.

Then N alliance-years, each dated a year further back, one after the other. One year is 5 declarations (drafting,
consultation, sign-on, and two submitted and answered), 150 recommendations with pillars, themes and a
classification, each carrying forward the one in its place the year before (lines of up to five years), 1,500
comments (threads with replies; some held for moderation, some flagged), 60 organizations (54 verified),
100 people (60 representatives, 25 members, 10 experts, 2 coordinators, 3 reviewers), 300 signatures,
2 submissions to the demo's two institutions with deadlines and published answers (half after the deadline, a
third with a target date, due; one in seven never answered by the second institution),
implementation updates and assessments, and digest notifications waiting for 10 people. Versions and
submissions go through declarations.snapshot and submissions.submit (real hashes and dossiers; the
submission's notice to the whole alliance is left out, as it would write N × members notifications of
history); the rest is inserted with SQLAlchemy Core, many rows per statement, and indexed for search as the
site indexes it. 1× is the demo plus one year; N× the demo plus N years.
"""
import itertools
from datetime import timedelta

from sqlalchemy import bindparam, func, insert, select, update

from app.accounts.models import User
from app.comments.models import Comment, CommentFlag
from app.declarations import services as declarations
from app.declarations.models import Declaration, Recommendation, RecommendationRevision, Section, SectionRevision
from app.demo import load_demo
from app.demo.story import story_clock
from app.extensions import db
from app.institutions.models import Institution
from app.lines.models import RecommendationLine
from app.markup import render_markdown
from app.notifications.models import Notification
from app.organizations.models import Organization
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.search.models import SearchDocument
from app.search.text import fold
from app.signatures.models import Signature
from app.signatures.queries import signing_version
from app.submissions import services as submissions
from app.submissions.models import Submission, SubmissionRecipient, SubmittedRecommendation
from app.time import utcnow

PROBE_MEMBER, PROBE_COORDINATOR, PROBE_REVIEWER = "member@example.org", "coordinator@example.org", \
    "reviewer@example.org"
PROBE_REPRESENTATIVE = "rep@example.org"
COMMON_WORD = "police"       # in half the comments of every year, and in the demo's texts
RARE_WORD = "qalamkar"       # in one comment of the demo's consultation only
PILLARS = ["prevent", "pursue", "protect", "promote"]
THEMES = ["trafficking", "smuggling", "firearms", "cybercrime", "money_laundering", "drugs", "corruption", "victims"]
ORG_TYPES = ["ngo", "network", "think_tank", "academic", "media", "other"]
PROVINCES = ["punjab", "sindh", "kp", "balochistan", "ict", "gb", "ajk"]
POSITIONS = ["supported", "partially", "noted"]
UNTOC = ["tip-6", "som-6", "untoc-24", "firearms"]
SDGS = ["5.2", "8.7", "10.7", "16.1", "16.2"]
GROUPS = ["women", "children", "migrants", "victims_witnesses"]
LINE_YEARS = 5
STATUSES = ["not_started", "in_progress", "implemented"]
RATINGS = ["limited", "substantial", "not_started"]
COMMENTS = [
    "The provincial police need a dedicated unit for this, with a budget of its own and trained investigators.",
    "We support this recommendation; survivors in our district say shelters are full by the middle of the year.",
    "Please name the ministry responsible and set a deadline, otherwise the police will not act on it.",
    "Our network collected 200 testimonies last year; we can share the data with the drafting group.",
]
REPLY = "Agreed — and the police should publish the figures every quarter so that progress can be checked."
YEAR = {"declarations": 5, "recommendations": 150, "comments": 1500, "organizations": 60, "users": 100,
        "signatures": 300, "submissions": 2}


def build(size: int) -> dict:
    """Load the probes, then `size` alliance-years; returns the probes' ids. Runs in an app context."""
    load_demo()
    db.session.commit()
    probes = _probes()
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(
        [PROBE_MEMBER, PROBE_COORDINATOR, PROBE_REVIEWER, "reviewer2@example.org"])))}
    institutions = {u.institution_id: u.id for u in people.values() if u.institution_id}
    original_notice = submissions.notify_alliance_of_submission
    submissions.notify_alliance_of_submission = lambda *args, **kwargs: None
    try:
        lines = {}
        for year in range(1, size + 1):
            _year(year, people, institutions, lines)
            db.session.commit()
    finally:
        submissions.notify_alliance_of_submission = original_notice
    _rare_comment(probes, people[PROBE_MEMBER])
    db.session.commit()
    return probes


def _probes() -> dict:
    """The demo's objects the pages are measured on; the consultation now closes within 48 hours."""
    phases = dict(db.session.execute(select(Declaration.phase, Declaration.id)).all())
    consultation = db.session.get(Declaration, phases["consultation"])
    consultation.consultation_deadline = utcnow() + timedelta(hours=36)
    consultation.closing_reminder_sent_for = None
    submission = db.session.scalars(select(Submission).order_by(Submission.submitted_at.desc())).first()
    item = db.session.scalars(select(SubmittedRecommendation).where(
        SubmittedRecommendation.submission_id == submission.id).order_by(SubmittedRecommendation.number)).first()
    reviewer = db.session.scalar(select(User).where(User.email == PROBE_REVIEWER))
    line = db.session.scalar(select(func.min(Recommendation.line_id)).where(
        Recommendation.declaration_id == submission.declaration_id))
    db.session.commit()
    return {"consultation": consultation.id, "signon": phases["signon"], "submission": submission.id,
            "recommendation": item.recommendation_id, "institution": reviewer.institution_id, "line": line}


def _rare_comment(probes: dict, member: User) -> None:
    """The one comment that holds RARE_WORD, by the probe member, on the probe consultation, indexed."""
    body = f"A {RARE_WORD} from Hyderabad wrote to us about this section."
    section_id = db.session.scalar(select(Section.id).where(Section.declaration_id == probes["consultation"])
                                   .order_by(Section.position))
    comment_id = db.session.execute(insert(Comment.__table__).values(
        declaration_id=probes["consultation"], section_id=section_id, author_id=member.id,
        organization_id=member.organization_id, body_source=body, body_html=render_markdown(body),
        version_number=1, status="published").returning(Comment.__table__.c.id)).scalar_one()
    _insert(SearchDocument, [{"kind": "comment", "object_id": comment_id, "declaration_id": probes["consultation"],
                              "title": "", "body": fold(body)}])


def _insert(model, rows: list[dict]) -> None:
    """Many rows in one Core INSERT (executemany); every row with the same keys."""
    if rows:
        db.session.execute(model.__table__.insert(), rows)


def _ids(model, *where) -> list[int]:
    return list(db.session.scalars(select(model.id).where(*where).order_by(model.id)))


def _last_id(model) -> int:
    """The highest id so far: the rows inserted next have higher ones (found by primary key, not by a scan)."""
    return db.session.scalar(select(func.max(model.id))) or 0


def _year(year: int, people: dict, institutions: dict[int, int], lines: dict) -> None:
    """One alliance-year, dated `year` years back."""
    start = utcnow() - timedelta(days=365 * year)
    coordinator = people[PROBE_COORDINATOR]
    organizations = _organizations(year, start)
    users = _users(year, start, organizations, list(institutions))
    with story_clock(start):
        made = [Declaration(title=f"Year {year}: {name}", summary=f"What the alliance asked in year {year}.",
                            phase="drafting", visibility="members" if n == 0 else "public",
                            created_by_id=coordinator.id) for n, name in enumerate(
                    ("draft on cybercrime", "declaration on firearms", "statement on victims",
                     "recommendations on smuggling", "recommendations on trafficking"))]
        db.session.add_all(made)
        db.session.flush()
        recommendations = _text(year, made, coordinator.id, start, lines)
        for declaration, phase in zip(made[1:], ("consultation", "signon", "signon", "signon"), strict=True):
            declaration.phase = "consultation"
            declaration.consultation_deadline = start + timedelta(days=30)
            declarations.snapshot(coordinator, declaration, "consultation")
            if phase == "signon":
                declaration.phase, declaration.signon_deadline = "signon", start + timedelta(days=60)
                version = declarations.snapshot(coordinator, declaration, "signon")
                _signatures(declaration, version, organizations, users)
        _comments(year, made[1:], recommendations, users, people[PROBE_MEMBER], start)
        for declaration in made[3:]:
            version = signing_version(declaration)
            submission = submissions.submit(coordinator, declaration, version_id=version.id,
                                            institution_ids=sorted(institutions))
            _answers(submission, institutions, start)
            declaration.phase = "responded"
    _notifications(users)
    _index(made, recommendations)


def _organizations(year: int, start) -> list[int]:
    last = _last_id(Organization)
    _insert(Organization, [{
        "name": f"Year {year} organization {n:02d}", "acronym": f"Y{year}O{n}", "type": ORG_TYPES[n % 6],
        "province": PROVINCES[n % 7], "city": "Lahore", "verified": n % 10 != 9,
        "verified_at": start if n % 10 != 9 else None, "created_at": start} for n in range(YEAR["organizations"])])
    return _ids(Organization, Organization.id > last)


def _users(year: int, start, organizations: list[int], institution_ids: list[int]) -> dict[str, list[int]]:
    """60 representatives, 25 members (10 of them on the daily digest, 1 in 5 reading Urdu), 10 experts,
    2 coordinators, 3 reviewers."""
    roles = ([("representative", organizations[n], None, None) for n in range(60)]
             + [("member", organizations[n * 2], None, None) for n in range(25)]
             + [(None, None, None, None)] * 10 + [(None, None, "coordinator", None)] * 2
             + [(None, None, "reviewer", institution_ids[n % len(institution_ids)]) for n in range(3)])
    last = _last_id(User)
    _insert(User, [{
        "email": f"y{year}-u{n}@example.org", "password_hash": "!bench", "name": f"Person {n} of year {year}",
        "org_role": org_role, "organization_id": organization_id, "platform_role": platform_role,
        "institution_id": institution_id, "is_expert": 85 <= n < 95, "language": "ur" if n % 5 == 4 else "en",
        "notification_mode": "daily" if 60 <= n < 70 else "immediate", "created_at": start}
        for n, (org_role, organization_id, platform_role, institution_id) in enumerate(roles)])
    by_number = dict(db.session.execute(select(User.email, User.id).where(User.id > last)).all())
    numbered = [by_number[f"y{year}-u{n}@example.org"] for n in range(len(roles))]
    return {"representatives": numbered[:60], "members": numbered[60:85], "experts": numbered[85:95],
            "all": numbered}


def _text(year: int, made: list[Declaration], author_id: int, start, lines: dict) -> dict[int, list[int]]:
    """Two sections and 30 recommendations a declaration, each with its first revision, classified and in a
    line; their ids."""
    per = YEAR["recommendations"] // len(made)
    ids = [d.id for d in made]
    _insert(Section, [{"declaration_id": d, "position": p} for d in ids for p in (1, 2)])
    _insert(Recommendation, [{"declaration_id": d, "position": p + 1} for d in ids
                                                for p in range(per)])
    sections = db.session.execute(select(Section.id, Section.position).where(Section.declaration_id.in_(ids))).all()
    body = f"Year {year}: the alliance's findings, gathered from its members over the year."
    _insert(SectionRevision, [{
        "section_id": s.id, "number": 1, "heading": f"Part {s.position}", "body_source": body,
        "body_html": render_markdown(body), "author_id": author_id, "created_at": start} for s in sections])
    recs = db.session.execute(select(Recommendation.id, Recommendation.declaration_id, Recommendation.position)
                              .where(Recommendation.declaration_id.in_(ids))).all()
    _insert(RecommendationRevision, [{
        "recommendation_id": r.id, "number": 1,
        "text_source": (text := f"Recommendation {r.position} of year {year}: train and equip specialised units."),
        "text_html": render_markdown(text), "pillar": PILLARS[r.position % 4],
        "themes": [THEMES[r.position % 8], THEMES[(r.position + 3) % 8]], "addressees": [],
        "untoc": [UNTOC[r.position % 4]], "sdg_targets": [SDGS[r.position % 5], "16.4"],
        "groups": [GROUPS[r.position % 4]], "author_id": author_id, "created_at": start} for r in recs])
    _lines(year, made, recs, lines)
    for model, revision in ((Section, SectionRevision), (Recommendation, RecommendationRevision)):
        table, key = model.__table__, getattr(revision, f"{model.__tablename__[:-1]}_id")
        db.session.execute(update(table).where(table.c.declaration_id.in_(ids)).values(
            current_revision_id=select(revision.id).where(key == table.c.id).scalar_subquery()))
    for declaration in made:
        db.session.expire(declaration)
    grouped = {d: [] for d in ids}
    for r in sorted(recs, key=lambda r: r.position):
        grouped[r.declaration_id].append(r.id)
    return grouped


def _lines(year: int, made: list[Declaration], recs, lines: dict) -> None:
    """Each recommendation carries forward the one in the same place of the year before, for five years: a
    line is at most five years long, at any size (as an alliance's asks are renewed or dropped)."""
    keys = {r.id: (slot, r.position, (year - 1) // LINE_YEARS) for slot, declaration in enumerate(made)
            for r in recs if r.declaration_id == declaration.id}
    new = sorted(set(keys.values()) - set(lines))
    first = _last_id(RecommendationLine)
    _insert(RecommendationLine, [{"created_at": utcnow()} for _ in new])
    lines.update(zip(new, _ids(RecommendationLine, RecommendationLine.id > first), strict=True))
    table = Recommendation.__table__
    db.session.execute(update(table).where(table.c.id == bindparam("rid")).values(line_id=bindparam("lid")),
                       [{"rid": rid, "lid": lines[key]} for rid, key in keys.items()])


def _signatures(declaration: Declaration, version, organizations: list[int], users: dict) -> None:
    """100 signatures: the year's 60 organizations and 40 people signing for themselves."""
    visibility = ["public", "public", "alliance", "coordinators"]
    rows = [{"declaration_id": declaration.id, "version_id": version.id, "sha256": version.sha256,
             "capacity": "organization", "organization_id": o, "user_id": None, "signer_name": f"Director {n}",
             "signer_designation": "Director", "visibility": visibility[n % 4], "status": "active"}
            for n, o in enumerate(organizations)]
    signers = (users["members"] + users["experts"] + users["representatives"])[:40]
    rows += [{"declaration_id": declaration.id, "version_id": version.id, "sha256": version.sha256,
              "capacity": "individual", "organization_id": None, "user_id": u, "signer_name": f"Signer {n}",
              "signer_designation": "",
              "visibility": visibility[n % 4], "status": "active"} for n, u in enumerate(signers)]
    _insert(Signature, rows)


def _comments(year: int, discussed: list[Declaration], recommendations: dict, users: dict, member: User,
              start) -> None:
    """1,500 comments: 900 opening threads on recommendations and sections, 600 replies; 3% held for
    moderation, 1% hidden, 1% flagged; two by the probe member, each with replies."""
    authors = users["all"][:95]
    targets = [(d.id, None, r) for d in discussed for r in recommendations[d.id]]
    targets += [(d.id, s, None) for d in discussed for s in _ids(Section, Section.declaration_id == d.id)]
    html = {text: render_markdown(text) for text in [*COMMENTS, REPLY]}
    opening = [{"declaration_id": d, "section_id": s, "recommendation_id": r,
                "author_id": member.id if n < 2 else authors[n % len(authors)],
                "organization_id": member.organization_id if n < 2 else None,
                "body_source": (text := COMMENTS[n % len(COMMENTS)]), "body_html": html[text], "version_number": 1,
                "status": "pending" if n % 33 == 5 else "hidden" if n % 100 == 7 else "published",
                "created_at": start + timedelta(days=1 + n % 28, minutes=n)}
               for n, (d, s, r) in zip(range(900), itertools.cycle(targets))]
    _insert(Comment, opening)
    parents = db.session.execute(select(Comment.id, Comment.declaration_id, Comment.section_id,
                                        Comment.recommendation_id, Comment.author_id)
                                 .where(Comment.declaration_id.in_([d.id for d in discussed]),
                                        Comment.parent_id.is_(None)).order_by(Comment.id)).all()
    mine = [p for p in parents if p.author_id == member.id][:2]
    replied = mine * 3 + parents[:600 - len(mine) * 3]
    _insert(Comment, [{
        "declaration_id": p.declaration_id, "section_id": p.section_id, "recommendation_id": p.recommendation_id,
        "parent_id": p.id, "author_id": authors[(n * 7) % len(authors)], "body_source": REPLY, "body_html": html[REPLY],
        "version_number": 1, "status": "pending" if n % 40 == 3 else "published",
        "created_at": start + timedelta(days=2 + n % 27, minutes=n)} for n, p in enumerate(replied)])
    _insert(CommentFlag, [{"comment_id": p.id, "user_id": authors[-1], "reason": "Off topic."}
                                             for p in parents[5::100]])


def _answers(submission: Submission, institutions: dict[int, int], start) -> None:
    """A published answer from each institution to every recommendation, a third with a target date (due),
    half of them after the deadline; the second institution never answers one in seven (overdue for good);
    ten implementation updates and ten assessments."""
    items = db.session.scalars(select(SubmittedRecommendation.id).where(
        SubmittedRecommendation.submission_id == submission.id).order_by(SubmittedRecommendation.number)).all()
    second = max(institutions)
    _insert(Answer, [{
        "item_id": item, "institution_id": institution, "number": 1, "position": POSITIONS[n % 3],
        "explanation": "The ministry will take this up with the provinces.", "lead_institution_id": institution,
        "target_date": (start + timedelta(days=300)).date() if n % 3 == 0 else None, "author_id": reviewer,
        "created_at": (when := start + timedelta(days=60 if n % 2 else 120)), "updated_at": when,
        "published_at": when, "published_by_id": reviewer}
        for n, item in enumerate(items) for institution, reviewer in institutions.items()
        if not (institution == second and n % 7 == 0)])
    recipients = SubmissionRecipient.__table__
    db.session.execute(update(recipients).where(recipients.c.submission_id == submission.id)
                       .values(acknowledged_at=start + timedelta(days=10 if submission.id % 2 else 30),
                               first_published_at=start + timedelta(days=60)))
    first = min(institutions)
    _insert(ImplementationUpdate, [{
        "item_id": item, "institution_id": first, "status": STATUSES[n % 3], "evidence": "A notification was issued.",
        "happened_on": (start + timedelta(days=200)).date(), "author_id": institutions[first],
        "created_at": start + timedelta(days=200)} for n, item in enumerate(items[:10])])
    _insert(Assessment, [{
        "item_id": item, "rating": RATINGS[n % 3], "notes": "Checked with members in three provinces.",
        "author_id": submission.submitted_by_id, "created_at": start + timedelta(days=250)}
        for n, item in enumerate(items[:10])])


def _notifications(users: dict) -> None:
    """Three notifications waiting for the daily digest for each of the year's 10 digest readers."""
    now = utcnow() - timedelta(hours=2)
    _insert(Notification, [{
        "user_id": user, "kind": "reply", "subject": "A reply to your comment", "body": "Someone replied.",
        "link": "/", "delivery": "daily", "created_at": now} for user in users["members"][:10] for _ in range(3)])


def _index(made: list[Declaration], recommendations: dict) -> None:
    """Search documents, as the site's receivers write them (app/search/services.py): every declaration,
    section and recommendation, and every published comment."""
    ids = [d.id for d in made]
    rows = [{"kind": "declaration", "object_id": d.id, "declaration_id": d.id, "title": fold(d.title)[:300],
             "body": fold(d.summary)} for d in made]
    rows += [{"kind": "section", "object_id": s.id, "declaration_id": s.declaration_id, "title": fold(s.heading),
              "body": fold(s.body_source)} for s in db.session.execute(
        select(Section.id, Section.declaration_id, SectionRevision.heading, SectionRevision.body_source)
        .join(SectionRevision, SectionRevision.id == Section.current_revision_id)
        .where(Section.declaration_id.in_(ids)))]
    rows += [{"kind": "recommendation", "object_id": r.id, "declaration_id": r.declaration_id, "title": "",
              "body": fold(r.text_source)} for r in db.session.execute(
        select(Recommendation.id, Recommendation.declaration_id, RecommendationRevision.text_source)
        .join(RecommendationRevision, RecommendationRevision.id == Recommendation.current_revision_id)
        .where(Recommendation.declaration_id.in_(ids)))]
    rows += [{"kind": "comment", "object_id": c.id, "declaration_id": c.declaration_id, "title": "",
              "body": fold(c.body_source)} for c in db.session.execute(
        select(Comment.id, Comment.declaration_id, Comment.body_source)
        .where(Comment.declaration_id.in_(ids), Comment.status == "published"))]
    _insert(SearchDocument, rows)


def counts() -> dict:
    """Rows of the main tables, to print beside the build time."""
    tables = {"declarations": Declaration, "recommendations": Recommendation, "comments": Comment,
              "organizations": Organization, "users": User, "signatures": Signature, "submissions": Submission,
              "answers": Answer, "search_documents": SearchDocument, "institutions": Institution}
    return {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}


