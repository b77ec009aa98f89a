"""The demo's oldest story: recommendations on migrant smuggling, drafted two months ago in English and Urdu (an
expert named translator wrote the Urdu), consulted on for two weeks (comments, three amendments, a workshop in
Quetta), revised (the translator bringing the Urdu of each part the revision changed up to date before
sign-on), signed in both languages, submitted to the Ministry of Interior and the FIA, acknowledged by both,
answered in part by the Ministry (one answer revised since), with implementation updates, a draft answer from
each institution and the alliance's assessments. The Ministry has the settings' deadlines (answers due in two
months); the FIA was given three weeks to answer, and published nothing: its silence shows, 8 days on."""
from functools import partial

from sqlalchemy import select

from app.accounts.models import User
from app.amendments import services as amendments
from app.declarations import services as declarations
from app.declarations import translation
from app.declarations.models import Declaration
from app.demo import classification, urdu
from app.demo.story import Calendar, Story, in_order
from app.demo.threads import Conversation, propose
from app.extensions import db
from app.institutions.models import Institution
from app.responses import services as responses
from app.signatures import services as signing
from app.submissions import services as submissions

TITLE = "Recommendations on the Response to Migrant Smuggling 2026"

SECTIONS = [
    ("Why these recommendations", "Migrant smuggling along the western routes has grown in recent years. "
     "Smugglers adapt faster than the agencies that pursue them, and people who are smuggled are too often "
     "treated as offenders."),
    ("How they were made", "Members commented on the draft here for two weeks and met returnees and their "
     "families in Quetta. The alliance asks the government to answer each recommendation and to report on its "
     "progress."),
]

ROUTES = ("Migrant smuggling along the western routes — overland through Iran and Turkey, and by sea from the "
          "Makran coast — has grown in recent years. Smugglers adapt faster than the agencies that pursue them, "
          "and people who are smuggled are too often treated as offenders.")

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

THREADS = [
    (("recommendation", 1), [
        ("rep2@example.org", 59, "11:20", "This is the most urgent point for us. Our lawyers in Karachi still defend "
         "young men charged with trying to leave the country illegally after they were deported from Iran, while "
         "the agents who sent them are never in the dock."),
        ("expert2@example.org", 59, "16:05", "Article 5 of the Smuggling of Migrants Protocol says migrants shall "
         "not become liable to prosecution for having been smuggled. Could we cite it, so the ministry cannot "
         "call this an NGO position?"),
        ("rep4@example.org", 58, "10:40", "In Quetta it is the same: people handed over at Taftan are booked first "
         "and interviewed later, if at all. I support citing article 5."),
    ]),
    (("recommendation", 2), [
        ("member@example.org", 58, "12:15", "Please name the districts, or the ministry will choose the easy ones. "
         "Gujranwala, Gujrat, Sialkot and Mandi Bahauddin come up again and again in the returnee cases we see."),
        ("bhrc@example.org", 57, "20:30", "تربت اور پنجگور سے جانے والے نوجوانوں کے گھر والوں کو پتہ ہی نہیں ہوتا "
         "کہ ایجنٹ کون ہے۔ مہم بلوچی زبان میں بھی ہونی چاہیے، صرف اردو میں نہیں۔"),
        ("rep4@example.org", 56, "09:50", "Agree with both. Kech and Panjgur belong on the list next to the Punjab "
         "districts. I will propose the wording as an amendment."),
    ]),
    (("recommendation", 3), [
        ("expert3@example.org", 57, "14:30", "Financial investigations need the Financial Monitoring Unit. The "
         "fees move through hawala and hundi, so FIA investigators should be able to ask the FMU for analysis "
         "from the first day of a case."),
        ("expert@example.org", 55, "11:10", "And the confiscated money should go somewhere visible. Article 14 of "
         "UNTOC allows proceeds to be returned to compensate victims, and people abused on the route qualify."),
        ("expert3@example.org", 54, "09:35", "Fair point, but compensation belongs in the protection "
         "recommendation. I would keep this one on tracing and confiscation so that progress can be measured."),
    ]),
    (("recommendation", 4), [
        ("qwla@example.org", 56, "13:00", "Women and children are now among the people returned from Iran. Quetta "
         "has no place where a returned woman can safely spend the night; the shelters must take families."),
        ("rep3@example.org", 55, "15:45", "متفق ہوں۔ پشاور میں بھی واپس آنے والی خواتین کے لیے کوئی محفوظ جگہ "
         "نہیں، اس لیے پشاور کو بھی اس فہرست میں شامل کیا جائے۔"),
    ]),
    (("recommendation", 6), [
        ("gfws@example.org", 53, "10:20", "Fishermen in Gwadar know which boats carry people and which officials "
         "look away, but nobody reports it without protection. The confidential channel must not be run by the "
         "agency whose staff are being reported."),
        ("cmr@example.org", 52, "17:05", "Good point. The Federal Ombudsman's office would be more credible for "
         "this than a hotline inside the FIA."),
    ]),
    (("recommendation", 5), [
        ("cmr@example.org", 51, "09:15", "Ask also for the number of people returned and of those screened as "
         "victims, not only cases and convictions. Without them nobody can tell whether prosecutors stop "
         "charging the people who were smuggled."),
    ]),
    (("section", 0), [
        ("rep@example.org", 50, "17:40", "The first paragraph should say where the routes go. Readers in the "
         "ministry should see at once that we know the ground."),
        ("coordinator@example.org", 49, "10:05", "Thank you, noted for the revision: the routes overland through "
         "Iran and Turkey and by sea from the Makran coast. The notes from the Quetta workshop say the same."),
    ]),
    (("recommendation", 0), [
        ("rep2@example.org", 48, "12:30", "The joint cell needs a woman prosecutor and a woman investigator. Women "
         "who were smuggled will not talk to an all-male team."),
        ("member@example.org", 47, "11:50", "Seconded. In the Lahore trafficking cases we followed, women spoke "
         "only once a woman officer joined the interviews."),
    ]),
]

