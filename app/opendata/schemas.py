"""The JSON Schema (draft 2020-12) of every kind of open-data record: one description, used three times — in the
OpenAPI document (app/opendata/openapi.py), as the archive's schemas/<name>.schema.json, and to lay out the
archive's CSV columns and their own schemas (app/opendata/tables.py). Every object names all its properties and
allows no others, so a record that said more than it should would fail the tests that check responses and files
against these schemas."""
import copy

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
ID = {"type": "integer", "minimum": 1}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
LANGUAGE = {"type": "string", "pattern": "^[a-z]{2}$"}


def nullable(schema: dict) -> dict:
    """The schema, or null."""
    if schema.get("type") in ("string", "integer", "boolean") and len(schema) <= 2:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def object_of(description: str, properties: dict, **extra) -> dict:
    """An object with exactly these properties, all of them present (null where a value may be missing)."""
    return {"type": "object", "description": description, "properties": properties,
            "required": list(properties), "additionalProperties": False, **extra}


def described(schema: dict, description: str) -> dict:
    return {**schema, "description": description}


LABELS = object_of("A label in English and in Urdu.", {"en": STRING, "ur": STRING})
LABELLED = object_of("A key from a controlled list with its label in both languages (the key is stable; labels may "
                  "be reworded).", {"key": STRING, "label": LABELS})
LABELLED_LIST = {"type": "array", "items": LABELLED}
TEXTS = {"type": "object", "description": "A text by language code: the declaration's language and, for a "
                                          "declaration in two languages, its translation.",
         "propertyNames": {"enum": ["en", "ur"]}, "additionalProperties": STRING, "minProperties": 1}
CLASSIFICATION = object_of("The recommendation's classification: UNTOC provisions, SDG targets and the groups it "
                        "concerns.", {"untoc": LABELLED_LIST, "sdg_targets": LABELLED_LIST, "groups": LABELLED_LIST})
TEXT = object_of("A recommendation's text: its language, the sanitized HTML shown on the site and the Markdown it "
              "was written in.", {"language": LANGUAGE, "html": STRING, "markdown": STRING})

DECLARATION = object_of("A public declaration.", {
    "id": ID, "kind": LABELLED, "language": LANGUAGE, "languages": {"type": "array", "items": LANGUAGE},
    "title": TEXTS, "summary": TEXTS, "phase": LABELLED,
    "consultation_deadline": nullable(DATE_TIME), "signon_deadline": nullable(DATE_TIME),
    "created_at": DATE_TIME, "updated_at": DATE_TIME,
    "submission_id": described(nullable(ID), "Its submission, once submitted."),
    "url": described(URL, "Its page on the site."), "versions": described(URL, "Its versions in this API."),
})
VERSION = object_of("A numbered version of a public declaration's text, frozen at a phase change.", {
    "id": ID, "declaration_id": ID, "number": ID, "phase": LABELLED,
    "sha256": described(SHA256, "The SHA-256 of the content written as canonical JSON (sorted keys, no spaces, "
                                "UTF-8)."),
    "created_at": DATE_TIME, "url": URL, "api": URL})
VERSION_WITH_CONTENT = copy.deepcopy(VERSION)
VERSION_WITH_CONTENT["properties"]["content"] = {
    "type": "object", "description": "The text the hash covers: title, sections and recommendations (and, for a "
                                     "declaration in two languages, its translation)."}
VERSION_WITH_CONTENT["required"].append("content")

RECOMMENDATION = object_of("A recommendation as submitted in a public dossier; its id is the id of its page on the "
                        "site.", {
    "id": ID, "submission_id": ID, "declaration_id": ID, "number": ID,
    "line_id": described(nullable(ID), "The line it belongs to (the same ask across declarations), if any."),
    "pillar": LABELLED, "themes": LABELLED_LIST, "classification": CLASSIFICATION,
    "addressees": described({"type": "array", "items": ID}, "The institutions it is addressed to."),
    "text": TEXT, "translation": described(nullable(TEXT), "Its text in the declaration's second language."),
    "submitted_at": DATE_TIME, "url": URL, "line": nullable(URL)})

RECIPIENT = object_of("An institution a submission was addressed to.", {
    "submission_id": ID, "institution_id": ID, "acknowledged_at": nullable(DATE_TIME),
    "acknowledge_by": described(nullable(DATE), "The date set for acknowledging receipt."),
    "answer_by": described(nullable(DATE), "The date set for answering."),
    "first_published_at": described(nullable(DATE_TIME), "When it first published answers.")})
SUBMISSION = object_of("A public dossier.", {
    "id": ID, "declaration_id": ID, "title": STRING,
    "sha256": described(SHA256, "The complete dossier's SHA-256 (its public extract says which names it leaves "
                                "out)."),
    "text_sha256": described(SHA256, "The SHA-256 of the signed version's text."),
    "version": object_of("The version signed and submitted.", {"id": ID, "number": ID}),
    "submitted_at": DATE_TIME, "follow_up_closed_at": nullable(DATE_TIME),
    "recipients": {"type": "array", "items": RECIPIENT},
    "url": URL, "extract": described(URL, "The public extract as JSON."),
    "signatories": described(URL, "Its publicly named signatories in this API.")})

