import csv
import io
import re
from datetime import UTC, datetime, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from app.accounts.models import User
from app.amendments.models import Amendment
from app.audit.models import AuditEntry
from app.choices import AmendmentStatus, CommentStatus, SignatureStatus
from app.cli.backup import check_dossiers
from app.comments.models import Comment
from app.comments.services import EDIT_WINDOW
from app.declarations.languages import untranslated_count
from app.declarations.models import Declaration, Recommendation, Version
from app.declarations.services import content_hash, live_recommendations, live_sections
from app.declarations.translation import needing_translation
from app.demo import DEMO_LOGINS, DEMO_PASSWORD
from app.extensions import db
from app.responses.models import Answer
from app.search.services import search
from app.signatures.models import Signature
from app.submissions.models import Submission
from app.time import utcnow
from tests.helpers import login


def load(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Declaration, Comment, Amendment, Signature, Submission, Answer, AuditEntry)}


def test_demo_data_loads_once_and_again_changes_nothing(app, runner):
    load(runner)
    with app.app_context():
        before = counts()
        rep = db.session.scalar(select(User).where(User.email == "rep@example.org"))
        assert rep.org_role == "representative" and rep.organization.verified
    second = load(runner)
    assert "0 new record(s)" in second.output
    with app.app_context():
        assert counts() == before


def test_demo_load_gives_the_wall_clock_back(app, runner):
    load(runner)
    assert abs(utcnow() - datetime.now(UTC).replace(tzinfo=None)) < timedelta(seconds=5)


def test_demo_comments_all_differ_span_weeks_and_are_past_their_edit_window(app, runner, client):
    load(runner)
    with app.app_context():
        rows = db.session.scalars(select(Comment).order_by(Comment.id)).all()
        bodies = [c.body_source for c in rows]
        assert len(bodies) >= 60 and len(set(bodies)) == len(bodies)
        assert len([b for b in bodies if re.search("[\u0600-\u06ff]", b)]) >= 5  # some are in Urdu
        times = [c.created_at for c in rows]
        assert max(times) - min(times) >= timedelta(days=14)
        assert all(utcnow() - moment > EDIT_WINDOW for moment in times)
        replies = [c for c in rows if c.parent_id is not None]
        assert replies and all(c.created_at > c.parent.created_at for c in replies)
        assert len({c.author_id for c in rows}) >= 20
        open_consultation = db.session.scalar(select(Declaration.id).where(Declaration.phase == "consultation"))
        own = db.session.scalar(select(Comment).join(User, Comment.author_id == User.id).where(
            User.email == "member@example.org", Comment.declaration_id == open_consultation).limit(1))
        own_id, own_body = own.id, own.body_source
    login(client, "member@example.org", password=DEMO_PASSWORD)
    response = client.post(f"/comments/{own_id}/edit", data={"body": "Changed at load time"})
    assert response.status_code == 422 and "15 minutes" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, own_id).body_source == own_body


def test_the_submitted_demo_happened_in_order(app, runner):
    load(runner)
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        versions = db.session.scalars(select(Version).where(Version.declaration_id == submission.declaration_id)
                                      .order_by(Version.number)).all()
        frozen = [v.created_at for v in versions]
        assert len(frozen) == 3 and frozen == sorted(set(frozen))
        phase_dates = [p["date"] for p in submission.content["consultation"]["phases"]]
        assert phase_dates == sorted(set(phase_dates))
        assert frozen[-1] < submission.submitted_at < utcnow() - timedelta(days=7)
        comment_times = db.session.scalars(select(Comment.created_at).where(
            Comment.declaration_id == submission.declaration_id)).all()
        assert all(frozen[0] < moment < frozen[1] for moment in comment_times)
        signed = db.session.scalars(select(Signature.signed_at).where(
            Signature.declaration_id == submission.declaration_id)).all()
        assert signed and all(frozen[-1] < moment < submission.submitted_at for moment in signed)
        assert len(set(signed)) == len(signed)  # over days, not all at once
        for recipient in submission.recipients:
            assert submission.submitted_at < recipient.acknowledged_at
            assert recipient.first_published_at is None or recipient.acknowledged_at < recipient.first_published_at
        answered = db.session.scalars(select(Answer.created_at)).all()
        assert answered and min(answered) > min(r.acknowledged_at for r in submission.recipients)


def test_the_submitted_demo_dossier_counts_what_happened(app, runner):
    load(runner)
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        record, signatories = submission.content["consultation"], submission.content["signatories"]
        declaration_id = submission.declaration_id
        said = db.session.scalars(select(Comment).where(Comment.declaration_id == declaration_id)).all()
        proposed = db.session.scalars(select(Amendment).where(Amendment.declaration_id == declaration_id)).all()
        people = {c.author_id for c in said} | {a.proposer_id for a in proposed}
        organizations = {c.organization_id for c in said if c.organization_id} | {
            u.organization_id for u in db.session.scalars(select(User).where(User.id.in_(people)))
            if u.organization_id}
        kept = [c for c in said if c.deleted_at is None]
        assert record["comments"] == {
            "received": len(said), "withdrawn": len(said) - len(kept),
            **{key: len([c for c in kept if c.status == status]) for key, status in (
                ("published", CommentStatus.PUBLISHED), ("hidden", CommentStatus.HIDDEN),
                ("rejected", CommentStatus.REJECTED), ("waiting", CommentStatus.PENDING))}}
        assert record["comments"]["published"] >= 10
        assert record["amendments"] == {"proposed": len(proposed), "accepted": len(
            [a for a in proposed if a.status == AmendmentStatus.ACCEPTED])}
        assert record["amendments"]["accepted"] > 0
        assert record["participants"] == len(people) > 0
        assert record["organization_count"] == len(organizations) > 0
        assert len(record["organizations"]) == len(organizations)  # all of them verified, so all named
        assert record["events"] and record["event_totals"]["in_person"] > 0
        signed = db.session.scalars(select(Signature).where(Signature.declaration_id == declaration_id,
                                                            Signature.status == SignatureStatus.ACTIVE)).all()
        assert signatories["counts"] == {
            "organizations": len([s for s in signed if s.capacity == "organization"]),
            "individuals": len([s for s in signed if s.capacity == "individual"]), "total": len(signed)}
        assert signatories["counts"]["organizations"] > 0 and signatories["counts"]["individuals"] > 0


