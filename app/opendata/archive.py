"""The bulk download: every public record in one zip, a JSON and a CSV file per table with a JSON Schema for each
file, a README and the controlled lists' labels. A job (flask opendata build) makes it when the public data
changed: a stamp — counts, sums of ids and latest times of the public tables, a few aggregates in SQL — names the
data, and an archive with that stamp already stored means there is nothing to do. The tables are read in keyset
batches and written straight into the zip (the CSV beside it in a temporary file), so the job's memory holds a
batch, not a table; only the newest archive is kept."""
import csv
import hashlib
import io
import json
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass, field

from flask import current_app, has_request_context
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app import choices
from app.declarations.models import Declaration, Recommendation
from app.exports import safe_cell
from app.extensions import db
from app.institutions.models import Institution
from app.lines.models import EarlierDeclaration, EarlierRecommendation
from app.opendata.models import OpenDataArchive
from app.opendata.record_kit import PUBLIC_DECLARATION, Filters, labels, moment
from app.opendata.resources import RESOURCES, read_page
from app.opendata.tables import TABLES, Table, columns, csv_header, csv_row, csv_schema, json_schema
from app.organizations.models import Organization
from app.responses.models import Answer
from app.submissions.models import RecipientDeadline, Submission, SubmissionClosure, SubmissionRecipient
from app.time import utcnow

# The archive's layout: a new one makes the next run build again, whatever the data.
FORMAT = 1
NAME = "sanad-open-data.zip"
VOCABULARIES = ("PILLARS", "THEMES", "PHASES", "DECLARATION_KINDS", "POSITIONS", "IMPLEMENTATION_STATUSES",
                "COMPLETION", "ASSESSMENTS", "UNTOC_PROVISIONS", "SDG_TARGETS", "GROUPS")


def _length(*columns):
    """The sum of the lengths of these text columns over the rows: a renamed row changes it (most likely)."""
    total = func.length(func.coalesce(columns[0], ""))
    for column in columns[1:]:
        total = total + func.length(func.coalesce(column, ""))
    return func.sum(total)


# Besides each table's count and sum of ids: what changes without adding or removing a row.
_CHANGES = {
    "declarations": lambda: (func.max(Declaration.updated_at), func.sum(Declaration.edit_count)),
    "recommendations": lambda: (func.count(Recommendation.line_id), func.sum(Recommendation.line_id)),
    "submissions": lambda: (func.max(SubmissionClosure.closed_at),),
    "answers": lambda: (func.max(Answer.published_at),),
    "earlier_declarations": lambda: (func.max(EarlierDeclaration.imported_at),),
    "earlier_recommendations": lambda: (func.sum(EarlierRecommendation.line_id),),
    "institutions": lambda: (_length(Institution.name, Institution.acronym, Institution.description),),
    "signatories": lambda: (_length(Organization.name, Organization.acronym, Organization.province),),
}


