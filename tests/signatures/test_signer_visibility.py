"""One rule for who sees a signer's name (permissions.can_see_signer), on every surface that names signers.

A table: visibility tier × role × surface, for an organization's and an individual expert's signature,
before submission (sign-on) and after it. Each cell asserts that the signer's name, and the reservation, appear
exactly when the rule allows and the surface names signers to that person. The rule is written out here
(sees, names_person), not read from app/permissions.py, so that the code is checked against the product:

- "public": everyone; "alliance and government": the alliance and the reviewers of the institutions the
  declaration was submitted to (before submission, no reviewer); "coordinators only": the coordinators and
  admins. The signer themself and the organization's representatives (who may withdraw it) always.
- Who signed *for an organization* is never public: the organization is named, the person from the alliance
  tier up.

The world is built once for the module (every cell only reads), on SQLite or on PostgreSQL as the suite runs.
"""
import shutil
import subprocess
import tempfile
from datetime import timedelta
from types import SimpleNamespace

import pyotp
import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app import create_app, permissions
from app.accounts.models import User
from app.declarations import services as declarations
from app.declarations.models import Declaration
from app.declarations.signals import submitted_to
from app.extensions import db
from app.institutions.models import Institution
from app.organizations.models import Organization
from app.signatures import services as signing
from app.signatures.models import Signature
from app.signatures.queries import signing_version
from app.submissions import services as submitting
from app.time import utcnow
from tests.conftest import BufferedClient, _empty_postgres_tables, make_config
from tests.helpers import POSTGRES_URL, login, password_hash, post_phase, without_bdi

TIERS = ("public", "alliance", "coordinators")
ROLES = ("visitor", "member", "representative", "other_member", "expert", "coordinator", "admin",
         "addressed_reviewer", "other_reviewer", "signer")
CAPACITIES = ("organization", "individual")
PHASES = ("signon", "submitted")
NAMES = {"organization": "Farida Signwell", "individual": "Kamran Expertsign"}
# Members of the alliance: people of member organizations, individual experts and the secretariat.
ALLIANCE = {"member", "representative", "other_member", "expert", "coordinator", "admin", "signer"}
# Who speaks for the signature: the signer, and for an organization its representatives (can_withdraw_signature).
SPEAKS_FOR = {"organization": {"signer", "representative"}, "individual": {"signer"}}
# Whose sign page shows the signature: the signatures of one's own and one's organization.
OWN = {"organization": {"signer", "representative", "member"}, "individual": {"signer"}}


def alliance_or_government(role, phase) -> bool:
    return role in ALLIANCE or (role == "addressed_reviewer" and phase == "submitted")


def sees(role, tier, capacity, phase) -> bool:
    """The rule: may this person see the signature named (the organization or expert, and the reservations)?"""
    if role in SPEAKS_FOR[capacity] or role in ("coordinator", "admin") or tier == "public":
        return True
    return tier == "alliance" and alliance_or_government(role, phase)


def names_person(role, tier, capacity, phase) -> bool:
    """...and the name of who signed: for an organization, never in public."""
    return sees(role, tier, capacity, phase) and (capacity == "individual" or alliance_or_government(role, phase))


RULE = {"name": names_person, "reservation": sees}


# --- the surfaces: the path to read, and whether it names signers to this person when the rule allows ------

def _declaration_path(suffix):
    return lambda d: f"/declarations/{d.id}{suffix}"


def _submission_path(suffix):
    return lambda d: f"/submissions/{d.submission_id}{suffix}"


def _always(*_args):
    return True


def _never(*_args):
    return False


def _in_the_dossier(role, tier, *_args):
    return tier != "coordinators"


