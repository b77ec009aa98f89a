"""The demo sign-on: a public statement on survivors of trafficking, drafted five weeks ago, consulted on for ten
days, revised, and in sign-on for the past nineteen days, with about forty signatures (some pending, three
withdrawn) from members, experts and organizations outside the alliance."""
from datetime import timedelta
from functools import partial

from sqlalchemy import select

from app.accounts.models import User
from app.amendments import services as amendments
from app.declarations import services as declarations
from app.declarations.models import Declaration
from app.demo import classification
from app.demo.people import MORE_ORGANIZATIONS
from app.demo.story import Calendar, Story, in_order
from app.demo.threads import Conversation, propose
from app.extensions import db
from app.institutions.models import Institution
from app.signatures import open_signon
from app.signatures import services as signing
from app.tokens import token_hash

TITLE = "Joint Statement on the Protection of Survivors of Trafficking"

SECTIONS = [
    ("Our statement", "We, organizations and experts of the alliance, call on the federal and provincial "
     "governments to put the **rights and safety of survivors** at the centre of the response to trafficking."),
    ("What survivors told us", "Survivors are questioned many times, wait years for trial and rarely receive "
     "compensation. Many are afraid to testify."),
]

# (pillar, themes, addressee acronyms, text)
RECOMMENDATIONS = [
    ("protect", ["victims", "trafficking"], ["MoI"], "Open at least one survivor-run shelter in every province "
     "within a year."),
    ("protect", ["victims"], ["MoI"], "Let survivors testify by video link and keep their identity out of court "
     "records."),
    ("pursue", ["trafficking"], ["MoI", "FIA"], "Decide trafficking cases within six months of the charge."),
    ("protect", ["victims"], ["MoI"], "Pay interim compensation to survivors from a dedicated fund before the "
     "verdict."),
    ("promote", ["trafficking"], ["MoI", "FIA"], "Involve survivor organizations in reviewing the national action "
     "plan."),
    ("prevent", ["trafficking", "smuggling"], ["MoI"], "Train labour inspectors to identify forced labour and debt "
     "bondage."),
]

THREADS = [
    (("recommendation", 2), [
        ("rep2@example.org", 31, "11:00", "Six months is not realistic in Sindh, where a trafficking trial takes "
         "years, mostly because witnesses are not produced. Could we tie the time limit to recorded evidence, so "
         "survivors are not called back to court again and again?"),
        ("expert2@example.org", 31, "15:20", "Agree. A deadline on its own only produces adjournments on paper; "
         "with the survivor's statement recorded once on video, six months becomes possible."),
        ("lslrc@example.org", 30, "10:10", "Our court-watch notes from Lahore say the same: most adjournments in "
         "the trafficking cases we followed were for absent witnesses, not at the request of the defence."),
    ]),
    (("recommendation", 1), [
        ("rep4@example.org", 30, "17:45", "متاثرین کو بار بار بیان دینے پر مجبور کیا جاتا ہے۔ ایک ہی ویڈیو بیان "
         "کافی ہونا چاہیے، اور ان کا نام عدالتی ریکارڈ میں ظاہر نہ ہو۔"),
        ("craf@example.org", 29, "09:40", "For children this matters even more. The statement could add that a "
         "child survivor is never questioned face to face with the accused."),
    ]),
    (("recommendation", 0), [
        ("rep3@example.org", 29, "12:40", "دارالامان میں رہنے والی خواتین کو عدالت جانے کے لیے بھی اجازت لینی "
         "پڑتی ہے۔ پناہ گاہ قید خانہ نہیں بننی چاہیے۔"),
        ("dwda@example.org", 28, "16:15", "Exactly, and this is why 'survivor-run' must stay in the text. Where "
         "survivors help run the shelter, women stay, and many of them go on to testify."),
    ]),
    (("recommendation", 3), [
        ("expert@example.org", 27, "14:00", "Where would the money come from before a verdict? If we do not say, "
         "the answer will be 'no budget'. Assets confiscated under the Anti-Money Laundering Act could be one "
         "source."),
        ("sss@example.org", 26, "11:30", "A dedicated fund is still needed: confiscation takes years, and "
         "survivors need rent and school fees in the first months."),
    ]),
    (("recommendation", 5), [
        ("abla@example.org", 25, "19:10", "بھٹہ مالکان مزدوروں کو قرض کا حساب کبھی نہیں دکھاتے۔ سفارش میں لکھا "
         "جائے کہ ہر مزدور کو اس کے کھاتے کی نقل دی جائے۔"),
        ("rep5@example.org", 24, "10:25", "Agree. Inspectors should also be able to visit kilns without notice; in "
         "south Punjab the owners are warned a day ahead."),
    ]),
    (("section", 1), [
        ("wja@example.org", 23, "11:30", "Could the statement also ask newspapers and channels not to publish "
         "survivors' names or faces? We still see it every month in the local press."),
    ]),
]

SHELTERS = ("Open at least one survivor-run shelter in every province within a year, and one in every division "
            "within three years.")

OUTSIDE = [  # organizations outside the alliance, through the open form: (name, type, country, province, signer,
    # days ago and time of the request, approved the next day)
    ("Global Alliance against Bonded Labour", "network", "United Kingdom", None, "Helen Price", 15, "14:00", True),
    ("Hazara Women's Collective", "ngo", "Pakistan", "balochistan", "Shabana Hazara", 9, "19:00", True),
    ("Punjab Brick Kiln Workers Association", "ngo", "Pakistan", "punjab", "Munir Masih", 2, "16:00", False),
]

