"""Demo data for submission and response: a recommendation set submitted to two institutions, with part of
the answers published, one answer revised, implementation updates and the alliance's assessments."""
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.comments import services as comments
from app.declarations import services as declarations
from app.declarations.models import Declaration
from app.extensions import db
from app.institutions.models import Institution
from app.responses import services as responses
from app.signatures import services as signing
from app.submissions import services as submissions
from app.time import utcnow

TITLE = "Recommendations on the Response to Migrant Smuggling 2026"

SECTIONS = [
    ("Why these recommendations", "Migrant smuggling along the western routes has grown since 2024. Smugglers "
     "adapt faster than the agencies that pursue them, and people who are smuggled are too often treated as "
     "offenders. These recommendations come from six months of consultation with the alliance."),
    ("How they were made", "Members commented on three versions of the text and met in Quetta, Karachi and "
     "online. The alliance asks the government to answer each recommendation and to report on its progress."),
]

# (pillar, themes, addressee acronyms, text)
RECOMMENDATIONS = [
    ("pursue", ["smuggling"], ["FIA"], "Set up a joint FIA–provincial police cell on smuggling networks along the "
     "Makran coast, with a prosecutor assigned from the start of each case."),
    ("protect", ["smuggling", "victims"], ["MoI"], "Treat smuggled people as witnesses, not offenders: stop "
     "prosecuting them under the Emigration Ordinance for having been smuggled."),
    ("prevent", ["smuggling"], ["MoI", "FIA"], "Run information campaigns on safe migration in the ten districts "
     "most people are smuggled from, in Urdu, Balochi and Pashto."),
    ("pursue", ["money_laundering", "smuggling"], ["FIA"], "Trace and confiscate the proceeds of smuggling through "
     "financial investigations opened alongside every smuggling case."),
    ("protect", ["victims"], ["MoI"], "Fund shelters for smuggled people who are returned, with legal aid and "
     "medical care, in Quetta, Karachi and Lahore."),
    ("promote", ["smuggling"], ["MoI"], "Publish yearly statistics on smuggling cases, prosecutions and "
     "convictions, by province and by gender."),
    ("prevent", ["corruption", "smuggling"], ["FIA"], "Rotate border staff and investigate officials who help "
     "smugglers, with a confidential channel for reports."),
    ("promote", ["smuggling"], ["MoI", "FIA"], "Meet the alliance twice a year to review progress on these "
     "recommendations."),
]

COMMENTS = [
    "The Emigration Ordinance point is the most urgent: returnees are still being charged in Quetta.",
    "Please name the districts in the campaign recommendation, or the ministry will choose the easy ones.",
    "Financial investigations need FMU support; we could say so.",
]

# MoI's answers: (recommendation index, position, explanation, lead acronym, months to target, published)
ANSWERS = [
    (1, "partially", "The Ministry will issue guidance to prosecutors not to charge smuggled persons where they "
     "cooperate as witnesses. A change to the Ordinance needs Parliament.", "MoI", 6, True),
    (2, "supported", "A campaign is planned with the provinces for 2027.", "MoI", 12, True),
    (4, "noted", "Shelter funding falls to the provinces; the Ministry will raise it at the next IPCC meeting.",
     "MoI", None, True),
    (5, "supported", "The first report will cover 2026 and appear in March 2027.", "MoI", 4, True),
    (7, "supported", "The National Focal Person will convene the first meeting.", "MoI", 2, False),
]


