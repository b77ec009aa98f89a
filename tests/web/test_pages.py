def test_home_page_is_public_and_names_the_alliance(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Civil Society Alliance" in response.get_data(as_text=True)


def test_representative_sees_their_organization_on_the_home_page(people, login_as):
    client = login_as(people["representative"])
    page = client.get("/").get_data(as_text=True)
    assert "Your organization" in page
    assert "Human Rights Action Forum" in page
