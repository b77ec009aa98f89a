"""The demo alliance loaded by `make run`. Idempotent: running it again adds only what is missing.

Its consultation is in declarations.py, its sign-on in signatures.py, its submission and the
government's answers in submissions.py."""
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import hash_password
from app.demo.declarations import load_demo_declarations
from app.demo.signatures import load_demo_signatures
from app.demo.submissions import load_demo_submission
from app.extensions import db
from app.institutions.models import Institution
from app.organizations.models import Organization
from app.permissions import holds_power
from app.time import utcnow

DEMO_PASSWORD = "sanad-demo"

# (name, acronym, type, province, city, verified)
ORGANIZATIONS = [
    ("Human Rights Action Forum", "HRAF", "ngo", "punjab", "Lahore", True),
    ("Sindh Legal Aid Network", "SLAN", "network", "sindh", "Karachi", True),
    ("Centre for Security and Justice Studies", "CSJS", "think_tank", "ict", "Islamabad", True),
    ("Frontier Women's Welfare Society", "FWWS", "ngo", "kp", "Peshawar", True),
    ("Balochistan Migrant Support Initiative", "BMSI", "ngo", "balochistan", "Quetta", True),
    ("Institute of Criminology, University of Karachi", "ICUK", "academic", "sindh", "Karachi", True),
    ("Digital Rights Watch", "DRW", "ngo", "punjab", "Lahore", True),
    ("Mountain Communities Development Trust", "MCDT", "ngo", "gb", "Gilgit", True),
    ("Investigative Journalists Collective", "IJC", "media", "ict", "Islamabad", True),
    ("Kashmir Child Protection Alliance", "KCPA", "network", "ajk", "Muzaffarabad", True),
    ("South Punjab Labour Rights Council", "SPLRC", "ngo", "punjab", "Multan", False),
    ("Coastal Fisherfolk Forum", "CFF", "other", "sindh", "Thatta", False),
]

INSTITUTIONS = [
    ("Ministry of Interior — National Focal Person for the UNTOC review", "MoI",
     "Coordinates the government's answers on the UN Convention against Transnational Organized Crime."),
    ("Federal Investigation Agency", "FIA", "Leads on human trafficking, migrant smuggling and cybercrime."),
]

# (email, name, designation, gender, province, platform_role, organization acronym, org_role, expert, institution)
PEOPLE = [
    ("admin@example.org", "Sana Admin", "Platform administrator", None, None, "admin", None, None, False, None),
    ("coordinator@example.org", "Ayesha Coordinator", "Alliance secretariat", "woman", "ict", "coordinator",
     None, None, False, None),
    ("rep@example.org", "Imran Qureshi", "Executive Director", "man", "punjab", None, "HRAF", "representative",
     False, None),
    ("member@example.org", "Fatima Malik", "Programme Officer", "woman", "punjab", None, "HRAF", "member",
     False, None),
    ("rep2@example.org", "Zainab Soomro", "Coordinator", "woman", "sindh", None, "SLAN", "representative",
     False, None),
    ("expert@example.org", "Dr. Kamran Abbasi", "Criminologist", "man", "kp", None, None, None, True, None),
    ("expert2@example.org", "Nadia Hussain", "Lawyer, migrant rights", "woman", "sindh", None, None, None, True, None),
    ("expert3@example.org", "Bilal Ahmed", "Financial crime analyst", None, "ict", None, None, None, True, None),
    ("reviewer@example.org", "Tariq Mehmood", "Deputy Secretary", "man", "ict", "reviewer", None, None, False, "MoI"),
    ("reviewer2@example.org", "Saima Rauf", "Director, Anti-Human Trafficking Circle", "woman", "ict", "reviewer",
     None, None, False, "FIA"),
    ("rep3@example.org", "Gul Bano", "Chairperson", "woman", "kp", None, "FWWS", "representative", False, None),
    ("rep4@example.org", "Abdul Wahid", "Director", "man", "balochistan", None, "BMSI", "representative", False, None),
    ("rep5@example.org", "Rashid Lone", "President", "man", "punjab", None, "SPLRC", "representative", False, None),
]

# Demo admins, coordinators and reviewers have two-step login on with this key (development only): add it to
# an authenticator app, or print the current code with `flask demo totp EMAIL`.
DEMO_TOTP_SECRET = "SANADDEMOSANADDEMOSANADDEMOSANAD"

# The logins `flask demo logins` prints when `make run` starts.
DEMO_LOGINS = [
    ("admin@example.org", "admin"),
    ("coordinator@example.org", "coordinator"),
    ("rep@example.org", "representative of Human Rights Action Forum (has not signed the demo statement)"),
    ("member@example.org", "member of Human Rights Action Forum"),
    ("rep2@example.org", "representative of Sindh Legal Aid Network"),
    ("expert@example.org", "individual expert"),
    ("reviewer@example.org", "government reviewer, Ministry of Interior (answers the submitted demo)"),
    ("reviewer2@example.org", "government reviewer, FIA (has a draft answer, not yet published)"),
]


def holds_real_accounts() -> bool:
    """True when the database has accounts but none of the demo ones: it is somebody's real data."""
    emails = set(db.session.scalars(select(User.email).limit(1000)))
    return bool(emails) and not emails & {person[0] for person in PEOPLE}


def load_demo() -> int:
    """Add the demo alliance's missing records; returns how many were created. The caller commits."""
    created = 0
    organizations = {o.acronym: o for o in db.session.scalars(select(Organization))}
    for name, acronym, type_, province, city, verified in ORGANIZATIONS:
        if acronym not in organizations:
            organizations[acronym] = Organization(
                name=name, acronym=acronym, type=type_, province=province, city=city, verified=verified,
                verified_at=utcnow() if verified else None, website=f"https://{acronym.lower()}.example.org",
                description=f"{name} works on the rule of law and the protection of people at risk in {city}.")
            db.session.add(organizations[acronym])
            created += 1
    institutions = {i.acronym: i for i in db.session.scalars(select(Institution))}
    for name, acronym, description in INSTITUTIONS:
        if acronym not in institutions:
            institutions[acronym] = Institution(name=name, acronym=acronym, description=description)
            db.session.add(institutions[acronym])
            created += 1
    existing = set(db.session.scalars(select(User.email)))
    password_hash = hash_password(DEMO_PASSWORD) if any(p[0] not in existing for p in PEOPLE) else None
    for email, name, designation, gender, province, role, org, org_role, expert, institution in PEOPLE:
        if email in existing:
            continue
        db.session.add(User(
            email=email, name=name, designation=designation, gender=gender, province=province,
            password_hash=password_hash, platform_role=role, organization=organizations.get(org),
            org_role=org_role, is_expert=expert, institution=institutions.get(institution)))
        created += 1
    db.session.flush()
    people = {u.email: u for u in db.session.scalars(select(User))}
    for email, *_rest in PEOPLE:
        if holds_power(people[email]) and not people[email].has_second_factor:
            people[email].totp_secret, people[email].totp_confirmed_at = DEMO_TOTP_SECRET, utcnow()
    created += load_demo_declarations(people)
    created += load_demo_signatures(people, password_hash or hash_password(DEMO_PASSWORD))
    created += load_demo_submission({u.email: u for u in db.session.scalars(select(User))})
    return created
