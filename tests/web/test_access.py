"""Every route, requested as every role, built from app.url_map so that later routes are covered too."""
import itertools
from datetime import date

import pytest
from werkzeug.routing import IntegerConverter

from app.permissions import PUBLIC_ENDPOINTS
from tests.helpers import login

ROLES = ["anonymous", "member", "representative", "expert", "coordinator", "reviewer", "admin"]


def _routes(app):
    """(endpoint, url, method) for every rule, with ids of objects that exist (1) and do not (999999),
    and every value of a choice in the path."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        options = {}
        for argument in rule.arguments:
            converter = rule._converters[argument]
            name = type(converter).__name__
            options[argument] = (sorted(converter.items) if name == "AnyConverter" else
                                 [1, 999999] if isinstance(converter, IntegerConverter) else ["not-a-real-token"])
        for values in itertools.product(*options.values()):
            url = rule.build(dict(zip(options, values, strict=True)), append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, url, method


@pytest.fixture
def objects(app, people, consultation, make_declaration):
    """Id 1 of every kind exists, so the routes run their real branches, not only their 404s."""
    signon = make_declaration("signon", visibility="public", title="A statement in sign-on")
    submitted = make_declaration("signon", visibility="public", title="A submitted statement")
    from app.accounts.models import User
    from app.amendments.services import propose
    from app.comments.services import add_comment
    from app.declarations.models import Declaration, Recommendation, Section
    from app.declarations.services import save_event
    from app.extensions import db
    with app.app_context():
        member = db.session.get(User, people["member"].id)
        declaration = db.session.get(Declaration, consultation.id)
        add_comment(member, declaration, body="A comment", section=db.session.get(Section, consultation.sections[0]))
        propose(member, declaration, db.session.get(Recommendation, consultation.recommendations[0]),
                text="New words", rationale="Better")
        save_event(db.session.get(User, people["coordinator"].id), declaration, None, title="Workshop",
                   held_on=date(2026, 10, 1), participants_in_person=10)
        # Signature 1 from an outside organization (pending approval), signature 2 from the representative.
        from app.signatures import open_signon
        from app.signatures import queries as signature_queries
        from app.signatures import services as signing
        from app.tokens import token_hash
        statement = db.session.get(Declaration, signon.id)
        open_signon.set_open_signon(db.session.get(User, people["coordinator"].id), statement, True)
        version = signature_queries.signing_version(statement)
        request = open_signon.request_open_signature(
            statement, language="en", version_id=version.id, organization_name="Outside NGO", organization_type="ngo",
            country="Pakistan", province=None, website="", signer_name="Outsider", signer_designation="Head",
            email="outsider@example.org", visibility="public")
        request.token_hash = token_hash("known-token")
        open_signon.confirm_open_signature("known-token")
        signing.sign(db.session.get(User, people["representative"].id), statement, capacity="organization",
                        version_id=version.id, visibility="public")
        # Submission 1, acknowledged, with one published answer, an update and an assessment.
        from app.responses import services as responses
        from app.submissions import services as submissions
        coordinator = db.session.get(User, people["coordinator"].id)
        reviewer = db.session.get(User, people["reviewer"].id)
        to_submit = db.session.get(Declaration, submitted.id)
        submission = submissions.submit(coordinator, to_submit,
                                        version_id=signature_queries.signing_version(to_submit).id,
                                        institution_ids=[reviewer.institution_id])
        responses.acknowledge(reviewer, submission, to_submit)
        responses.save_answer(reviewer, submission, submitted.recommendations[0], position="supported",
                              explanation="Yes", lead_institution_id=reviewer.institution_id, target_date=None)
        responses.publish(reviewer, submission, to_submit)
        responses.post_update(reviewer, submission, submitted.recommendations[0], status="in_progress", evidence="",
                              happened_on=date(2026, 11, 1))
        responses.assess(coordinator, submission, submitted.recommendations[0], rating="substantial", notes="")
        db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role_without_a_server_error(app, people, objects, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, people[role].email).status_code == 302
    failures = []
    for endpoint, url, method in _routes(app):
        if endpoint == "accounts.logout":
            continue  # would end this client's session for the routes after it
        response = client.open(url, method=method)
        if response.status_code >= 500:
            failures.append(f"{method} {url} -> {response.status_code}")
        if role == "anonymous" and endpoint not in PUBLIC_ENDPOINTS and response.status_code < 300:
            failures.append(f"{method} {url} is reachable without login ({response.status_code})")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_an_id_past_what_a_table_holds_is_a_plain_404_on_every_route(app, people, role):
    """2**31 fits a URL but no INTEGER column of PostgreSQL: every route with an id answers it as not found (a
    login first for a visitor where one is needed), never a server error from the comparison. A GET is a 404."""
    client = app.test_client()
    if role != "anonymous":
        login(client, people[role].email)
    past = 2**31  # the first number an INTEGER column of PostgreSQL cannot hold
    failures = []
    for rule in app.url_map.iter_rules():
        ids = [a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter)]
        if not ids:
            continue
        others = {a: sorted(rule._converters[a].items)[0] if type(rule._converters[a]).__name__ == "AnyConverter"
                  else "not-a-real-token" for a in rule.arguments if a not in ids}
        url = rule.build({**others, **{a: past for a in ids}}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            status = client.open(url, method=method).status_code
            # 405 where the path has a rule for other methods (werkzeug checks the method before the id's range).
            expected = {404, 405} if role == "admin" or rule.endpoint in PUBLIC_ENDPOINTS else {302, 404, 405}
            if status not in expected or method == "GET" and status == 405:
                failures.append(f"{method} {url} -> {status}")
    assert not failures, "\n".join(failures)


def test_non_public_routes_send_anonymous_visitors_to_login_whatever_the_method(app, objects):
    client = app.test_client()
    for endpoint, url, method in _routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], f"{method} {url}"


def test_the_public_list_names_only_real_endpoints(app):
    assert PUBLIC_ENDPOINTS <= {rule.endpoint for rule in app.url_map.iter_rules()}


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit", "/admin/institutions", "/admin/users/1",
                                  "/admin/settings"])
@pytest.mark.parametrize("role", ["member", "representative", "coordinator", "reviewer", "expert"])
def test_admin_pages_are_forbidden_to_everyone_but_admins(app, people, role, path):
    client = app.test_client()
    login(client, people[role].email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/invitations", "/invitations/new", "/organizations/new"])
@pytest.mark.parametrize("role", ["member", "representative", "reviewer", "expert"])
def test_secretariat_pages_are_forbidden_to_members_and_reviewers(app, people, role, path):
    client = app.test_client()
    login(client, people[role].email)
    response = client.get(path)
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
