"""The tracker's lines view (/tracker?view=lines): one row per line, paged in SQL, with the years asked, each
institution's positions over the years and the latest assessment; the tracker's filters applied to each line's
entries; and the link to its line wherever a recommendation in a line is shown."""
import dataclasses
import re

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.extensions import db
from app.lines import queries
from app.lines.models import EarlierDeclaration, EarlierRecommendation, RecommendationLine
from app.responses.tracker import Filters
from app.submissions.models import Submission
from tests.helpers import QueryCounter, login, without_bdi
from tests.lines.conftest import institution_acronym


def _rows(html: str) -> list[str]:
    body = re.search(r'<table class="tracker stack tracker-lines">.*?</table>', html, re.S)
    return re.findall(r"<tr>.*?</tr>", body.group(0), re.S)[1:] if body else []


def _flat(html: str) -> str:
    return " ".join(without_bdi(html).split())


def test_each_line_is_one_row_with_its_years_positions_and_latest_assessment(app, client, people, earlier):
    inst = institution_acronym(app, people["reviewer"].institution_id)
    rows = [_flat(row) for row in _rows(client.get("/tracker?view=lines").get_data(as_text=True))]
    assert len(rows) == 2
    shelters, units = rows  # the newest line first: the shelters line was made after the units line
    assert "Asked since 2022 (3 declarations)" in units and f"{inst}: Noted, Noted, Noted" in units
    assert "implementation: Limited" in units and "Create specialised prosecution units." in units
    assert "Asked since 2022 (2 declarations)" in shelters and f"{inst}: Not supported, —" in shelters
    assert "implementation: Limited" in shelters


def test_a_visitor_counts_only_what_is_public(app, client, people, draft_carrying):
    visitor = _flat(client.get("/tracker?view=lines").get_data(as_text=True))
    assert "Asked since 2022 (3 declarations)" in visitor and "(4 declarations)" not in visitor
    login(client, people["member"].email)
    assert "Asked since 2022 (4 declarations)" in _flat(client.get("/tracker?view=lines").get_data(as_text=True))


def test_the_filters_apply_to_each_lines_entries(app, client, people, earlier):
    declaration, _units = earlier
    institution = people["reviewer"].institution_id

    def shown(query):
        return [("units" if "prosecution" in row else "shelters")
                for row in _rows(client.get(f"/tracker?view=lines&{query}").get_data(as_text=True))]
    assert shown("pillar=protect") == ["shelters"]
    assert shown("theme=trafficking") == ["units"]
    assert shown("position=not_supported") == ["shelters"]
    assert shown(f"position=noted&institution={institution}") == ["units"]
    assert shown(f"institution={institution}") == ["shelters", "units"]
    assert shown("status=in_progress") == ["units"]  # imported years have no updates
    assert shown(f"declaration={declaration.id}") == ["units"]
    assert shown("due=1") == ["shelters", "units"]  # not a filter of lines
    assert shown("pillar=promote") == []
    assert "No line matches." in client.get("/tracker?view=lines&pillar=promote").get_data(as_text=True)


def _many_lines(app, people, count):
    with app.app_context():
        earlier = EarlierDeclaration(year=2019, title=f"Declaration with {count}",
                                     imported_by_id=people["coordinator"].id)
        db.session.add(earlier)
        db.session.flush()
        lines = [RecommendationLine() for _n in range(count)]
        db.session.add_all(lines)
        db.session.flush()
        db.session.add_all(EarlierRecommendation(declaration_id=earlier.id, number=n + 1, text=f"Ask {n + 1}.",
                                                 line_id=line.id) for n, line in enumerate(lines))
        db.session.commit()


def test_lines_are_paged_and_a_page_reads_only_its_lines(app, client, people, earlier):
    _many_lines(app, people, 60)

    def measure(path="/tracker?view=lines"):
        with QueryCounter(app) as counter:
            html = client.get(path).get_data(as_text=True)
        return counter.count, len(_rows(html)), html
    queries, shown, html = measure()
    assert shown == 50 and "62 lines" in html and "Page 1 of 2" in html
    assert len(_rows(client.get("/tracker?view=lines&page=2").get_data(as_text=True))) == 12
    _many_lines(app, people, 200)
    more_queries, shown, html = measure()
    assert (more_queries, shown) == (queries, 50)
    assert "More than 200 lines" in html and "Page 1 of more than 4" in html


def test_a_recommendation_in_a_line_links_to_it_wherever_it_is_shown(app, client, people, earlier):
    declaration, line_id = earlier
    link = f'href="/lines/{line_id}"'
    with app.app_context():
        submission_id = db.session.scalar(select(Submission.id).where(Submission.declaration_id == declaration.id))
    for path in (f"/declarations/{declaration.id}", f"/submissions/{submission_id}",
                 f"/recommendations/{declaration.recommendations[0]}", "/tracker"):
        html = client.get(path).get_data(as_text=True)
        assert link in html and "Asked since 2022 (3 declarations)" in html, path
    # the other recommendations are in no line: no link beside them
    other = client.get(f"/recommendations/{declaration.recommendations[1]}").get_data(as_text=True)
    assert "/lines/" not in other


def test_imported_recommendations_meet_the_classification_filters(app, people):
    """The tracker's classification filters (untoc, sdg, group) apply to an imported recommendation's lists."""
    with app.app_context():
        earlier = EarlierDeclaration(year=2020, title="Classified", imported_by_id=people["coordinator"].id)
        db.session.add(earlier)
        db.session.flush()
        lines = [RecommendationLine(), RecommendationLine()]
        db.session.add_all(lines)
        db.session.flush()
        db.session.add_all([
            EarlierRecommendation(declaration_id=earlier.id, number=1, text="One.", line_id=lines[0].id,
                                  untoc=["tip-6"], sdg_targets=["8.7"], groups=["children"]),
            EarlierRecommendation(declaration_id=earlier.id, number=2, text="Two.", line_id=lines[1].id)])
        db.session.commit()
        classified = dataclasses.make_dataclass(
            "Classified", [("untoc", str, ""), ("sdg", str, ""), ("group", str, "")], bases=(Filters,), frozen=True)
        anyone = AnonymousUserMixin()
        with app.test_request_context():
            for wanted in ({"untoc": "tip-6"}, {"sdg": "8.7"}, {"group": "children"}):
                assert queries.tracker_lines(anyone, classified(**wanted), 1)["ids"] == [lines[0].id], wanted
            assert queries.tracker_lines(anyone, classified(group="women"), 1)["ids"] == []
            assert queries.tracker_lines(anyone, classified(), 1)["ids"] == [lines[1].id, lines[0].id]
