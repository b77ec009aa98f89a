"""The demo alliance's organizations, institutions and people, created once (by acronym and email)."""
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import hash_password
from app.extensions import db
from app.institutions.models import Institution
from app.organizations.models import Organization
from app.permissions import holds_power
from app.time import utcnow

DEMO_PASSWORD = "sanad-demo"

# Demo admins, coordinators and reviewers have two-step login on with this key (development only): add it to
# an authenticator app, or print the current code with `flask demo totp EMAIL`.
DEMO_TOTP_SECRET = "SANADDEMOSANADDEMOSANADDEMOSANAD"

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

# The rest of the alliance, each with one representative (<acronym>@example.org, named from FIRST and LAST).
MORE_ORGANIZATIONS = [
    ("Rural Women's Empowerment Network", "RWEN", "network", "sindh", "Hyderabad", True),
    ("Peshawar Legal Clinic", "PLC", "ngo", "kp", "Peshawar", True),
    ("Centre for Migration Research", "CMR", "academic", "ict", "Islamabad", True),
    ("Child Rights Advocacy Forum", "CRAF", "ngo", "punjab", "Faisalabad", True),
    ("Balochistan Human Rights Council", "BHRC", "ngo", "balochistan", "Turbat", True),
    ("Citizens' Forum for Accountability", "CFA", "ngo", "punjab", "Rawalpindi", True),
    ("Women Journalists Association", "WJA", "media", "sindh", "Karachi", True),
    ("Institute for Peace and Policy", "IPP", "think_tank", "ict", "Islamabad", True),
    ("Swat Community Development Organization", "SCDO", "ngo", "kp", "Mingora", True),
    ("Thar Relief and Rights Society", "TRRS", "ngo", "sindh", "Mithi", True),
    ("Gilgit Youth Parliament", "GYP", "network", "gb", "Gilgit", True),
    ("Mirpur Overseas Workers Welfare Trust", "MOWWT", "ngo", "ajk", "Mirpur", True),
    ("Lahore School of Law Research Centre", "LSLRC", "academic", "punjab", "Lahore", True),
    ("Karachi Urban Lab", "KUL", "think_tank", "sindh", "Karachi", True),
    ("Anti-Bonded Labour Alliance", "ABLA", "network", "punjab", "Sheikhupura", True),
    ("Quetta Women's Legal Aid", "QWLA", "ngo", "balochistan", "Quetta", True),
    ("Media Matters for Democracy", "MMD", "media", "ict", "Islamabad", True),
    ("Sahil Survivors Support", "SSS", "ngo", "punjab", "Sialkot", True),
    ("Indus Fisherfolk Rights Collective", "IFRC", "ngo", "sindh", "Badin", True),
    ("Khyber Transparency Initiative", "KTI", "ngo", "kp", "Abbottabad", True),
    ("Larkana Rural Support Forum", "LRSF", "ngo", "sindh", "Larkana", True),
    ("Bahawalpur Human Rights Network", "BHRN", "network", "punjab", "Bahawalpur", True),
    ("Gwadar Fisherfolk Welfare Society", "GFWS", "ngo", "balochistan", "Gwadar", True),
    ("Centre for Law and Justice Research", "CLJR", "think_tank", "punjab", "Lahore", True),
    ("Dir Women's Development Association", "DWDA", "ngo", "kp", "Dir", True),
    ("Skardu Youth and Rights Initiative", "SYRI", "other", "gb", "Skardu", True),
    ("Chitral Heritage and Rights Forum", "CHRF", "other", "kp", "Chitral", False),
    ("Multan Domestic Workers Union", "MDWU", "network", "punjab", "Multan", False),
]

# Their representatives' names, in the order of MORE_ORGANIZATIONS (family names common where each is based).
FIRST = ["Asma", "Farhan", "Hina", "Jamal", "Kiran", "Luqman", "Mehwish", "Naveed", "Omar", "Parveen", "Qasim",
         "Rubina", "Saad", "Tahira", "Usman", "Wajiha", "Yasir", "Zara", "Adeel", "Bushra", "Danish", "Erum",
         "Faisal", "Ghazala", "Haris", "Iram", "Javed", "Khadija"]
LAST = ["Memon", "Khattak", "Hashmi", "Chaudhry", "Baloch", "Raja", "Zaidi", "Iqbal", "Yousafzai", "Abro", "Baig",
        "Rathore", "Butt", "Siddiqui", "Virk", "Kakar", "Shaikh", "Cheema", "Mallah", "Jadoon", "Jatoi",
        "Khakwani", "Dashti", "Bhatti", "Khan", "Kazmi", "Chitrali", "Bukhari"]
WOMEN = {"Asma", "Hina", "Kiran", "Mehwish", "Parveen", "Rubina", "Tahira", "Wajiha", "Zara", "Bushra", "Erum",
         "Ghazala", "Iram", "Khadija"}
DESIGNATIONS = ["Director", "Executive Director", "Programme Manager", "Coordinator", "Chairperson",
                "Head of Research", "General Secretary"]

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


def _organization(name, acronym, type_, province, city, verified, description) -> Organization:
    return Organization(name=name, acronym=acronym, type=type_, province=province, city=city, verified=verified,
                        verified_at=utcnow() if verified else None, website=f"https://{acronym.lower()}.example.org",
                        description=description)


def load_people() -> int:
    """Add the missing organizations, institutions and people; returns how many were created."""
    created = 0
    organizations = {o.acronym: o for o in db.session.scalars(select(Organization))}
    for name, acronym, type_, province, city, verified in ORGANIZATIONS:
        if acronym not in organizations:
            organizations[acronym] = _organization(
                name, acronym, type_, province, city, verified,
                f"{name} works on the rule of law and the protection of people at risk in {city}.")
            created += 1
    for name, acronym, type_, province, city, verified in MORE_ORGANIZATIONS:
        if acronym not in organizations:
            organizations[acronym] = _organization(name, acronym, type_, province, city, verified,
                                                   f"{name} is a member of the alliance, based in {city}.")
            created += 1
    institutions = {i.acronym: i for i in db.session.scalars(select(Institution))}
    for name, acronym, description in INSTITUTIONS:
        if acronym not in institutions:
            institutions[acronym] = Institution(name=name, acronym=acronym, description=description)
            created += 1
    people = PEOPLE + [
        (f"{acronym.lower()}@example.org", f"{FIRST[n]} {LAST[n]}", DESIGNATIONS[n % len(DESIGNATIONS)],
         "woman" if FIRST[n] in WOMEN else "man", province, None, acronym, "representative", False, None)
        for n, (_name, acronym, _type, province, _city, _verified) in enumerate(MORE_ORGANIZATIONS)]
    existing = set(db.session.scalars(select(User.email)))
    password_hash = hash_password(DEMO_PASSWORD) if any(p[0] not in existing for p in people) else None
    for email, name, designation, gender, province, role, org, org_role, expert, institution in people:
        if email not in existing:
            db.session.add(User(
                email=email, name=name, designation=designation, gender=gender, province=province,
                password_hash=password_hash, platform_role=role, organization=organizations.get(org),
                org_role=org_role, is_expert=expert, institution=institutions.get(institution)))
            created += 1
    db.session.add_all(organizations.values())
    db.session.add_all(institutions.values())
    db.session.flush()
    for user in db.session.scalars(select(User).where(User.email.in_([p[0] for p in PEOPLE]))):
        if holds_power(user) and not user.has_second_factor:
            user.totp_secret, user.totp_confirmed_at = DEMO_TOTP_SECRET, utcnow()
    return created
