"""Odd and tampered input gets a clear answer, never a server error."""
import pytest

from tests.helpers import login, post_phase

HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", [f"/declarations/{HUGE}", f"/declarations/1/section/{HUGE}/comments",
                                  f"/comments/{HUGE}/edit", f"/amendments/{HUGE}", f"/organizations/{HUGE}",
                                  f"/admin/users/{HUGE}", "/declarations/0"])
def test_ids_a_database_cannot_hold_are_a_plain_404(client, people, consultation, path):
    login(client, people["admin"].email)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["999999999999999999", "-1", "x"])
def test_any_page_number_is_answered(client, people, consultation, page):
    login(client, people["member"].email)
    assert client.get(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments?page={page}"
                      ).status_code == 200


@pytest.mark.parametrize("parent_id", ["²", HUGE, "-3", "abc"])
def test_a_tampered_parent_id_is_ignored(client, people, consultation, parent_id):
    login(client, people["member"].email)
    url = f"/declarations/{consultation.id}/section/{consultation.sections[0]}/comments"
    assert client.post(url, data={"body": "Hello", "parent_id": parent_id}).status_code == 302


def test_a_deadline_at_the_edge_of_the_calendar_is_refused_with_a_message(client, people, make_declaration):
    d = make_declaration(phase="drafting")
    login(client, people["coordinator"].email)
    response = post_phase(client, d.id, {"target": "consultation",
                                                                "deadline": "0001-01-01T01:00"})
    # The confirmation page again, with the message and the date as typed.
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a consultation deadline in the future." in page and 'value="0001-01-01T01:00"' in page


def test_the_discussion_of_a_taken_down_amendment_is_not_searchable(app, client, people, consultation):
    login(client, people["member"].email)
    client.post(f"/declarations/{consultation.id}/section/{consultation.sections[0]}/amend",
                data={"text": "New words", "rationale": "Why"})
    client.post("/amendments/1", data={"body": "qwertyuiop remark"})
    assert "qwertyuiop remark" in client.get("/search?q=qwertyuiop").get_data(as_text=True)
    client.post("/logout")
    login(client, people["coordinator"].email)
    client.post("/amendments/1/hide", data={"reason": "Abusive"})
    client.post("/logout")
    login(client, people["representative"].email)
    page = client.get("/search?q=qwertyuiop").get_data(as_text=True)
    assert "qwertyuiop remark" not in page and "0 results" in page
