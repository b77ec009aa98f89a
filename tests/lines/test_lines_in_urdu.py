"""The lines pages in Urdu, for each role that sees them and the import's preview in its refused state: no string
of the English catalogue left without its Urdu, and every run of the other direction (numbers joined by signs,
hashes, times) isolated — the checks of tests/test_urdu_complete.py and tests/test_rtl_isolation.py, on these
pages."""
import pytest
from sqlalchemy import update

from app.accounts.models import User
from app.extensions import db
from tests.helpers import login
from tests.lines.conftest import HEADER, csv_of, preview
from tests.test_rtl_isolation import unisolated
from tests.test_urdu_complete import english_needles, untranslated


@pytest.fixture
def urdu_pages(app, client, people, draft_carrying):
    """(who, name, html) of each lines page in Urdu."""
    draft, line_id = draft_carrying
    with app.app_context():
        db.session.execute(update(User).values(language="ur"))
        db.session.commit()
    bad = csv_of(HEADER, [["2021", "Old", "", "1", "Ask one.", "en", "pursue", "trafficking", "MoJ", "noted", "", "",
                           "", ""]])
    pages = []
    for who in ("visitor", "member", "coordinator"):
        reader = app.test_client()
        reader.post("/language", data={"language": "ur"})
        if who != "visitor":
            login(reader, people[who].email)
        for name, path in (("tracker lines", "/tracker?view=lines"), ("line", f"/lines/{line_id}"),
                           ("tracker", "/tracker")):
            pages.append((who, name, reader.get(path)))
        if who == "coordinator":
            for name, path in (("import", "/lines/import"),
                               ("carry", f"/lines/carry/{draft.recommendations[1]}?q=prosecution"),
                               ("carry refused", f"/lines/carry/{draft.recommendations[1]}?year=soon")):
                pages.append((who, name, reader.get(path)))
            pages.append((who, "preview refused", preview(reader, bad)))
    return [(who, name, response.get_data(as_text=True)) for who, name, response in pages
            if response.status_code in (200, 422)]


def test_every_lines_page_isolates_the_runs_of_the_other_direction(urdu_pages):
    assert len(urdu_pages) == 13
    problems = []
    for who, name, html in urdu_pages:
        assert '<html lang="ur" dir="rtl">' in html, f"{who} {name}"
        problems += [f"{who} {name}: {run}" for run in unisolated(html, latin=False)]
    assert not problems, "\n".join(problems)


def test_every_lines_page_is_urdu_throughout(urdu_pages):
    """Fails until the lead fills the catalogue with the Urdu of issue 27 (/tmp/ur-i27-lines.json)."""
    needles = english_needles()
    problems = [f"{who} {name}: {found}" for who, name, html in urdu_pages for found in untranslated(html, needles)]
    assert not problems, "English left on Urdu pages:\n" + "\n".join(sorted(set(problems)))