# (proposer, days ago, time, recommendation index, text, rationale, decision: None to accept or the reason to
# reject, time of the decision on the day the consultation closes)
AMENDMENTS = [
    ("expert2@example.org", 58, "18:00", 1, "Treat smuggled people as witnesses, not offenders, as article 5 of the "
     "Smuggling of Migrants Protocol requires: stop prosecuting them under the Emigration Ordinance for having "
     "been smuggled.", "Cites the Protocol, as discussed in the comments.", None, "10:40"),
    ("rep4@example.org", 56, "10:30", 2, "Run information campaigns on safe migration in the districts most people "
     "are smuggled from — among them Gujranwala, Gujrat, Sialkot, Mandi Bahauddin, Kech and Panjgur — in Urdu, "
     "Punjabi, Balochi and Pashto.", "Names the districts from the returnee cases and the languages the families "
     "speak.", None, "11:00"),
    ("member@example.org", 50, "11:30", 7, "Meet the alliance every three months to review progress on these "
     "recommendations.", "Twice a year is too slow to follow up.", "Twice a year is what the National Focal "
     "Person has already agreed to; we keep it and will ask for more once the meetings are running.", "11:20"),
]

SIGNERS = ["rep2@example.org", "rep3@example.org", "rep4@example.org", "rep@example.org", "rwen@example.org",
           "plc@example.org", "cmr@example.org", "bhrc@example.org", "qwla@example.org", "gfws@example.org",
           "mowwt@example.org", "cljr@example.org", "ifrc@example.org", "kti@example.org", "expert@example.org",
           "expert2@example.org"]
# When they signed: (days ago, time), in the order above.
SIGNED = [(43, "11:30"), (43, "16:10"), (42, "09:45"), (42, "18:20"), (41, "12:00"), (40, "10:15"), (40, "15:40"),
          (39, "20:05"), (38, "11:25"), (37, "09:30"), (36, "14:50"), (35, "12:10"), (34, "17:35"), (33, "10:00"),
          (41, "08:50"), (38, "21:15")]

