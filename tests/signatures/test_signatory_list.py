import re
from types import SimpleNamespace

import pytest

from app.declarations.models import Declaration
from app.extensions import db
from app.organizations.models import Organization
from app.signatures.models import Signature
from tests.helpers import login, sign


@pytest.fixture
def signed(app, client, people, signon, make_organization, make_user):
    """Signatures in each tier, one pending (unverified organization) and one withdrawn."""
    names = {}
    for name, visibility, verified in (("Public Org", "public", True), ("Alliance Org", "alliance", True),
                                       ("Hidden Org", "coordinators", True), ("Unverified Org", "public", False),
                                       ("Withdrawn Org", "public", True)):
        organization = make_organization(name, verified=verified)
        rep = make_user(organization=organization, org_role="representative")
        login(client, rep.email)
        assert sign(client, signon.id, visibility=visibility).status_code == 303
        names[name] = rep
        if name == "Withdrawn Org":
            with app.app_context():
                signature = db.session.query(Signature).filter_by(organization_id=organization.id).one()
            client.post(f"/signatures/{signature.id}/withdraw")
        client.post("/logout")
    login(client, "expert@example.org")
    sign(client, signon.id, capacity="individual")
    client.post("/logout")
    return names


def _listed(page: str) -> set[str]:
    return {name for name in ("Public Org", "Alliance Org", "Hidden Org", "Unverified Org", "Withdrawn Org")
            if f"{name} (" in page}


def _page(client, signon):
    response = client.get(f"/declarations/{signon.id}/signatories")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_visitors_see_public_verified_signatures_only(client, signed, signon):
    page = _page(client, signon)
    assert _listed(page) == {"Public Org"}
    assert "1 organization" in page and "1 individual" in page
    assert "2 further signatories are not named here" in page  # alliance and coordinators-only tiers
    assert "Pending" not in page and "Withdrawn" not in page


def test_members_also_see_the_alliance_tier(client, people, signed, signon):
    login(client, people["member"].email)
    page = _page(client, signon)
    assert _listed(page) == {"Public Org", "Alliance Org"}
    assert "2 organizations" in page
    assert "1 further signatory is not named here" in page


def test_reviewers_see_only_public_names_before_submission(client, people, signed, signon):
    """The "government" of "alliance and government" is the institutions the declaration was submitted to:
    before submission, none (tests/signatures/test_signer_visibility.py has the whole table)."""
    login(client, people["reviewer"].email)
    page = _page(client, signon)
    assert _listed(page) == {"Public Org"}
    assert "2 further signatories are not named here" in page
    assert signed["Public Org"].name not in page  # nor who signed for an organization


def test_coordinators_see_everything_with_filters(client, people, signed, signon):
    login(client, "coordinator@example.org")
    page = _page(client, signon)
    assert _listed(page) == {"Public Org", "Alliance Org", "Hidden Org", "Unverified Org", "Withdrawn Org"}
    assert "3 organizations" in page and "1 pending" in page and "1 withdrawn, replaced or rejected" in page
    pending = client.get(f"/declarations/{signon.id}/signatories?status=pending").get_data(as_text=True)
    assert _listed(pending) == {"Unverified Org"}
    hidden = client.get(f"/declarations/{signon.id}/signatories?visibility=coordinators").get_data(as_text=True)
    assert _listed(hidden) == {"Hidden Org"}
    withdrawn = client.get(f"/declarations/{signon.id}/signatories?status=withdrawn&capacity=organization"
                           "&q=withdrawn").get_data(as_text=True)
    assert _listed(withdrawn) == {"Withdrawn Org"}


def test_signers_see_their_own_pending_signature(client, signed, signon):
    login(client, signed["Unverified Org"].email)
    page = _page(client, signon)
    assert "Unverified Org" in page and "Pending verification" in page


def test_verifying_the_organization_makes_its_signature_count(app, client, people, signed, signon):
    with app.app_context():
        organization_id = db.session.query(Organization.id).filter_by(name="Unverified Org").scalar()
    login(client, "coordinator@example.org")
    assert client.post(f"/organizations/{organization_id}/verification", data={"verified": "1"}).status_code in (
        302, 303)
    client.post("/logout")
    page = _page(client, signon)
    assert _listed(page) == {"Public Org", "Unverified Org"}
    assert "2 organizations" in page


def test_counts_always_match_the_listed_rows(client, people, signed, signon):
    for who in (None, "member", "coordinator"):
        if who:
            login(client, people[who].email)
        page = _page(client, signon)
        for section in ("organizations", "individuals"):
            block = page.split(f'id="{section}"')[1].split("</section>")[0]
            heading = int(re.search(r"\((\d+)\)", block).group(1))
            assert heading == block.count('<tr id="sig-'), (who, section)
        client.post("/logout")


def test_members_only_declaration_list_is_not_public(client, make_declaration, people):
    members_only = make_declaration("signon", visibility="members")
    response = client.get(f"/declarations/{members_only.id}/signatories")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_reading_page_invites_signers(app, client, people, signon):
    login(client, "rep@example.org")
    page = client.get(f"/declarations/{signon.id}").get_data(as_text=True)
    assert f"/declarations/{signon.id}/sign" in page and "Sign-on is open" in page


def test_tally_counts_rows_and_only_the_current_version_as_signed(app, people, signon):
    from app.signatures.queries import tally
    current = SimpleNamespace(id=2)
    rows = [SimpleNamespace(status="active", verified=True, capacity="organization", version_id=2),
            SimpleNamespace(status="active", verified=False, capacity="organization", version_id=2),
            SimpleNamespace(status="active", verified=True, capacity="individual", version_id=2),
            SimpleNamespace(status="active", verified=True, capacity="organization", version_id=1),  # earlier
            SimpleNamespace(status="withdrawn", verified=True, capacity="organization", version_id=2)]
    assert tally(rows, current) == {"organizations": 1, "individuals": 1, "pending": 1, "earlier": 1, "ended": 1}
    with app.app_context():
        assert db.session.get(Declaration, signon.id).phase == "signon"
