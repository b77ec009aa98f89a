"""The demo's earlier years: the alliance's declarations of 2022 and 2023, from before it used Sanad, imported
from a CSV (in English and Urdu) ten weeks ago, with the government's positions and the alliance's assessments;
then recommendations of this year's declarations marked, while they were drafted, as carrying them forward — the
recommendations on migrant smuggling (since submitted and answered), the UNTOC declaration (in consultation) and
the members-only draft. So the demo's tracker shows lines, and a recommendation's line runs from 2022."""
import csv
import hashlib
import io

from sqlalchemy import select

from app.accounts.models import User
from app.declarations.models import Declaration, Recommendation
from app.declarations.services import EDITABLE_PHASES, live_recommendations
from app.demo import declarations as untoc_demo
from app.demo import submissions as smuggling_demo
from app.demo.story import Calendar, Story
from app.extensions import db
from app.lines import queries, services
from app.lines.import_rows import COLUMNS
from app.lines.models import EarlierDeclaration, EarlierRecommendation

TITLES = {2022: "Civil Society Declaration on Organized Crime 2022",
          2023: "Civil Society Declaration on Organized Crime 2023"}
SUBMITTED = {2022: "2022-12-05", 2023: "2023-12-04"}
ANSWERED = {2022: "2023-03-10", 2023: "2024-03-12"}

# (year, number, language, pillar, themes, line label, text, [(institution, position, explanation)], assessment,
# notes)
RECOMMENDATIONS = [
    (2022, 1, "en", "pursue", "trafficking", "prosecution-units",
     "Create specialised anti-trafficking prosecution units in the provinces.",
     [("MoI", "noted", "Prosecution is a provincial subject."),
      ("FIA", "supported", "The FIA will second investigators to such units.")], "no_evidence", ""),
    (2022, 3, "en", "protect", "smuggling;victims", "witnesses",
     "Stop prosecuting smuggled migrants under the Emigration Ordinance for having been smuggled.",
     [("MoI", "noted", "The Ordinance applies to everyone who leaves the country irregularly.")], "not_started", ""),
    (2022, 7, "en", "protect", "victims", "shelters",
     "Fund shelters for victims of trafficking and smuggling in every province.",
     [("MoI", "not_supported", "Shelters are the provinces' responsibility.")], "no_evidence", ""),
    (2022, 10, "en", "promote", "trafficking;smuggling", "statistics",
     "Publish annual statistics on trafficking and smuggling cases, prosecutions and convictions.",
     [("MoI", "supported", "The Ministry will publish a yearly report."),
      ("FIA", "noted", "The FIA shares its figures with the Ministry.")], "limited",
     "One report appeared, without convictions by province."),
    (2022, 12, "en", "protect", "victims", "witness-law",
     "Enact a witness protection law and set up an independent protection agency.",
     [("MoI", "noted", "A draft law is under consideration.")], "no_evidence", ""),
    (2022, 15, "en", "prevent", "firearms", "firearms-register",
     "Digitise the firearms licence register and reconcile provincial records.",
     [("MoI", "partially", "Punjab and Islamabad first.")], "limited", ""),
    (2023, 2, "en", "pursue", "trafficking", "prosecution-units",
     "Create specialised anti-trafficking prosecution units in every province.",
     [("MoI", "noted", "Still a provincial subject; the Ministry will write to the provinces.")], "not_started", ""),
    (2023, 5, "ur", "protect", "smuggling;victims", "witnesses",
     "اسمگل ہونے والے تارکینِ وطن کے خلاف ایمیگریشن آرڈیننس کے تحت مقدمات بند کیے جائیں اور انہیں گواہ کے طور پر "
     "تحفظ دیا جائے۔",
     [("MoI", "noted", "وزارت اس تجویز پر صوبوں سے مشاورت کر رہی ہے۔")], "not_started", ""),
    (2023, 8, "en", "protect", "victims;smuggling", "shelters",
     "Fund shelters for victims of trafficking and for smuggled migrants who are returned, in every province.",
     [("MoI", "noted", "The Ministry will raise it with the provinces.")], "no_evidence", ""),
    (2023, 11, "ur", "promote", "trafficking;smuggling", "statistics",
     "انسانی اسمگلنگ اور تارکینِ وطن کی اسمگلنگ کے مقدمات، استغاثہ اور سزاؤں کے سالانہ اعداد و شمار صوبے اور جنس کے "
     "لحاظ سے شائع کیے جائیں۔",
     [("MoI", "supported", "سالانہ رپورٹ میں صوبہ وار اعداد و شمار شامل کیے جائیں گے۔"),
      ("FIA", "supported", "ایف آئی اے اپنے اعداد و شمار ہر سہ ماہی وزارت کو بھیجے گی۔")], "limited",
     "رپورٹ شائع ہوئی مگر اس میں سزاؤں کی تعداد نہیں۔"),
    (2023, 13, "ur", "protect", "victims", "witness-law",
     "گواہوں کے تحفظ کا قانون بنایا جائے اور تحفظ کا ایک خود مختار ادارہ قائم کیا جائے۔",
     [("MoI", "partially", "مسودۂ قانون وزارتِ قانون کو بھیج دیا گیا ہے۔")], "not_started", ""),
    (2023, 16, "en", "prevent", "firearms", "firearms-register",
     "Digitise the national firearms licence register and reconcile provincial records by the end of 2024.",
     [("MoI", "supported", "The register is being digitised with NADRA.")], "substantial",
     "Punjab and Islamabad records are online; Sindh has started."),
]