def stamp() -> str:
    """A digest of the public data's shape: one aggregate query per table (no rows read into Python)."""
    parts: dict[str, list] = {"format": [FORMAT]}
    for name, resource in RESOURCES.items():
        extra = _CHANGES.get(name, tuple)()
        statement = resource.statement(Filters()).with_only_columns(
            func.count(resource.key), func.sum(resource.key), *extra, maintain_column_froms=True)
        parts[name] = [str(value) for value in db.session.execute(statement).one()]
    recipients = (select(func.count(), func.max(SubmissionRecipient.acknowledged_at),
                         func.max(SubmissionRecipient.first_published_at), func.max(RecipientDeadline.set_at),
                         func.max(RecipientDeadline.acknowledge_by), func.max(RecipientDeadline.answer_by),
                         func.min(RecipientDeadline.acknowledge_by), func.min(RecipientDeadline.answer_by))
                  .select_from(SubmissionRecipient)
                  .join(Submission, Submission.id == SubmissionRecipient.submission_id)
                  .join(Declaration, Declaration.id == Submission.declaration_id)
                  .outerjoin(RecipientDeadline, (RecipientDeadline.submission_id == SubmissionRecipient.submission_id)
                             & (RecipientDeadline.institution_id == SubmissionRecipient.institution_id))
                  .where(PUBLIC_DECLARATION))
    parts["recipients"] = [str(value) for value in db.session.execute(recipients).one()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def newest() -> OpenDataArchive | None:
    """The newest archive, without its bytes."""
    return db.session.scalar(select(OpenDataArchive).order_by(OpenDataArchive.id.desc()).limit(1))


def archive_bytes(archive_id: int) -> bytes:
    return db.session.scalar(select(OpenDataArchive.archive).where(OpenDataArchive.id == archive_id))


@dataclass
class Built:
    """What a run of the job did."""
    built: bool
    stamp: str
    size: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    seconds: float = 0.0
    note: str = ""


def _records(table: Table):
    """Every row of the table, read a batch at a time by key."""
    after = 0
    while True:
        records, next_key = read_page(table.resource, Filters(), after, table.resource.batch, detail=table.detail)
        for record in records:
            yield from (table.rows_of(record) if table.rows_of else (record,))
        if next_key is None:
            return
        after = next_key


def _entry(name: str) -> zipfile.ZipInfo:
    """A file of the archive dated now and readable by all once unpacked (0644), like the CSV files added from
    disk (ZipFile.writestr and .open would date it 1980 and make it 0600)."""
    info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
    info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
    return info


def _write_table(archive: zipfile.ZipFile, table: Table, folder: str) -> int:
    """<name>.json streamed into the zip and <name>.csv into a temporary file, then added; returns the rows."""
    layout = columns(table.schema)
    count = 0
    csv_path = os.path.join(folder, f"{table.name}.csv")
    with open(csv_path, "w", encoding="utf-8", newline="") as csv_file, \
            archive.open(_entry(f"{table.name}.json"), "w") as json_file:
        csv_file.write("\ufeff")  # a BOM, so that spreadsheet programs read the Urdu as UTF-8 (app/exports.py)
        writer = csv.writer(csv_file)
        writer.writerow(csv_header(table))
        json_file.write(b"[")
        for record in _records(table):
            json_file.write((",\n" if count else "\n").encode() + json.dumps(record, ensure_ascii=False).encode())
            writer.writerow([safe_cell(cell) for cell in csv_row(table, record, layout)])
            count += 1
        json_file.write(b"\n]\n")
    archive.write(csv_path, f"{table.name}.csv")
    os.remove(csv_path)
    for name, schema in ((f"schemas/{table.name}.schema.json", json_schema(table)),
                         (f"schemas/{table.name}.csv.schema.json", csv_schema(table))):
        archive.writestr(_entry(name), json.dumps(schema, ensure_ascii=False, indent=2))
    return count


def vocabularies() -> dict:
    """Every controlled list: key → its label in English and Urdu."""
    return {name.lower(): {key: labels(getattr(choices, name), key) for key in getattr(choices, name)}
            for name in VOCABULARIES}


def readme(stamp_value: str, rows: dict[str, int], built_at) -> str:
    site = current_app.config["SITE_URL"]
    lines = [
        "# Sanad open data", "",
        f"All public data of {site or 'this Sanad site'}, built {moment(built_at)} (stamp {stamp_value}).",
        "Nothing that is not public on the site is in it: members-only declarations, draft answers, reviewers and "
        "signatories who did not choose to be named publicly never appear.", "",
        "Each table comes twice, with the same rows: `<name>.json` (an array of records, with the labels of keys in "
        "English and Urdu) and `<name>.csv` (UTF-8 with a byte-order mark; nested fields as columns such as "
        "`text.html`; keys of controlled lists alone; lists separated by `;`; deeper records as JSON in one cell; a "
        "cell that would begin with = + - or @ begins with an apostrophe). `schemas/<name>.schema.json` describes "
        "the JSON file and `schemas/<name>.csv.schema.json` a row of the CSV file (JSON Schema 2020-12). "
        "`vocabularies.json` has every controlled list with its labels.", "",
        "| file | rows | what |", "| --- | --- | --- |",
        *(f"| {table.name} | {rows[table.name]} | {table.summary} |" for table in TABLES),
        "", "Ids are those of the site and of its API (/api/v1/, described at /api/v1/openapi.json): a "
        "recommendation's id is its page's, /recommendations/<id>. A version's sha256 is the SHA-256 of its "
        "content written as JSON with sorted keys, no spaces and UTF-8. The same data, always current, is served "
        "by the API; answers and updates also as Atom feeds (/feeds/answers.atom).", ""]
    return "\n".join(lines)


def write_archive(path: str, stamp_value: str, built_at) -> dict[str, int]:
    """The zip at path; returns the rows of each table."""
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="sanad-open-data-") as folder, \
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            rows[table.name] = _write_table(archive, table, folder)
        archive.writestr(_entry("vocabularies.json"), json.dumps(vocabularies(), ensure_ascii=False, indent=2))
        archive.writestr(_entry("README.md"), readme(stamp_value, rows, built_at))
    return rows


def build(force: bool = False) -> Built:
    """Build and store an archive when the public data changed since the newest one (or when forced); keep only the
    new one. Flushes; the caller commits."""
    started = time.monotonic()
    current = stamp()
    latest = newest()
    if latest is not None and latest.stamp == current and not force:
        return Built(False, current, latest.size, note=f"unchanged since {moment(latest.built_at)}")
    built_at = utcnow()
    with tempfile.TemporaryDirectory(prefix="sanad-open-data-zip-") as folder:
        path = os.path.join(folder, NAME)
        if has_request_context():
            rows = write_archive(path, current, built_at)
        else:
            with current_app.test_request_context():  # links are made as in a request (SANAD_SITE_URL)
                rows = write_archive(path, current, built_at)
        with open(path, "rb") as built_file:
            data = built_file.read()
    if latest is not None and latest.stamp == current:  # forced: the same stamp is replaced
        db.session.execute(delete(OpenDataArchive).where(OpenDataArchive.id == latest.id))
    archive = OpenDataArchive(stamp=current, size=len(data), archive=data, built_at=built_at)
    db.session.add(archive)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        return Built(False, current, note="another run stored this stamp meanwhile")
    removed = db.session.execute(delete(OpenDataArchive).where(OpenDataArchive.id != archive.id)).rowcount
    return Built(True, current, len(data), rows, removed, time.monotonic() - started)


def zip_names(data: bytes) -> list[str]:
    """The files in an archive (for the page that describes it and for the tests)."""
    return zipfile.ZipFile(io.BytesIO(data)).namelist()