WITHDRAWN = [  # (email, days ago, time, reason)
    ("craf@example.org", 6, "15:00", "Our board has not yet approved the final text."),
    ("kul@example.org", 4, "11:30", ""),
    ("lrsf@example.org", 2, "17:40", "Signed by mistake for the wrong statement."),
]

HOURS = ["11:40", "15:05", "09:20", "18:45", "13:30", "20:10", "10:55", "16:25", "12:15"]


def signon_story(people: dict[str, User], days: Calendar) -> Story:
    """The sign-on demo, once. Returns how many records it created (roughly)."""
    if db.session.scalar(select(Declaration.id).where(Declaration.title == TITLE)) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    institutions = {i.acronym: i for i in db.session.scalars(select(Institution))}
    members = [people[e] for e in ("rep2@example.org", "rep3@example.org", "rep4@example.org", "rep5@example.org")]
    members += [people[f"{acronym.lower()}@example.org"] for _name, acronym, *_rest in MORE_ORGANIZATIONS]
    members += [people[e] for e in ("expert@example.org", "expert2@example.org", "expert3@example.org")]

    yield days.at(34, "10:00")
    declaration = declarations.create_declaration(
        coordinator, kind="declaration", title=TITLE, moderation="post", visibility="public",
        summary="A short joint statement of the alliance, open for signature by members and by organizations "
                "outside the alliance.")
    sections = [declarations.add_section(coordinator, declaration, heading=h, body=b) for h, b in SECTIONS]
    recommendations = [declarations.add_recommendation(
        coordinator, declaration, text=text, pillar=pillar, themes=themes, convention_articles="",
        addressees=[institutions[a].id for a in addressees], **classification.fields(row))
        for (pillar, themes, addressees, text), row in zip(RECOMMENDATIONS, classification.SIGNON, strict=True)]

    yield days.at(32, "10:00")
    declarations.change_phase(coordinator, declaration, "consultation", deadline=days.at(22, "18:00"))
    proposed = []
    conversation = Conversation(people, declaration, {"section": sections, "recommendation": recommendations})
    yield from in_order(conversation.steps(days, THREADS) + [(days.at(28, "17:00"), partial(
        propose, proposed, people["rep3@example.org"], declaration, recommendations[0], SHELTERS,
        "One shelter per province is a day's travel away for most survivors."))])
    yield days.at(21, "10:00")
    declarations.change_phase(coordinator, declaration, "revision")
    yield days.at(21, "11:00")
    amendments.accept(coordinator, proposed[0])

    yield days.at(19, "10:00")
    version = declarations.change_phase(coordinator, declaration, "signon", deadline=days.at(-12, "18:00"))
    open_signon.set_open_signon(coordinator, declaration, True)
    steps, signed = [], {}
    for n, person in enumerate(members):
        visibility = "coordinators" if n % 9 == 4 else "alliance" if n % 5 == 3 else "public"
        reservations = {recommendations[2].id: "We would allow twelve months for complex cases."} if n == 6 else {}
        steps.append((days.at(19 - (n * 18) // len(members), HOURS[n % len(HOURS)]), partial(
            _sign, signed, person, declaration, version_id=version.id, visibility=visibility,
            reservations=reservations)))
    for outside in OUTSIDE:
        steps += _outside_signature(coordinator, declaration, version, days, *outside)
    for email, days_ago, clock, reason in WITHDRAWN:
        steps.append((days.at(days_ago, clock), partial(_withdraw, signed, people[email], reason)))
    yield from in_order(steps)
    return (1 + len(SECTIONS) + len(RECOMMENDATIONS) + 1 + sum(len(entries) for _target, entries in THREADS)
            + len(members) + len(OUTSIDE))


def _outside_signature(coordinator, declaration, version, days: Calendar, name, type_, country, province, signer,
                       days_ago, clock, approved) -> list:
    """The request through the open form, its confirmation twenty minutes later, the approval the next day."""
    token = "demo-" + name  # the emailed token is not kept; a known one stands in for it here
    made = {}

    def request():
        made["request"] = open_signon.request_open_signature(
            declaration, language="en", version_id=version.id, organization_name=name, organization_type=type_,
            country=country, province=province, website="", signer_name=signer, signer_designation="Coordinator",
            email=f"{signer.split()[0].lower()}@outside.example.org", visibility="public")
        made["request"].token_hash = token_hash(token)

    def confirm():
        made["signature"] = open_signon.confirm_open_signature(token)

    requested = days.at(days_ago, clock)
    steps = [(requested, request), (requested + timedelta(minutes=20), confirm)]
    if approved:
        steps.append((days.at(days_ago - 1, "10:30"), lambda: open_signon.approve(coordinator, made["signature"])))
    return steps


def _sign(signed: dict, person: User, declaration: Declaration, **choices) -> None:
    signed[person.email] = signing.sign(person, declaration, capacity="individual" if person.is_expert
                                        else "organization", **choices)


def _withdraw(signed: dict, person: User, reason: str) -> None:
    signing.withdraw(person, signed[person.email], reason)
