import csv
import io
import json

from app.accounts.models import User
from app.extensions import db
from tests.helpers import login, sign


def _sign_with_a_formula_name(app, client, people, signon):
    with app.app_context():
        db.session.get(User, people["representative"].id).name = "=HYPERLINK(\"http://evil\")"
        db.session.commit()
    login(client, "rep@example.org")
    sign(client, signon.id, visibility="coordinators",
         **{f"reservation-{signon.recommendations[1]}": "+Two years, not one."})
    client.post("/logout")
    login(client, "expert@example.org")
    sign(client, signon.id, capacity="individual")
    client.post("/logout")
    login(client, "coordinator@example.org")


def test_csv_export_lists_every_signature_with_formula_cells_neutralised(app, client, people, signon):
    _sign_with_a_formula_name(app, client, people, signon)
    response = client.get(f"/declarations/{signon.id}/signatories.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 2
    org = next(r for r in rows if r["capacity"] == "organization")
    assert org["signer_name"].startswith("'=HYPERLINK")
    assert org["visibility"] == "coordinators"
    assert org["reservations"] == "R2: +Two years, not one."
    assert len(org["sha256"]) == 64


def test_json_export_has_the_same_rows(app, client, people, signon):
    _sign_with_a_formula_name(app, client, people, signon)
    data = json.loads(client.get(f"/declarations/{signon.id}/signatories.json").get_data(as_text=True))
    assert data["declaration"] == signon.id
    assert sorted(s["capacity"] for s in data["signatures"]) == ["individual", "organization"]
    org = next(s for s in data["signatures"] if s["capacity"] == "organization")
    assert org["reservations"] == [{"recommendation": 2, "text": "+Two years, not one."}]
    assert org["signer_name"] == "=HYPERLINK(\"http://evil\")"  # JSON keeps the text as it is


def test_statistics_draw_a_chart_and_breakdowns(app, client, people, signon):
    _sign_with_a_formula_name(app, client, people, signon)
    page = client.get(f"/declarations/{signon.id}/signatures/statistics").get_data(as_text=True)
    assert "<svg" in page and "<polyline" in page
    assert "2 signatures counted" in page
    assert "NGO" in page and "Punjab" in page