def load_demo_submission(people: dict[str, User]) -> int:
    """Create the submitted demo once. Returns how many records it created (roughly)."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == TITLE)) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    institutions = {i.acronym: i for i in db.session.scalars(select(Institution))}
    declaration = declarations.create_declaration(
        coordinator, kind="recommendations", title=TITLE, moderation="post", visibility="public",
        summary="Eight recommendations of the alliance to the Ministry of Interior and the FIA on pursuing "
                "smuggling networks and protecting the people they smuggle.")
    for heading, body in SECTIONS:
        declarations.add_section(coordinator, declaration, heading=heading, body=body)
    recommendations = [declarations.add_recommendation(
        coordinator, declaration, text=text, pillar=pillar, themes=themes, convention_articles="",
        addressees=[institutions[a].id for a in addressees if a in institutions])
        for pillar, themes, addressees, text in RECOMMENDATIONS]
    declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=1))
    voices = [people[e] for e in ("rep2@example.org", "member@example.org", "expert2@example.org")]
    for n, body in enumerate(COMMENTS):
        comments.add_comment(voices[n], declaration, body=body, recommendation=recommendations[(1, 2, 3)[n]])
    declarations.save_event(coordinator, declaration, None, title="Consultation on migrant smuggling, Quetta",
                            held_on=date(2026, 9, 18), venue="Quetta Press Club", online=True,
                            organizers="Balochistan Migrant Support Initiative", participants_in_person=34,
                            participants_online=19, women=21, men=27, other_gender=None, notes="")
    declarations.change_phase(coordinator, declaration, "revision")
    version = declarations.change_phase(coordinator, declaration, "signon", deadline=utcnow() + timedelta(days=14))
    signers = [u for u in people.values() if u.org_role == "representative" and u.organization is not None
               and u.organization.verified][:14]
    for n, person in enumerate(signers):
        signing.sign(person, declaration, capacity="organization", version_id=version.id,
                        visibility="coordinators" if n == 3 else "alliance" if n % 4 == 1 else "public",
                        reservations={})
    for email in ("expert@example.org", "expert2@example.org"):
        signing.sign(people[email], declaration, capacity="individual", version_id=version.id,
                        visibility="public", reservations={})
    submission = submissions.submit(coordinator, declaration, version_id=version.id,
                                    institution_ids=[institutions[a].id for a in ("MoI", "FIA") if a in institutions])
    reviewer, reviewer2 = people["reviewer@example.org"], people["reviewer2@example.org"]
    responses.acknowledge(reviewer, submission, declaration)
    responses.acknowledge(reviewer2, submission, declaration)
    today = date.today()
    first_batch = [a for a in ANSWERS if a[5]]
    for index, position, explanation, lead, months, _published in first_batch:
        responses.save_answer(reviewer, submission, recommendations[index].id, position=position,
                              explanation=explanation, lead_institution_id=institutions[lead].id,
                              target_date=today + timedelta(days=30 * months) if months else None)
    responses.publish(reviewer, submission, declaration)
    # A revised answer (its first version stays in the history) and a draft not yet published.
    responses.save_answer(reviewer, submission, recommendations[1].id, position="supported",
                          explanation="After consulting the Law Division: guidance to prosecutors is issued, and the "
                                      "Ministry will propose the amendment to the Ordinance.",
                          lead_institution_id=institutions["MoI"].id, target_date=today + timedelta(days=120))
    responses.publish(reviewer, submission, declaration)
    for index, position, explanation, lead, months, _published in [a for a in ANSWERS if not a[5]]:
        responses.save_answer(reviewer, submission, recommendations[index].id, position=position,
                              explanation=explanation, lead_institution_id=institutions[lead].id,
                              target_date=today + timedelta(days=30 * months) if months else None)
    responses.save_answer(reviewer2, submission, recommendations[0].id, position="supported",
                          explanation="A joint cell is being set up in Gwadar.",
                          lead_institution_id=institutions["FIA"].id, target_date=today + timedelta(days=90))
    responses.post_update(reviewer, submission, recommendations[1].id, status="in_progress",
                          evidence="Guidance note 4/2026 sent to provincial prosecutors.", happened_on=today)
    responses.post_update(reviewer, submission, recommendations[5].id, status="not_started",
                          evidence="", happened_on=today)
    responses.post_update(reviewer, submission, recommendations[2].id, status="in_progress",
                          evidence="Campaign budget approved by the provinces of Balochistan and Punjab.",
                          happened_on=today)
    responses.assess(coordinator, submission, recommendations[1].id, rating="partly",
                     notes="The guidance is welcome; returnees were still charged in Quetta in October.")
    responses.assess(coordinator, submission, recommendations[4].id, rating="disagrees",
                     notes="Shelters cannot wait for the provinces: federal funding exists for this.")
    return 40