# The Ministry's answers: (recommendation index, position, explanation, lead acronym, months to target)
ANSWERS = [
    (1, "partially", "The Ministry will issue guidance to prosecutors not to charge smuggled persons where they "
     "cooperate as witnesses. A change to the Ordinance needs Parliament.", "MoI", 6),
    (2, "supported", "A campaign is planned with the provinces for next year, in the districts named.", "MoI", 12),
    (4, "noted", "Shelter funding falls to the provinces; the Ministry will raise it at the next meeting of the "
     "Inter-Provincial Coordination Committee.", "MoI", None),
    (5, "supported", "The first report will cover this year and appear by the end of March.", "MoI", 4),
]


def submission_story(people: dict[str, User], days: Calendar) -> Story:
    """The submitted demo, once. Returns how many records it created (roughly)."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == TITLE)) is not None:
        return 0
    coordinator, reviewer, reviewer2 = (people[e] for e in ("coordinator@example.org", "reviewer@example.org",
                                                            "reviewer2@example.org"))
    institutions = {i.acronym: i for i in db.session.scalars(select(Institution))}
    yield days.at(63, "10:00")
    declaration = declarations.create_declaration(
        coordinator, kind="recommendations", title=TITLE, moderation="post", visibility="public",
        summary="Eight recommendations of the alliance to the Ministry of Interior and the FIA on pursuing "
                "smuggling networks and protecting the people they smuggle.")
    sections = [declarations.add_section(coordinator, declaration, heading=h, body=b) for h, b in SECTIONS]
    recommendations = [declarations.add_recommendation(
        coordinator, declaration, text=text, pillar=pillar, themes=themes, convention_articles="",
        addressees=[institutions[a].id for a in addressees], **classification.fields(row))
        for (pillar, themes, addressees, text), row in zip(RECOMMENDATIONS, classification.SUBMISSION, strict=True)]
    translation.make_bilingual(coordinator, declaration, language="ur")
    translator = people["expert2@example.org"]
    translation.set_translators(coordinator, declaration, [translator])
    yield days.at(62, "14:00")
    urdu.translate_title(translator, declaration, urdu.SMUGGLING_TITLE, urdu.SMUGGLING_SUMMARY)
    for section, (heading, body) in zip(sections, urdu.SMUGGLING_SECTIONS, strict=True):
        urdu.translate_section(translator, section, heading, body)
    for recommendation, text in zip(recommendations, urdu.SMUGGLING_RECOMMENDATIONS, strict=True):
        urdu.translate_recommendation(translator, recommendation, text)

    yield days.at(60, "10:00")
    declarations.change_phase(coordinator, declaration, "consultation", deadline=days.at(46, "18:00"))
    proposed = []
    conversation = Conversation(people, declaration, {"section": sections, "recommendation": recommendations})
    steps = conversation.steps(days, THREADS) + [
        (days.at(days_ago, clock), partial(propose, proposed, people[who], declaration, recommendations[index], text,
                                           rationale))
        for who, days_ago, clock, index, text, rationale, _decision, _decided in AMENDMENTS]
    steps.append((days.at(51, "19:00"), partial(
        declarations.save_event, coordinator, declaration, None, title="Consultation with returnees and families, "
        "Quetta", held_on=days.day(52), venue="Quetta Press Club", online=True,
        organizers="Balochistan Migrant Support Initiative", participants_in_person=34, participants_online=19,
        women=21, men=27, other_gender=None, notes="Returnees from Iran and Turkey and relatives of people still "
        "on the route; interpretation in Balochi and Pashto.")))
    yield from in_order(steps)

    yield days.at(45, "09:30")
    declarations.change_phase(coordinator, declaration, "revision")
    for amendment, (*_rest, decision, decided) in zip(proposed, AMENDMENTS, strict=True):
        yield days.at(45, decided)
        if decision is None:
            amendments.accept(coordinator, amendment)
        else:
            amendments.reject(coordinator, amendment, decision)
    yield days.at(44, "15:00")  # the revision the first thread on the text asked for
    declarations.edit_section(coordinator, sections[0], base_revision_id=sections[0].current_revision_id,
                              heading=SECTIONS[0][0], body=ROUTES)
    yield days.at(44, "18:30")  # the Urdu of every part the revision changed, so that sign-on can open
    urdu.translate_section(translator, sections[0], urdu.SMUGGLING_SECTIONS[0][0], urdu.SMUGGLING_ROUTES)
    for index, text in urdu.SMUGGLING_AMENDED.items():
        urdu.translate_recommendation(translator, recommendations[index], text)

    yield days.at(43, "10:00")
    version = declarations.change_phase(coordinator, declaration, "signon", deadline=days.at(30, "18:00"))
    yield from in_order([(days.at(*when), partial(
        signing.sign, people[email], declaration, version_id=version.id, reservations={},
        capacity="individual" if people[email].is_expert else "organization",
        visibility="coordinators" if n == 3 else "alliance" if n % 4 == 1 else "public"))
        for n, (email, when) in enumerate(zip(SIGNERS, SIGNED, strict=True))])

    yield days.at(29, "11:00")
    submission = submissions.submit(coordinator, declaration, version_id=version.id,
                                    institution_ids=[institutions["MoI"].id, institutions["FIA"].id],
                                    deadlines={institutions["FIA"].id: (days.day(22), days.day(8))})
    yield days.at(27, "12:15")
    responses.acknowledge(reviewer, submission, declaration)
    yield days.at(24, "15:30")
    responses.acknowledge(reviewer2, submission, declaration)

    for n, (index, position, explanation, lead, months) in enumerate(ANSWERS):
        yield days.at(17, f"11:{10 * n:02d}")
        responses.save_answer(reviewer, submission, recommendations[index].id, position=position,
                              explanation=explanation, lead_institution_id=institutions[lead].id,
                              target_date=days.day(17 - 30 * months) if months else None)
    yield days.at(15, "16:00")
    responses.publish(reviewer, submission, declaration)
    note = f"Guidance note {days.day(12).month}/{days.day(12).year} sent to provincial prosecutors."
    yield days.at(11, "10:30")
    responses.post_update(reviewer, submission, recommendations[1].id, status="in_progress", evidence=note,
                          happened_on=days.day(12))
    yield days.at(9, "11:00")  # a revised answer: its first version stays in the history
    responses.save_answer(reviewer, submission, recommendations[1].id, position="supported",
                          explanation="After consulting the Law Division: guidance to prosecutors is issued, and the "
                                      "Ministry will propose the amendment to the Ordinance.",
                          lead_institution_id=institutions["MoI"].id, target_date=days.day(9 - 120))
    yield days.at(9, "11:30")
    responses.publish(reviewer, submission, declaration)
    yield days.at(7, "14:00")
    responses.post_update(reviewer, submission, recommendations[5].id, status="not_started", evidence="",
                          happened_on=days.day(7))
    yield days.at(6, "12:20")
    responses.post_update(reviewer, submission, recommendations[2].id, status="in_progress",
                          evidence="Campaign budget approved by the provinces of Balochistan and Punjab.",
                          happened_on=days.day(10))
    yield days.at(4, "10:00")  # drafts not yet published, one from each institution
    responses.save_answer(reviewer, submission, recommendations[7].id, position="supported",
                          explanation="The National Focal Person will convene the first meeting.",
                          lead_institution_id=institutions["MoI"].id, target_date=days.day(4 - 60))
    yield days.at(3, "15:00")
    responses.save_answer(reviewer2, submission, recommendations[0].id, position="supported",
                          explanation="A joint cell is being set up in Gwadar.",
                          lead_institution_id=institutions["FIA"].id, target_date=days.day(3 - 90))
    yield days.at(2, "10:30")
    responses.assess(coordinator, submission, recommendations[1].id, rating="limited",
                     notes="The guidance is welcome, but returnees were still charged in Quetta after it was sent.")
    yield days.at(2, "10:45")
    responses.assess(coordinator, submission, recommendations[4].id, rating="not_started",
                     notes="Shelters cannot wait for the provinces: federal funding exists for this.")
    return 40 + len(SIGNERS) + len(SECTIONS) + len(RECOMMENDATIONS) + 4 + sum(
        len(entries) for _target, entries in THREADS)

