"""The demo sign-on: a public statement in sign-on with about forty signatures, some pending, some withdrawn."""
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.declarations import services as declarations
from app.declarations.models import Declaration
from app.extensions import db
from app.organizations.models import Organization
from app.security import token_hash
from app.signatures import open_signon
from app.signatures import services as signing
from app.time import utcnow

TITLE = "Joint Statement on the Protection of Survivors of Trafficking"

# (name, acronym, type, province, city, verified): the rest of the alliance, who sign the statement.
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

FIRST = ["Asma", "Farhan", "Hina", "Jamal", "Kiran", "Luqman", "Mehwish", "Naveed", "Omar", "Parveen", "Qasim",
         "Rubina", "Saad", "Tahira", "Usman", "Wajiha", "Yasir", "Zara", "Adeel", "Bushra", "Danish", "Erum",
         "Faisal", "Ghazala", "Haris", "Iram", "Javed", "Khadija"]
LAST = ["Akhtar", "Baloch", "Chaudhry", "Durrani", "Farooqi", "Gill", "Hashmi", "Iqbal", "Jatoi", "Khattak",
        "Laghari", "Memon", "Niazi", "Orakzai", "Pirzada", "Rind", "Shaikh", "Tareen", "Wazir", "Yousafzai",
        "Zaidi", "Bugti", "Abro", "Bhatti", "Chandio", "Dogar", "Effendi", "Fazli"]

SECTIONS = [
    ("Our statement", "We, organizations and experts of the alliance, call on the federal and provincial "
     "governments to put the **rights and safety of survivors** at the centre of the response to trafficking."),
    ("What survivors told us", "Survivors are questioned many times, wait years for trial and rarely receive "
     "compensation. Many are afraid to testify."),
]

RECOMMENDATIONS = [
    ("protect", ["victims", "trafficking"], "Open at least one survivor-run shelter in every province within a year."),
    ("protect", ["victims"], "Let survivors testify by video link and keep their identity out of court records."),
    ("pursue", ["trafficking"], "Decide trafficking cases within six months of the charge."),
    ("protect", ["victims"], "Pay interim compensation to survivors from a dedicated fund before the verdict."),
    ("promote", ["trafficking"], "Involve survivor organizations in reviewing the national action plan."),
    ("prevent", ["trafficking", "smuggling"], "Train labour inspectors to identify forced labour and debt bondage."),
]

OUTSIDE = [  # organizations outside the alliance, through the open form: (name, type, country, province, signer)
    ("Global Alliance against Bonded Labour", "network", "United Kingdom", None, "Helen Price", True),
    ("Hazara Women's Collective", "ngo", "Pakistan", "balochistan", "Shabana Hazara", True),
    ("Punjab Brick Kiln Workers Association", "ngo", "Pakistan", "punjab", "Munir Masih", False),
]


def load_demo_signatures(people: dict[str, User], password_hash: str) -> int:
    """Create the sign-on demo once. Returns how many records it created (roughly)."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == TITLE)) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    representatives = [people[e] for e in ("rep2@example.org", "rep3@example.org", "rep4@example.org",
                                           "rep5@example.org")]
    for n, (name, acronym, type_, province, city, verified) in enumerate(MORE_ORGANIZATIONS):
        organization = Organization(
            name=name, acronym=acronym, type=type_, province=province, city=city, verified=verified,
            verified_at=utcnow() if verified else None, website=f"https://{acronym.lower()}.example.org",
            description=f"{name} is a member of the alliance, based in {city}.")
        person = User(email=f"{acronym.lower()}@example.org", name=f"{FIRST[n]} {LAST[n]}", designation="Director",
                      province=province, password_hash=password_hash, organization=organization,
                      org_role="representative", gender="woman" if n % 2 == 0 else "man")
        db.session.add_all([organization, person])
        representatives.append(person)
    db.session.flush()

    declaration = declarations.create_declaration(
        coordinator, kind="declaration", title=TITLE, moderation="post", visibility="public",
        summary="A short joint statement of the alliance, open for signature by members and by organizations "
                "outside the alliance.")
    for heading, body in SECTIONS:
        declarations.add_section(coordinator, declaration, heading=heading, body=body)
    recommendations = [declarations.add_recommendation(coordinator, declaration, text=text, pillar=pillar,
                                                       themes=themes, addressees=[], convention_articles="")
                       for pillar, themes, text in RECOMMENDATIONS]
    declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=1))
    declarations.change_phase(coordinator, declaration, "revision")
    version = declarations.change_phase(coordinator, declaration, "signon", deadline=utcnow() + timedelta(days=21))
    open_signon.set_open_signon(coordinator, declaration, True)

    made = []
    for n, person in enumerate(representatives):
        visibility = "coordinators" if n % 9 == 4 else "alliance" if n % 5 == 3 else "public"
        reservations = {recommendations[2].id: "We would allow twelve months for complex cases."} if n == 6 else {}
        made.append(signing.sign(person, declaration, capacity="organization", version_id=version.id,
                                    visibility=visibility, reservations=reservations))
    for email in ("expert@example.org", "expert2@example.org", "expert3@example.org"):
        made.append(signing.sign(people[email], declaration, capacity="individual", version_id=version.id,
                                    visibility="public"))
    for name, type_, country, province, signer, approved in OUTSIDE:
        request = open_signon.request_open_signature(
            declaration, language="en", version_id=version.id, organization_name=name, organization_type=type_,
            country=country,
            province=province, website="", signer_name=signer, signer_designation="Coordinator",
            email=f"{signer.split()[0].lower()}@outside.example.org", visibility="public")
        token = "demo-" + name  # the emailed token is not kept; a known one stands in for it here
        request.token_hash = token_hash(token)
        signature = open_signon.confirm_open_signature(token)
        if approved:
            open_signon.approve(coordinator, signature)
        made.append(signature)
    for signature, reason in ((made[8], "Our board has not yet approved the final text."),
                              (made[15], ""), (made[21], "Signed by mistake for the wrong statement.")):
        signing.withdraw(signature.user, signature, reason)
    # Spread the signing over the past two weeks, for the chart.
    for n, signature in enumerate(made):
        signature.signed_at = utcnow() - timedelta(days=14 - (n * 14) // len(made), hours=n % 7)
    return len(made) + 2 * len(MORE_ORGANIZATIONS) + 1