_ABOUT = {"recommendation_id": ID, "submission_id": ID, "declaration_id": ID, "url": URL}
ANSWER = object_of("A published answer of an institution (one published revision).", {
    "id": ID, **_ABOUT, "institution_id": ID, "revision": ID, "position": LABELLED, "explanation": STRING,
    "lead_institution_id": nullable(ID), "target_date": nullable(DATE), "published_at": DATE_TIME,
    "current": described(BOOLEAN, "The institution's standing answer (no later revision published).")})
UPDATE = object_of("An implementation update an institution reported.", {
    "id": ID, **_ABOUT, "institution_id": ID, "status": LABELLED, "evidence": STRING, "happened_on": DATE,
    "created_at": DATE_TIME})
ASSESSMENT = object_of("The alliance's assessment of a recommendation's implementation.", {
    "id": ID, **_ABOUT, "rating": LABELLED, "notes": STRING, "created_at": DATE_TIME,
    "current": described(BOOLEAN, "The standing assessment (none later).")})
INSTITUTION = object_of("A government institution.", {
    "id": ID, "name": STRING, "acronym": STRING, "description": STRING, "api": URL,
    "scorecard": described(URL, "The institution's scorecard in this API.")})
SIGNATORY = object_of("A signatory of a public dossier who chose to be named publicly: an organization by its name, "
                   "an individual by the name and designation they signed with.", {
    "id": ID, "submission_id": ID, "capacity": {"enum": ["organization", "individual"]}, "name": STRING,
    "designation": nullable(STRING), "organization_id": described(nullable(ID), "A member organization's id."),
    "acronym": STRING, "type": nullable(STRING), "province": nullable(STRING), "country": nullable(STRING),
    "member": described(BOOLEAN, "A member organization of the alliance."), "signed_at": DATE_TIME,
    "reservations": {"type": "array", "items": object_of("A reservation on one recommendation.", {
        "recommendation_number": ID, "text": STRING})}})

EARLIER_DECLARATION = object_of("A declaration from before Sanad, as the alliance imported it.", {
    "id": ID, "year": INTEGER, "title": STRING, "submitted_on": nullable(DATE)})
EARLIER_RECOMMENDATION = object_of("A recommendation of an earlier declaration.", {
    "id": ID, "declaration_id": ID, "number": ID, "text": STRING, "language": LANGUAGE,
    "pillar": nullable(LABELLED), "themes": LABELLED_LIST, "classification": CLASSIFICATION, "line_id": ID,
    "assessment": described(nullable(LABELLED), "The alliance's assessment at the time (completion scale)."),
    "assessment_notes": STRING})
EARLIER_ANSWER = object_of("An institution's position on an earlier recommendation, as the record has it.", {
    "id": ID, "earlier_recommendation_id": ID, "institution_id": ID, "position": LABELLED, "explanation": STRING,
    "answered_on": nullable(DATE)})

LINE = object_of("A line: one ask followed across declarations.", {
    "id": ID, "created_at": DATE_TIME,
    "recommendation_ids": described({"type": "array", "items": ID}, "Its recommendations submitted in public "
                                                                    "dossiers."),
    "earlier_recommendation_ids": {"type": "array", "items": ID}, "api": URL})
_POSITION = object_of("An institution's position.", {
    "institution_id": ID, "position": LABELLED, "explanation": STRING, "date": nullable(DATE)})
_LATEST_UPDATE = object_of("An institution's latest implementation update.", {
    "institution_id": ID, "status": LABELLED, "happened_on": DATE})


def _entry(source: str, declaration: dict, recommendation: dict) -> dict:
    return object_of(f"An entry of the line ({source}).", {
        "source": {"const": source}, "year": INTEGER, "date": nullable(DATE), "declaration": declaration,
        "recommendation": recommendation, "positions": {"type": "array", "items": _POSITION},
        "updates": {"type": "array", "items": _LATEST_UPDATE}, "assessment": nullable(LABELLED)})


LINE_ENTRY = {"oneOf": [
    _entry("earlier", object_of("The earlier declaration.", {"id": ID, "title": STRING}), EARLIER_RECOMMENDATION),
    _entry("sanad", object_of("The declaration submitted through Sanad.", {"id": ID, "title": STRING}),
           RECOMMENDATION)]}
LINE_WITH_ENTRIES = copy.deepcopy(LINE)
LINE_WITH_ENTRIES["properties"]["entries"] = described({"type": "array", "items": LINE_ENTRY},
                                                       "Oldest first (at most 100 of each source).")
LINE_WITH_ENTRIES["required"].append("entries")

# By resource name (app/opendata/resources.py): the record of a list, and of an item where it says more.
RECORDS = {"declarations": DECLARATION, "versions": VERSION, "recommendations": RECOMMENDATION, "lines": LINE,
           "submissions": SUBMISSION, "recipients": RECIPIENT, "answers": ANSWER, "updates": UPDATE,
           "assessments": ASSESSMENT, "institutions": INSTITUTION, "signatories": SIGNATORY,
           "earlier_declarations": EARLIER_DECLARATION, "earlier_recommendations": EARLIER_RECOMMENDATION,
           "earlier_answers": EARLIER_ANSWER}
ITEM_RECORDS = {**RECORDS, "versions": VERSION_WITH_CONTENT, "lines": LINE_WITH_ENTRIES}
