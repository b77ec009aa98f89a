"""The demo consultation: a declaration open for comments and one still being drafted."""
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.amendments import services as amendments
from app.comments import services as comments
from app.declarations import services as declarations
from app.declarations.models import Declaration
from app.extensions import db
from app.institutions.models import Institution
from app.time import utcnow

TITLE = "Civil Society Declaration on the UNTOC Review 2026"

SECTIONS = [
    ("Preamble", "We, the undersigned civil-society organizations and experts, take part in the country's review "
     "under the **UN Convention against Transnational Organized Crime** (UNTOC). We speak from our work with "
     "survivors of trafficking, migrants, families of the disappeared, journalists and communities at the border."),
    ("Context", "Organized crime networks profit from trafficking in persons, the smuggling of migrants, illicit "
     "firearms, drugs and laundered money. Their harm falls hardest on women, children and people on the move.\n\n"
     "- Prosecutions remain few and slow.\n- Victims are too often treated as offenders.\n"
     "- Provincial and federal agencies share little information."),
    ("Our commitments", "We commit to document cases with care, to refer survivors to services, and to follow up "
     "each recommendation below with the institutions concerned."),
    ("How we consulted", "This text was drafted after workshops in Lahore, Karachi, Peshawar and Quetta and online "
     "consultations with members of the alliance."),
    ("Follow-up", "We ask the National Focal Person to answer each recommendation in writing and to meet the "
     "alliance twice a year on implementation."),
]

RECOMMENDATIONS = [
    ("prevent", ["trafficking"], "Fund community awareness campaigns on fraudulent job offers abroad in the "
     "districts with the highest recruitment."),
    ("prevent", ["smuggling"], "Make regular migration channels cheaper and faster, and publish their requirements "
     "in Urdu and regional languages."),
    ("prevent", ["cybercrime"], "Train school teachers to recognise online grooming and sextortion."),
    ("prevent", ["corruption"], "Publish asset declarations of officials in border and customs posts."),
    ("prevent", ["drugs"], "Fund drug-prevention programmes run with youth organizations in all provinces."),
    ("prevent", ["firearms"], "Digitise the national firearms licence register and reconcile provincial records."),
    ("prevent", ["money_laundering"], "Require beneficial ownership disclosure for all companies and trusts."),
    ("prevent", ["trafficking", "victims"], "Regulate overseas employment promoters and cancel the licences of those "
     "found charging illegal fees."),
    ("pursue", ["trafficking"], "Create specialised anti-trafficking prosecution units in every province."),
    ("pursue", ["smuggling"], "Investigate the financial networks behind migrant smuggling, not only the drivers."),
    ("pursue", ["money_laundering"], "Increase the number of financial investigations following predicate offences."),
    ("pursue", ["corruption"], "Prosecute officials who facilitate smuggling at border crossings."),
    ("pursue", ["cybercrime"], "Equip the cybercrime wing with forensic capacity in each provincial capital."),
    ("pursue", ["firearms"], "Trace seized firearms systematically and share the results with neighbouring states."),
    ("pursue", ["drugs"], "Target the leadership of drug trafficking organizations through joint investigation teams."),
    ("pursue", ["trafficking", "corruption"], "Publish annual statistics on trafficking cases, prosecutions and "
     "convictions, disaggregated by sex and age."),
    ("protect", ["victims"], "Adopt a national referral mechanism for victims of trafficking, with shelters in every "
     "province."),
    ("protect", ["victims", "trafficking"], "Never prosecute victims of trafficking for offences they were "
     "compelled to commit."),
    ("protect", ["victims"], "Enact a witness protection law with an independent protection agency."),
    ("protect", ["smuggling", "victims"], "Guarantee access to legal aid and consular help for smuggled migrants "
     "returned to the country."),
    ("protect", ["cybercrime", "victims"], "Set up a helpline for survivors of online sexual exploitation."),
    ("protect", ["drugs", "victims"], "Treat people who use drugs as patients, with voluntary treatment services."),
    ("protect", ["victims"], "Provide compensation to victims from confiscated criminal assets."),
    ("protect", ["trafficking"], "Train labour inspectors to identify forced labour in brick kilns and agriculture."),
    ("promote", ["corruption"], "Include civil society in the UNTOC review country visit and publish the report."),
    ("promote", ["money_laundering", "corruption"], "Join the international asset recovery networks and report on "
     "returned assets."),
    ("promote", ["trafficking", "smuggling"], "Sign memoranda with destination countries on protecting migrant "
     "workers."),
    ("promote", ["cybercrime"], "Ratify the Budapest Convention and align the cybercrime law with human rights "
     "standards."),
    ("promote", ["firearms"], "Report on implementation of the Firearms Protocol every two years."),
    ("promote", ["victims", "trafficking"], "Fund civil-society organizations that run shelters and legal clinics."),
]

