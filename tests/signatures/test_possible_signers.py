"""Who is invited to sign (signatures.queries.possible_signers) is an SQL condition, so that a whole alliance is
told in batches and counted without loading it: it must agree with the Python rule, permissions.can_sign, for
everyone who has not signed yet."""
from sqlalchemy import select

from app import permissions
from app.accounts.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.signatures.queries import possible_signers, possible_signers_count
from tests.helpers import login, sign


def test_the_sql_rule_agrees_with_can_sign(app, client, people, make_user, make_organization, make_declaration):
    declaration = make_declaration("signon")
    other = make_organization("Coastal Women's Network")
    make_user(organization=other, org_role="representative", email="coastal@example.org")
    make_user(organization=other, org_role="member", email="coastal-member@example.org")
    make_user(organization=other, org_role="representative", email="gone@example.org", active=False)
    make_user(expert=True, email="expert2@example.org")
    make_user(expert=True, email="gone-expert@example.org", active=False)
    login(client, people["representative"].email)  # the first organization has signed: its people are not asked
    assert sign(client, declaration.id).status_code == 303
    client.post("/logout")
    login(client, people["expert"].email)
    assert sign(client, declaration.id, capacity="individual").status_code == 303
    with app.app_context():
        d = db.session.get(Declaration, declaration.id)
        asked = set(db.session.scalars(select(User.email).where(possible_signers(d))))
        signed_for = {people["representative"].organization_id}
        expected = {u.email for u in db.session.scalars(select(User))
                    if permissions.can_sign(u, d) and u.organization_id not in signed_for
                    and u.email != people["expert"].email}
        assert asked == expected == {"coastal@example.org", "expert2@example.org"}
        assert possible_signers_count(d) == 2
