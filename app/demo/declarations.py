"""The demo consultation: the UNTOC declaration, drafted a month ago in English and translated into Urdu by a
member named its translator, and open for comments for the past three weeks (threads, among them one on the
Urdu text, two amendments waiting for the revision, a comment taken down, a flag waiting, two events). One
recommendation was changed in English after it was translated, so its Urdu needs translation before sign-on
can open. And a set of recommendations started this week, still being drafted."""
from functools import partial

from sqlalchemy import select

from app.accounts.models import User
from app.comments import services as comments
from app.declarations import services as declarations
from app.declarations import translation
from app.declarations.models import Declaration
from app.demo import classification, urdu
from app.demo.consultation_threads import DISPUTED, TAKEN_DOWN, THREADS
from app.demo.story import Calendar, Story, in_order
from app.demo.threads import Conversation, propose
from app.extensions import db
from app.institutions.models import Institution

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


# Recommendation 2 as the coordinator changed it after its translation: its Urdu now needs translation.
REGIONAL_LANGUAGES = (1, "Make regular migration channels cheaper and faster, and publish their requirements in "
                         "Urdu and in Punjabi, Sindhi, Pashto and Balochi.")

# (proposer, days ago, time, target, text, rationale)
AMENDMENTS = [
    ("rep@example.org", 18, "11:05", ("recommendation", 17), "Do not prosecute or punish victims of trafficking "
     "for offences they were compelled to commit as a direct result of being trafficked.",
     "The standard wording of the non-punishment principle, which the government will recognise from the UN "
     "Working Group's recommendations; an absolute 'never' would be rejected."),
    ("expert@example.org", 9, "18:00", ("section", 1), SECTIONS[1][1] + "\n- Survivors rarely receive compensation.",
     "The context should mention compensation, which recommendation 23 addresses."),
]

# (title, held days ago, venue, in person, online, women, men)
EVENTS = [
    ("Provincial consultation, Lahore", 12, "Lahore", 41, 12, 19, 34),
    ("Online consultation with experts and groups in the north", 4, "", 0, 27, 11, 15),
]


def _addressees(pillar: str, themes: list[str]) -> list[str]:
    """Pursuit is the FIA's; trafficking, smuggling and cybercrime concern both; the rest the Ministry."""
    if pillar == "pursue":
        return ["FIA"]
    return ["MoI", "FIA"] if {"trafficking", "smuggling", "cybercrime"} & set(themes) else ["MoI"]


