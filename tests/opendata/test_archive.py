"""The bulk download: `flask opendata build` makes one zip of every public table as JSON and CSV, each file with its
JSON Schema, only when the public data changed, and keeps only the newest; /open-data/sanad-open-data.zip serves
it (with the stamp as its ETag) or explains that there is none yet."""
import csv
import dataclasses
import io
import json
import zipfile
from datetime import date, timedelta

import jsonschema_rs
from sqlalchemy import func, select

from app.accounts.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.opendata import archive, tables
from app.opendata.models import OpenDataArchive
from app.responses import services as responses
from app.submissions.models import Submission


def _build(runner) -> str:
    result = runner.invoke(args=["opendata", "build"])
    assert result.exit_code == 0, result.output
    return result.output


def _zip(client) -> zipfile.ZipFile:
    response = client.get("/open-data/sanad-open-data.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _csv_rows(files: zipfile.ZipFile, name: str) -> tuple[list[str], list[dict]]:
    text = files.read(f"{name}.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:]))
    return reader.fieldnames, list(reader)


def test_before_the_first_build_the_download_explains_itself(app, open_site):
    response = app.test_client().get("/open-data/sanad-open-data.zip")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "has not been made yet" in response.get_data(as_text=True)  # the page says why
    assert "has not been made yet" in app.test_client().get("/open-data").get_data(as_text=True)


def test_every_file_of_the_archive_matches_its_json_schema(app, open_site, runner):
    assert "open data archive built" in _build(runner)
    files = _zip(app.test_client())
    names = set(files.namelist())
    assert {"README.md", "vocabularies.json"} <= names
    for table in tables.TABLES:
        assert {f"{table.name}.json", f"{table.name}.csv", f"schemas/{table.name}.schema.json",
                f"schemas/{table.name}.csv.schema.json"} <= names
        records = json.loads(files.read(f"{table.name}.json"))
        validator = jsonschema_rs.validator_for(json.loads(files.read(f"schemas/{table.name}.schema.json")),
                                                validate_formats=True)
        errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(records)]
        assert not errors, (table.name, errors[:3])
        header, rows = _csv_rows(files, table.name)
        assert header == tables.csv_header(table) and len(rows) == len(records), table.name
        row_validator = jsonschema_rs.validator_for(json.loads(files.read(f"schemas/{table.name}.csv.schema.json")))
        for row in rows:
            errors = [f"{e.instance_path}: {e.message}" for e in row_validator.iter_errors(row)]
            assert not errors, (table.name, row, errors[:3])
    assert json.loads(files.read("recipients.json"))[0]["answer_by"]
    vocabularies = json.loads(files.read("vocabularies.json"))
    assert vocabularies["positions"]["noted"]["en"] == "Noted" and vocabularies["sdg_targets"]["16.4"]["ur"]
    # Every file unpacks readable by all and dated when it was built (not 0600 and 1980).
    for info in files.infolist():
        assert (info.external_attr >> 16) & 0o644 == 0o644 and info.date_time[0] >= 2026, info.filename


def test_the_archive_holds_what_the_api_holds_and_nothing_that_is_not_public(app, open_site, runner):
    _build(runner)
    client = app.test_client()
    files = _zip(client)
    for name in ("declarations", "recommendations", "answers", "updates", "assessments", "submissions"):
        assert json.loads(files.read(f"{name}.json")) == client.get(f"/api/v1/{name}?limit=200").get_json()["data"]
    signatories = json.loads(files.read("signatories.json"))
    assert signatories == client.get(f"/api/v1/submissions/{open_site.submission_id}/signatories").get_json()["data"]
    everything = "".join(files.read(name).decode("utf-8") for name in files.namelist())
    for words in open_site.never:
        assert words not in everything, words
    assert {r["id"] for r in json.loads(files.read("declarations.json"))}.isdisjoint(
        {open_site.members.id, open_site.drafting.id})
    header, rows = _csv_rows(files, "recommendations")
    first = next(r for r in rows if r["id"] == str(open_site.declaration.recommendations[1]))
    assert first["pillar"] == "protect" and first["themes"] == "trafficking;victims" and first["text.html"]
    versions = json.loads(files.read("versions.json"))
    assert all(v["content"]["title"] for v in versions)  # the text each hash covers


def test_a_rebuild_without_changes_does_nothing_and_a_new_published_answer_builds_anew(app, open_site, people,
                                                                                       runner):
    _build(runner)
    with app.app_context():
        first = db.session.scalar(select(OpenDataArchive))
        first_stamp, first_id = first.stamp, first.id
    assert "unchanged" in _build(runner)
    with app.app_context():
        reviewer = db.session.get(User, people["reviewer"].id)
        hidden = db.session.get(Submission, open_site.members_submission_id)
        responses.save_answer(reviewer, hidden, open_site.members.recommendations[1], position="noted",
                              explanation="Members only, again.", lead_institution_id=None,
                              target_date=date.today() + timedelta(days=30))
        responses.publish(reviewer, hidden, db.session.get(Declaration, open_site.members.id))
        db.session.commit()
        assert archive.stamp() == first_stamp  # a members-only dossier's answer is not open data
        public = db.session.get(Submission, open_site.submission_id)
        responses.publish(reviewer, public, db.session.get(Declaration, open_site.declaration.id))  # the draft
        db.session.commit()
        assert archive.stamp() != first_stamp
    assert "open data archive built" in _build(runner)
    with app.app_context():
        kept = db.session.scalars(select(OpenDataArchive)).all()
        assert len(kept) == 1 and kept[0].id != first_id and kept[0].stamp != first_stamp
    answers = json.loads(_zip(app.test_client()).read("answers.json"))
    assert any(a["explanation"] and a["position"]["key"] == "not_supported" for a in answers)


def test_the_download_answers_304_to_its_stamp(app, open_site, runner):
    _build(runner)
    client = app.test_client()
    response = client.get("/open-data/sanad-open-data.zip")
    with app.app_context():
        stamp = db.session.scalar(select(OpenDataArchive.stamp))
    assert response.get_etag() == (stamp, False)
    assert "attachment" in response.headers["Content-Disposition"]
    again = client.get("/open-data/sanad-open-data.zip", headers={"If-None-Match": f'"{stamp}"'})
    assert again.status_code == 304 and again.get_data() == b""
    page = client.get("/open-data").get_data(as_text=True)
    assert "/open-data/sanad-open-data.zip" in page


def test_the_archive_reads_its_tables_in_batches_to_the_same_files(app, open_site, monkeypatch):
    """Batches of one row (every keyset step taken) make the same files as the usual batches."""
    with app.app_context():
        whole = archive.build()
        db.session.commit()
        usual = archive.archive_bytes(db.session.scalar(select(OpenDataArchive.id)))
        small = tuple(dataclasses.replace(t, resource=dataclasses.replace(t.resource, batch=1)) for t in tables.TABLES)
        monkeypatch.setattr(archive, "TABLES", small)
        again = archive.build(force=True)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OpenDataArchive)) == 1
        one_by_one = archive.archive_bytes(db.session.scalar(select(OpenDataArchive.id)))
    assert whole.rows == again.rows and sum(whole.rows.values()) > 20
    first, second = zipfile.ZipFile(io.BytesIO(usual)), zipfile.ZipFile(io.BytesIO(one_by_one))
    for name in first.namelist():
        if name != "README.md":  # it says when it was built
            assert first.read(name) == second.read(name), name
