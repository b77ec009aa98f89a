"""The demo alliance loaded by `make run`. Idempotent: running it again adds only what is missing.

Its people are in people.py. Its history is told as stories spread over the past weeks (story.py), each
through the same services the site uses: the submitted recommendations on migrant smuggling, in English and
Urdu, from drafting two months ago to the government's answers (submissions.py); the statement on survivors of
trafficking, consulted on and now in sign-on (signatures.py); and the UNTOC declaration in consultation, in
English and Urdu, with the draft started this week (declarations.py). The Urdu of both is in urdu.py. Before all
of them, the alliance's records of 2022 and 2023 are imported, and some of this year's recommendations carry them
forward (lines.py)."""
from sqlalchemy import select

from app.accounts.models import User
from app.demo.declarations import consultation_story, draft_story
from app.demo.lines import earlier_years_story
from app.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, PEOPLE, load_people
from app.demo.signatures import signon_story
from app.demo.story import Calendar, story_clock, tell
from app.demo.submissions import submission_story
from app.extensions import db
from app.time import local_date, utcnow

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_TOTP_SECRET", "holds_real_accounts", "load_demo"]

# The logins `flask demo logins` prints when `make run` starts.
DEMO_LOGINS = [
    ("admin@example.org", "admin"),
    ("coordinator@example.org", "coordinator"),
    ("rep@example.org", "representative of Human Rights Action Forum (has not signed the demo statement)"),
    ("member@example.org", "member of Human Rights Action Forum (translator of the UNTOC declaration)"),
    ("rep2@example.org", "representative of Sindh Legal Aid Network"),
    ("expert@example.org", "individual expert"),
    ("reviewer@example.org", "government reviewer, Ministry of Interior (answers the submitted demo)"),
    ("reviewer2@example.org", "government reviewer, FIA (has a draft answer, not yet published)"),
]

ALLIANCE_FOUNDED = 90  # days ago: when the demo's organizations and people joined


def holds_real_accounts() -> bool:
    """True when the database has accounts but none of the demo ones: it is somebody's real data."""
    emails = set(db.session.scalars(select(User.email).limit(1000)))
    return bool(emails) and not emails & {person[0] for person in PEOPLE}


def load_demo() -> int:
    """Add the demo alliance's missing records, each at its moment in the story; returns how many were created.
    The caller commits."""
    days = Calendar(local_date(utcnow()))
    with story_clock(days.at(ALLIANCE_FOUNDED, "09:00")) as clock:
        created = load_people()
        people = {u.email: u for u in db.session.scalars(select(User))}
        created += tell(clock, [submission_story(people, days), signon_story(people, days),
                                consultation_story(people, days), draft_story(people, days),
                                earlier_years_story(people, days)])
    return created