SURFACES = {
    "signatory list": (_declaration_path("/signatories"), PHASES, _always),
    "sign page": (_declaration_path("/sign"), PHASES, lambda role, tier, capacity, marker: role in OWN[capacity]),
    "signatories CSV": (_declaration_path("/signatories.csv"), PHASES, lambda role, *_: role == "coordinator"),
    "signatories JSON": (_declaration_path("/signatories.json"), PHASES, lambda role, *_: role == "coordinator"),
    # The dossier (and its public extract) is fixed at submission: it names the "public" and "alliance and
    # government" tiers, never "coordinators only" — not even to the coordinators.
    "dossier page": (_submission_path(""), ("submitted",), _in_the_dossier),
    "dossier JSON": (_submission_path("/dossier.json"), ("submitted",), _in_the_dossier),
    "dossier CSV": (_submission_path("/signatories.csv"), ("submitted",), _in_the_dossier),
    "dossier PDF": (_submission_path("/dossier.pdf"), ("submitted",), _in_the_dossier),
    # Search indexes texts and comments, the home page and the statistics give counts: no names.
    "search": (lambda d: "/search?q=trafficking", PHASES, _never),
    "home page": (lambda d: "/", PHASES, _never),
    "statistics": (_declaration_path("/signatures/statistics"), PHASES, _never),
    # The audit log, for admins, names whoever acted: the signer of every signature.
    "audit log": (lambda d: "/admin/audit?action=signature_added", PHASES,
                  lambda role, tier, capacity, marker: role == "admin" and marker == "name"),
}


# --- the world -----------------------------------------------------------------------------

