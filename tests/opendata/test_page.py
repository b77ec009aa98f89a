"""The /open-data page explains the API, the download and the feeds with working examples, to visitors, in both
languages; every page's footer leads to it."""
import re

from app.opendata.resources import API_RESOURCES


def test_the_page_explains_the_api_the_download_and_the_feeds_with_links_that_work(app, open_site, runner):
    client = app.test_client()
    assert runner.invoke(args=["opendata", "build"]).exit_code == 0
    page = client.get("/open-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in API_RESOURCES:
        assert f'href="/api/v1/{name}"' in html
    links = set(re.findall(r'href="(/(?:api|feeds|declarations|open-data)[^"#]*)"', html))
    assert {"/api/v1/", "/api/v1/openapi.json", "/open-data/sanad-open-data.zip", "/feeds/answers.atom",
            f"/feeds/answers.atom?institution={open_site.institution_id}",
            f"/declarations/{open_site.declaration.id}/feed.atom"} <= links
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_the_page_reads_right_to_left_in_urdu_and_every_footer_leads_to_it(app, open_site):
    client = app.test_client()
    urdu = client.get("/open-data?lang=ur").get_data(as_text=True)
    assert 'dir="rtl"' in urdu and '<code dir="ltr">/api/v1/openapi.json</code>' in urdu
    for path in ("/", "/tracker", "/declarations"):
        assert 'href="/open-data"' in client.get(path).get_data(as_text=True), path