# The classification on record, by line label: UNTOC provisions, SDG targets, groups (keys, ";" between them).
CLASSIFIED = {"prosecution-units": ("tip-5", "16.3", ""),
              "witnesses": ("som-16", "10.7", "migrants;victims_witnesses"),
              "shelters": ("tip-6;som-16", "5.2;16.2", "women;children;migrants"),
              "statistics": ("", "16.3;16.4", ""),
              "witness-law": ("untoc-24;untoc-25", "16.3", "victims_witnesses"),
              "firearms-register": ("firearms", "16.4", "")}

# Recommendations of this year's declarations and what each carries forward: (its index among its declaration's live
# recommendations, the (year, number) of an imported one, or the index of a submitted smuggling recommendation).
SMUGGLING_CARRIES = [(1, (2023, 5)), (4, (2023, 8)), (5, (2023, 11))]
UNTOC_CARRIES = [(8, (2023, 2)), (15, 5), (16, 4), (18, (2023, 13))]
DRAFT_CARRIES = [(0, (2023, 13))]


def earlier_years_csv() -> str:
    """The alliance's records of 2022 and 2023, as the coordinator's spreadsheet would save them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for year, number, language, pillar, themes, label, text, answers, assessment, notes in RECOMMENDATIONS:
        cells = dict(year=year, declaration_title=TITLES[year], submitted_on=SUBMITTED[year], number=number, text=text,
                     language=language, pillar=pillar, themes=themes, assessment=assessment, assessment_notes=notes,
                     line=label, answered_on=ANSWERED[year],
                     **dict(zip(("untoc", "sdg_targets", "groups"), CLASSIFIED[label], strict=True)))
        for n, (institution, position, explanation) in enumerate(answers):
            row = cells if n == 0 else {k: v for k, v in cells.items() if k in ("year", "declaration_title",
                                                                                  "number", "answered_on")}
            row = {**row, "institution": institution, "position": position, "explanation": explanation}
            writer.writerow([row.get(name, "") for name in COLUMNS])
    return out.getvalue()


def _carry(coordinator: User, title: str, carries: list) -> None:
    """Mark recommendations of the declaration with this title as carrying earlier ones forward, while it is
    still being drafted (a demo loaded again later finds it past drafting and leaves it)."""
    declaration = db.session.scalar(select(Declaration).where(Declaration.title == title))
    if declaration is None or declaration.phase not in EDITABLE_PHASES:
        return
    recommendations = live_recommendations(declaration.id)
    for index, source in carries:
        if isinstance(source, tuple):
            kind, source_id = queries.EARLIER, db.session.scalar(
                select(EarlierRecommendation.id).join(EarlierDeclaration)
                .where(EarlierDeclaration.year == source[0], EarlierRecommendation.number == source[1]))
        else:
            smuggling = db.session.scalar(select(Declaration.id).where(Declaration.title == smuggling_demo.TITLE))
            kind, source_id = queries.SANAD, db.session.scalar(
                select(Recommendation.id).where(Recommendation.declaration_id == smuggling,
                                                Recommendation.deleted_at.is_(None))
                .order_by(Recommendation.position).offset(source).limit(1))
        services.carry_forward(coordinator, recommendations[index], kind=kind, source_id=source_id)


def earlier_years_story(people: dict[str, User], days: Calendar) -> Story:
    """The import, once, and the recommendations carrying the earlier years forward. Returns how many records it
    created (roughly)."""
    if db.session.scalar(select(EarlierDeclaration.id).where(EarlierDeclaration.title == TITLES[2022])) is not None:
        return 0
    coordinator = people["coordinator@example.org"]
    yield days.at(70, "11:00")
    data = earlier_years_csv().encode("utf-8")
    counts = services.import_earlier_years(coordinator, data, filename="alliance-records-2022-2023.csv",
                                           expected_sha256=hashlib.sha256(data).hexdigest())
    yield days.at(63, "10:30")  # the smuggling recommendations, created this morning, are still a draft
    _carry(coordinator, smuggling_demo.TITLE, SMUGGLING_CARRIES)
    yield days.at(28, "09:30")  # the UNTOC declaration is drafted; the smuggling one was submitted yesterday
    _carry(coordinator, untoc_demo.TITLE, UNTOC_CARRIES)
    yield days.at(3, "16:30")
    _carry(coordinator, untoc_demo.DRAFT_TITLE, DRAFT_CARRIES)
    return counts["declarations"] + counts["recommendations"] + counts["answers"] + counts["lines"]