def _saved(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def _person(name, email, **fields):
    if fields.get("platform_role") in ("admin", "coordinator", "reviewer"):
        # The second factor these roles must have; tests.helpers.login answers it.
        fields.update(totp_secret=pyotp.random_base32(), totp_confirmed_at=utcnow())
    return _saved(User(email=email, name=name, password_hash=password_hash(), **fields))


def _declaration(coordinator, title, institution_id):
    """A public declaration opened for sign-on (version 3), with two recommendations."""
    declaration = declarations.create_declaration(coordinator, kind="declaration", title=title,
                                                  summary="On trafficking.", moderation="post", visibility="public")
    declarations.add_section(coordinator, declaration, heading="Preamble", body="We demand action on trafficking.")
    recommendations = [declarations.add_recommendation(
        coordinator, declaration, text=text, pillar="pursue", themes=["trafficking"], addressees=[institution_id],
        convention_articles="") for text in ("Create prosecution units.", "Open shelters.")]
    declarations.change_phase(coordinator, declaration, "consultation", deadline=utcnow() + timedelta(days=7))
    declarations.change_phase(coordinator, declaration, "revision")
    declarations.change_phase(coordinator, declaration, "signon")
    return declaration, recommendations


@pytest.fixture(scope="module")
def world(migrated_template, smtp_server):
    """People in every role, and per tier × capacity × phase one public declaration with one signature (and a
    reservation naming the cell); per tier × capacity one more, whose text the coordinators reopen (the mail)."""
    workdir = tempfile.mkdtemp(prefix="signer-visibility-")
    if POSTGRES_URL:
        _empty_postgres_tables()
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{workdir}/world.db"
        shutil.copy(migrated_template, f"{workdir}/world.db")
    app = create_app(make_config(url, smtp_server[0].port))
    app.test_client_class = BufferedClient
    people, cells, reopened = {}, {}, {}
    with app.test_request_context():
        addressed = _saved(Institution(name="Ministry of Interior", acronym="MOI"))
        elsewhere = _saved(Institution(name="Ministry of Finance", acronym="MOF"))
        signing_org = _saved(Organization(name="Signing Society", acronym="SS", type="ngo", province="punjab",
                                          verified=True))
        other_org = _saved(Organization(name="Other Forum", acronym="OF", type="ngo", province="sindh",
                                        verified=True))
        people = {
            "member": _person("Plain Member", "member@example.org", organization_id=signing_org.id,
                              org_role="member"),
            "representative": _person("Co Representative", "rep@example.org", organization_id=signing_org.id,
                                      org_role="representative"),
            "org_signer": _person(NAMES["organization"], "signer@example.org", organization_id=signing_org.id,
                                  org_role="representative", designation="Director"),
            "other_member": _person("Other Member", "other@example.org", organization_id=other_org.id,
                                    org_role="member"),
            "expert": _person("Another Expert", "expert@example.org", is_expert=True),
            "expert_signer": _person(NAMES["individual"], "expert-signer@example.org", is_expert=True,
                                     designation="Professor"),
            "coordinator": _person("The Coordinator", "coordinator@example.org", platform_role="coordinator"),
            "admin": _person("The Admin", "admin@example.org", platform_role="admin"),
            "addressed_reviewer": _person("Addressed Reviewer", "reviewer@example.org", platform_role="reviewer",
                                          institution_id=addressed.id),
            "other_reviewer": _person("Other Reviewer", "other-reviewer@example.org", platform_role="reviewer",
                                      institution_id=elsewhere.id),
        }
        coordinator = people["coordinator"]
        signers = {"organization": people["org_signer"], "individual": people["expert_signer"]}

        def signed(tier, capacity, title):
            declaration, recommendations = _declaration(coordinator, title, addressed.id)
            reservation = f"Caveat{tier.title()}{capacity.title()}{len(cells) + len(reopened)}"
            signing.sign(signers[capacity], declaration, capacity=capacity, version_id=signing_version(declaration).id,
                         visibility=tier, reservations={recommendations[0].id: reservation})
            return declaration, reservation

        for tier in TIERS:
            for capacity in CAPACITIES:
                for phase in PHASES:
                    declaration, reservation = signed(tier, capacity, f"Declaration {tier} {capacity} {phase}")
                    submission_id = None
                    if phase == "submitted":
                        submission_id = submitting.submit(coordinator, declaration,
                                                          version_id=signing_version(declaration).id,
                                                          institution_ids=[addressed.id]).id
                    cells[tier, capacity, phase] = SimpleNamespace(id=declaration.id, submission_id=submission_id,
                                                                   reservation=reservation)
                declaration, reservation = signed(tier, capacity, f"Reopened {tier} {capacity}")
                reopened[tier, capacity] = SimpleNamespace(id=declaration.id, reservation=reservation)
        db.session.commit()
        people = {key: SimpleNamespace(id=p.id, email=p.email) for key, p in people.items()}

    clients = {"visitor": app.test_client()}
    for key, person in people.items():
        clients[key] = app.test_client()
        response = login(clients[key], person.email)
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:300])
    # The coordinators reopen the text: the signers are emailed (app/signatures/reopening.py).
    mailbox = smtp_server[1]
    mailbox.clear()
    for cell in reopened.values():
        response = post_phase(clients["coordinator"], cell.id, {"target": "revision", "deadline": ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    mails = list(mailbox.messages)
    yield SimpleNamespace(app=app, people=people, clients=clients, cells=cells, reopened=reopened, mails=mails,
                          workdir=workdir)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if POSTGRES_URL:
        _empty_postgres_tables()
    shutil.rmtree(workdir, ignore_errors=True)


def _who(role, capacity) -> str:
    """The person playing this role: the signer is the representative or the expert who signed."""
    if role == "signer":
        return "org_signer" if capacity == "organization" else "expert_signer"
    return role


def _read(world, who, path) -> str:
    response = world.clients[who].get(path)
    if response.status_code == 200 and response.mimetype == "application/pdf":
        pdf = f"{world.workdir}/read.pdf"
        with open(pdf, "wb") as out:
            out.write(response.data)
        return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return response.get_data(as_text=True)


def _check(text, role, tier, capacity, phase, names, markers):
    for marker, value in markers.items():
        expected = RULE[marker](role, tier, capacity, phase) and names(role, tier, capacity, marker)
        if role == "signer" and marker == "name" and not expected:
            continue  # their own name, in a greeting ("Welcome, …"), tells them nothing
        assert (value in text) == expected, (
            f"{marker} {value!r} {'missing' if expected else 'shown'} (rule allows: "
            f"{RULE[marker](role, tier, capacity, phase)})")


CELLS = [pytest.param(surface, tier, role, capacity, phase, id=f"{surface}-{tier}-{role}-{capacity}-{phase}")
         for surface, (_path, phases, _names) in SURFACES.items() for tier in TIERS for role in ROLES
         for capacity in CAPACITIES for phase in phases]


@pytest.mark.parametrize(("surface", "tier", "role", "capacity", "phase"), CELLS)
def test_a_signers_name_shows_exactly_where_the_rule_allows(world, surface, tier, role, capacity, phase):
    path, _phases, names = SURFACES[surface]
    cell = world.cells[tier, capacity, phase]
    text = _read(world, _who(role, capacity), path(cell))
    _check(text, role, tier, capacity, phase, names,
           {"name": NAMES[capacity], "reservation": cell.reservation})


@pytest.mark.parametrize("capacity", CAPACITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("tier", TIERS)
def test_mails_name_a_signer_only_to_those_the_rule_allows(world, tier, role, capacity):
    """Reopening the text emails who speaks for each signature; the mail names the signer to the signer."""
    cell = world.reopened[tier, capacity]
    email = world.people[_who(role, capacity)].email if role != "visitor" else None
    text = "\n".join(m["subject"] + "\n" + m["body"] for m in world.mails if email in m["to"])
    if role == "signer":
        assert text, "the signer was not told"
    _check(text, role, tier, capacity, "signon", lambda role, tier, capacity, marker: role == "signer"
           and marker == "name", {"name": NAMES[capacity], "reservation": cell.reservation})


@pytest.mark.parametrize("phase", PHASES)
def test_a_plain_member_sees_that_their_organization_signed_and_that_the_name_is_hidden(world, phase):
    cell = world.cells["coordinators", "organization", phase]
    listed = _read(world, "member", f"/declarations/{cell.id}/signatories")
    assert "Signing Society (SS)" in listed and "Name hidden at the signer's request" in listed
    own = without_bdi(_read(world, "member", f"/declarations/{cell.id}/sign"))
    assert "Signature of Signing Society (SS)" in own and "hidden at the signer's request" in own
    # Anyone else without the right learns only that a signatory is not named.
    listed = _read(world, "other_member", f"/declarations/{cell.id}/signatories")
    assert "Signing Society" not in listed and "1 further signatory is not named here" in listed


def test_the_sql_condition_says_what_can_see_signer_says(world):
    """signer_visible_clause (lists filtered in the database) and can_see_signer (one signature) agree, for
    every person and every signature."""
    with world.app.test_request_context():
        users = [AnonymousUserMixin()] + list(db.session.scalars(select(User)))
        for declaration in db.session.scalars(select(Declaration)):
            recipients = submitted_to(declaration)
            signatures = db.session.scalars(select(Signature).where(Signature.declaration_id == declaration.id)).all()
            for user in users:
                listed = set(db.session.scalars(select(Signature.id).where(
                    Signature.declaration_id == declaration.id,
                    permissions.signer_visible_clause(user, Signature, recipients))))
                hidden = set(db.session.scalars(select(Signature.id).where(
                    Signature.declaration_id == declaration.id,
                    ~permissions.signer_visible_clause(user, Signature, recipients))))
                for signature in signatures:
                    allowed = permissions.can_see_signer(user, signature, recipients)
                    assert (signature.id in listed, signature.id in hidden) == (allowed, not allowed), (
                        getattr(user, "email", "visitor"), declaration.title)


def test_government_means_the_institutions_the_declaration_was_submitted_to(world):
    with world.app.test_request_context():
        before = db.session.get(Declaration, world.cells["alliance", "organization", "signon"].id)
        after = db.session.get(Declaration, world.cells["alliance", "organization", "submitted"].id)
        addressed = db.session.get(User, world.people["addressed_reviewer"].id)
        assert submitted_to(before) == []
        assert submitted_to(after) == [addressed.institution_id]
        assert permissions.signature_tiers(addressed, submitted_to(before)) == permissions.PUBLIC_TIERS
        assert permissions.signature_tiers(addressed, submitted_to(after)) == permissions.ALLIANCE_TIERS