def consultation_story(people: dict[str, User], days: Calendar) -> Story:
    """The declaration in consultation, once. Returns how many records it created (roughly)."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == TITLE)) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    institutions = {i.acronym: i for i in db.session.scalars(select(Institution))}
    yield days.at(30, "10:00")
    declaration = declarations.create_declaration(
        coordinator, kind="declaration", title=TITLE, moderation="post", visibility="public",
        summary="Recommendations of the alliance to the government for the review of the UN Convention against "
                "Transnational Organized Crime, organised by the four pillars Prevent, Pursue, Protect and Promote.")
    sections = [declarations.add_section(coordinator, declaration, heading=h, body=b) for h, b in SECTIONS[:4]]
    recommendations = [
        declarations.add_recommendation(coordinator, declaration, text=text, pillar=pillar, themes=themes,
                                        addressees=[institutions[a].id for a in _addressees(pillar, themes)],
                                        convention_articles="", **classification.fields(row))
        for (pillar, themes, text), row in zip(RECOMMENDATIONS, classification.CONSULTATION, strict=True)]
    translation.make_bilingual(coordinator, declaration, language="ur")
    translator = people["member@example.org"]
    translation.set_translators(coordinator, declaration, [translator])
    yield days.at(28, "11:00")
    urdu.translate_title(translator, declaration, urdu.UNTOC_TITLE, urdu.UNTOC_SUMMARY)
    for section, (heading, body) in zip(sections, urdu.UNTOC_SECTIONS[:4], strict=True):
        urdu.translate_section(translator, section, heading, body)
    yield days.at(27, "16:00")
    for recommendation, text in zip(recommendations, urdu.UNTOC_RECOMMENDATIONS, strict=True):
        urdu.translate_recommendation(translator, recommendation, text)
    yield days.at(26, "15:30")
    sections.append(declarations.add_section(coordinator, declaration, heading=SECTIONS[4][0], body=SECTIONS[4][1]))
    yield days.at(25, "12:10")
    urdu.translate_section(translator, sections[4], *urdu.UNTOC_SECTIONS[4])
    yield days.at(23, "16:00")  # after the translation: the Urdu of this recommendation lags behind
    index, text = REGIONAL_LANGUAGES
    pillar, themes, _text = RECOMMENDATIONS[index]
    changed = recommendations[index]
    declarations.edit_recommendation(coordinator, changed, base_revision_id=changed.current_revision_id, text=text,
                                     pillar=pillar, themes=themes, addressees=changed.current.addressees,
                                     convention_articles=changed.current.convention_articles)

    yield days.at(21, "10:00")
    declarations.change_phase(coordinator, declaration, "consultation", deadline=days.at(-9, "18:00"))
    proposed = []
    targets = {"section": sections, "recommendation": recommendations, "amendment": proposed}
    conversation = Conversation(people, declaration, targets)
    taken_down, disputed = len(THREADS), len(THREADS) + 1
    steps = conversation.steps(days, THREADS + [TAKEN_DOWN, DISPUTED])
    for who, days_ago, clock, (kind, index), text, rationale in AMENDMENTS:
        steps.append((days.at(days_ago, clock), partial(propose, proposed, people[who], declaration,
                                                        targets[kind][index], text, rationale)))
    steps += [
        (days.at(10, "16:30"), lambda: comments.flag_comment(
            people["rep2@example.org"], conversation.comment(taken_down),
            "This names the village of a survivor and could identify her.")),
        (days.at(9, "10:00"), lambda: comments.moderate(
            coordinator, conversation.comment(taken_down), "hide",
            "Hidden because it could identify a survivor. Please post it again without the place.")),
        (days.at(2, "09:00"), lambda: comments.flag_comment(
            people["rep@example.org"], conversation.comment(disputed),
            "A serious accusation against an office, with no evidence; it could also put the author at risk.")),
    ]
    for title, held, city, in_person, online, women, men in EVENTS:
        steps.append((days.at(held - 1, "18:00"), partial(
            declarations.save_event, coordinator, declaration, None, title=title, held_on=days.day(held), venue=city,
            online=online > 0, organizers="Alliance secretariat", participants_in_person=in_person,
            participants_online=online, women=women, men=men, other_gender=None, notes="")))
    yield from in_order(steps)
    return 1 + 2 * (len(SECTIONS) + len(RECOMMENDATIONS)) + len(AMENDMENTS) + len(EVENTS) + sum(
        len(entries) for _target, entries in THREADS + [TAKEN_DOWN, DISPUTED])


DRAFT_TITLE = "Recommendations on victim and witness protection (draft)"


def draft_story(people: dict[str, User], days: Calendar) -> Story:
    """A members-only set of recommendations started this week, once."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == DRAFT_TITLE)) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    ministry = db.session.scalar(select(Institution).where(Institution.acronym == "MoI"))
    yield days.at(3, "16:00")
    draft = declarations.create_declaration(
        coordinator, kind="recommendations", title=DRAFT_TITLE, moderation="pre", visibility="members",
        summary="A short set of recommendations still being drafted.")
    declarations.add_section(coordinator, draft, heading="Purpose", body="To be completed by the drafting group.")
    declarations.add_recommendation(coordinator, draft, text="Enact a witness protection law.", pillar="protect",
                                    themes=["victims"], addressees=[ministry.id], convention_articles="",
                                    **classification.fields(classification.DRAFT))
    return 3