COMMENTS = [
    "We fully support this. In our district most victims were recruited through relatives.",
    "Could we name the districts? Our data from 2025 shows the highest numbers in south Punjab.",
    "The text should mention children explicitly.",
    "This needs a timeline: within one year of the review.",
    "Agree, but the funding source must be identified.",
    "Please add a reference to article 6 of the Trafficking Protocol.",
    "Our lawyers see this every week in Karachi courts. Strongly support.",
    "I would soften this: the government will not accept 'never'.",
    "Shelters exist on paper in two provinces but are not running.",
    "Add women police officers to this recommendation.",
]


def load_demo_declarations(people: dict[str, User]) -> int:
    """Create the demo declarations once. Returns how many were created."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == TITLE)) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    institutions = db.session.scalars(select(Institution).order_by(Institution.id)).all()
    declaration = declarations.create_declaration(
        coordinator, kind="declaration", title=TITLE, moderation="post", visibility="public",
        summary="Recommendations of the alliance to the government for the review of the UN Convention against "
                "Transnational Organized Crime, organised by the four pillars Prevent, Pursue, Protect and Promote.")
    sections = [declarations.add_section(coordinator, declaration, heading=h, body=b) for h, b in SECTIONS]
    recommendations = [
        declarations.add_recommendation(coordinator, declaration, text=text, pillar=pillar, themes=themes,
                                        addressees=[institutions[n % len(institutions)].id] if institutions else [],
                                        convention_articles="UNTOC art. 31" if pillar == "prevent" else "")
        for n, (pillar, themes, text) in enumerate(RECOMMENDATIONS)]
    declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=14))

    voices = [people[e] for e in ("rep@example.org", "member@example.org", "rep2@example.org", "expert@example.org",
                                  "rep3@example.org", "rep4@example.org", "expert2@example.org")]
    items = [("section", s) for s in sections[:3]] + [("recommendation", r) for r in recommendations]
    posted, first_on = [], {}
    for n in range(60):
        kind, item = items[(n * 7) % len(items)] if n % 5 != 4 else items[(n * 3) % 6]
        parent = first_on.get((kind, item.id)) if n % 5 == 4 else None  # every fifth comment is a reply
        comment = comments.add_comment(voices[n % len(voices)], declaration, body=COMMENTS[n % len(COMMENTS)],
                                       parent=parent, **{kind: item})
        first_on.setdefault((kind, item.id), comment)
        posted.append(comment)
    comments.flag_comment(people["rep2@example.org"], posted[7], "This comment names a victim's village.")
    amendments.propose(people["rep@example.org"], declaration, recommendations[17],
                       text="Never prosecute or punish victims of trafficking for offences they were compelled to "
                            "commit as a direct result of being trafficked.",
                       rationale="Aligns the wording with the non-punishment principle.")
    amendments.propose(people["expert@example.org"], declaration, sections[1],
                       text=SECTIONS[1][1] + "\n- Survivors rarely receive compensation.",
                       rationale="The context should mention compensation, which recommendation 23 addresses.")
    for title, day, city, in_person, online, women, men in (
            ("Provincial consultation, Lahore", 20, "Lahore", 41, 12, 19, 34),
            ("Online consultation with experts", 27, "", 0, 27, 11, 15)):
        declarations.save_event(coordinator, declaration, None, title=title, held_on=date(2026, 10, day),
                                venue=city, online=online > 0, organizers="Alliance secretariat",
                                participants_in_person=in_person, participants_online=online, women=women, men=men,
                                other_gender=None, notes="")
    draft = declarations.create_declaration(
        coordinator, kind="recommendations", title="Recommendations on victim and witness protection (draft)",
        moderation="pre", visibility="members", summary="A short set of recommendations still being drafted.")
    declarations.add_section(coordinator, draft, heading="Purpose", body="To be completed by the drafting group.")
    declarations.add_recommendation(coordinator, draft, text="Enact a witness protection law.", pillar="protect",
                                    themes=["victims"], addressees=[], convention_articles="UNTOC art. 24")
    return 2
