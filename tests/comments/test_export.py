import csv
import io

from app.exports import safe_cell
from tests.comments.test_comments import _comment, post, thread_url
from tests.comments.test_moderation import _moderate
from tests.helpers import login


def test_coordinators_export_published_comments_only(app, client, people, consultation):
    login(client, people["member"].email)
    post(client, thread_url(consultation), "Keep me")
    post(client, thread_url(consultation, "recommendation", 1), "=HYPERLINK(\"http://evil.example\")")
    post(client, thread_url(consultation), "Hide me")
    assert client.get(f"/declarations/{consultation.id}/comments.csv").status_code == 403
    client.post("/logout")
    login(client, people["coordinator"].email)
    _moderate(client, _comment(app, "Hide me").id, "hide", "Off topic")
    response = client.get(f"/declarations/{consultation.id}/comments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    comments = [r["comment"] for r in rows]
    assert "Keep me" in comments and "Hide me" not in comments
    assert "'=HYPERLINK(\"http://evil.example\")" in comments
    assert {r["text_on"] for r in rows} == {"Preamble", "Recommendation 2"}


def test_formula_cells_are_neutralised():
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "ok", None, 3)] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "ok", "", "3"]