def test_every_demo_recommendation_is_addressed_and_the_submitted_csv_names_the_addressees(app, runner, client):
    load(runner)
    with app.app_context():
        recommendations = db.session.scalars(select(Recommendation)).all()
        assert recommendations and all(r.current.addressees for r in recommendations)
        submission_id = db.session.scalar(select(Submission.id))
    login(client, "coordinator@example.org", password=DEMO_PASSWORD)
    response = client.get(f"/submissions/{submission_id}/recommendations.csv")
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    column = header.index("Addressees")
    assert len(rows) == 8
    assert {row[column] for row in rows} == {"MoI", "FIA", "MoI; FIA"}


def test_the_audit_chain_verifies_after_the_demo_load_and_runs_in_story_order(app, runner):
    load(runner)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output, result.output
    with app.app_context():
        written = db.session.scalars(select(AuditEntry.created_at).order_by(AuditEntry.id)).all()
        assert len(written) > 100 and written == sorted(written)
        assert written[-1] - written[0] >= timedelta(days=50) and written[-1] < utcnow() - EDIT_WINDOW


def test_demo_data_is_refused_on_a_database_with_real_accounts(app, runner, make_user):
    make_user(email="real.person@ngo.org.pk")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "refusing" in result.output


def test_demo_data_is_refused_in_production(make_app):
    result = make_app(ENV_NAME="production").test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "development only" in result.output


def test_demo_logins_prints_the_address_with_the_port_and_every_demo_login(runner):
    result = runner.invoke(args=["demo", "logins", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5123/" in result.output
    assert f"password for all: {DEMO_PASSWORD}" in result.output
    for email, role in DEMO_LOGINS:
        assert f"{email:<26} {role}" in result.output


def test_the_demo_has_a_bilingual_declaration_in_consultation_and_one_signed_and_submitted(app, runner):
    load(runner)
    with app.test_request_context():
        urdu = re.compile("[\u0600-\u06ff]")
        consultation = db.session.scalar(select(Declaration).where(Declaration.phase == "consultation"))
        submission = db.session.scalar(select(Submission))
        for declaration in (consultation, submission.declaration):
            assert declaration.languages == ("en", "ur") and urdu.search(declaration.title_translation)
            parts = [*live_sections(declaration.id), *live_recommendations(declaration.id)]
            texts = [p.translation.body_source if p.kind == "section" else p.translation.text_source for p in parts]
            assert all(urdu.search(text) for text in texts) and len(set(texts)) == len(texts)
            assert {c.language for c in db.session.scalars(select(Comment).where(
                Comment.declaration_id == declaration.id))} == {"en", "ur"}
        # In consultation, one recommendation was changed in English after its translation: sign-on waits for it.
        waiting = needing_translation(consultation)
        assert (waiting.title, waiting.sections, len(waiting.recommendations)) == (False, [], 1)
        assert untranslated_count(consultation) == 1
        # Signed and submitted: the signed version holds both texts, every part translated, under one hash.
        version = db.session.get(Version, submission.version_id)
        translated = version.content["translation"]
        assert translated["language"] == "ur" and translated["title"] == submission.declaration.title_translation
        assert all(s["heading"] and s["body"] for s in translated["sections"])
        assert all(r["text"] for r in translated["recommendations"])
        assert content_hash(version.content) == version.sha256
        assert {s.version_id for s in db.session.scalars(select(Signature).where(
            Signature.declaration_id == submission.declaration_id))} == {version.id}
        member = db.session.scalar(select(User).where(User.email == "member@example.org"))
        assert {r["declaration"].id for r in search("متاثرین", member)} >= {consultation.id}


def test_the_demos_versions_signatures_and_dossiers_verify_across_the_bilingual_migration(app, runner):
    """The demo's data taken back to the schema before two languages (0011) and forward again: every version's
    stored content still hashes to its SHA-256, every signature still points at its version, every dossier's hash
    checks, and the audit chain verifies — bilingual versions included (their Urdu inside the hash)."""
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        before = {v.id: v.sha256 for v in db.session.scalars(select(Version))}
        signed = {s.id: s.version_id for s in db.session.scalars(select(Signature))}
        assert any("translation" in v.content for v in db.session.scalars(select(Version)))
        db.session.remove()
        downgrade(revision="0011_alliance_settings")
        upgrade()
        versions = db.session.scalars(select(Version)).all()
        assert {v.id: v.sha256 for v in versions} == before
        assert all(content_hash(v.content) == v.sha256 for v in versions)
        assert {s.id: s.version_id for s in db.session.scalars(select(Signature))} == signed
        checked, failed = check_dossiers()
        assert checked >= 1 and failed == []
        db.session.remove()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
