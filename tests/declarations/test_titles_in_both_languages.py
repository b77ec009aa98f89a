"""A bilingual declaration's title in the reader's language (issue 27): every page that names a declaration — the
lists, the home pages, the tracker and its lines, a line, the scorecard's overdue list, search, versions,
signatories, amendments, the submission's and the answers' pages — shows its Urdu title to an Urdu reader and its
English title to an English one, as its own element with its language and dir="auto" (app/web/languages.py
declaration_title). A declaration written in Urdu shows its English translation to an English reader."""
from datetime import timedelta

import pytest
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select, update

from app.declarations.models import Declaration, Recommendation
from app.extensions import db
from app.lines.models import RecommendationLine
from app.submissions.models import RecipientDeadline
from app.time import utcnow
from app.web.languages import declaration_title
from tests.helpers import login, make_bilingual
from tests.submissions.test_bilingual_dossier import TITLE_UR, submit_bilingual

TITLE_EN = "Declaration on trafficking"
SHOWN = {"ur": f'<bdi lang="ur" dir="auto">{TITLE_UR}</bdi>', "en": f'<bdi lang="en" dir="auto">{TITLE_EN}</bdi>'}


@pytest.fixture
def two_languages(app, client, people, make_declaration, make_user, make_organization):
    """A public declaration in English and Urdu, submitted to the reviewer's institution, one of its
    recommendations on a line and its answer overdue; and another in consultation. The paths' ids."""
    declaration, submission = submit_bilingual(app, client, people, make_declaration, make_user, make_organization)
    make_bilingual(app, people, make_declaration("drafting", visibility="public"))
    with app.app_context():
        line = RecommendationLine()
        db.session.add(line)
        db.session.flush()
        recommendation = db.session.scalars(select(Recommendation).where(
            Recommendation.declaration_id == declaration.id).order_by(Recommendation.position)).first()
        recommendation.line_id = line.id
        past = utcnow().date() - timedelta(days=3)
        db.session.execute(update(RecipientDeadline).where(RecipientDeadline.submission_id == submission.id)
                           .values(acknowledge_by=past - timedelta(days=10), answer_by=past))
        db.session.commit()
        return {"d": declaration.id, "s": submission.id, "r": recommendation.id, "line": line.id,
                "inst": people["reviewer"].institution_id}


PAGES = [
    ("/declarations", None),
    ("/", None),
    ("/", "coordinator"),
    ("/", "reviewer"),
    ("/submissions", "coordinator"),
    ("/tracker", "coordinator"),
    ("/tracker?view=lines", "coordinator"),
    ("/lines/{line}", "coordinator"),
    ("/institutions/{inst}", "coordinator"),
    ("/search?q=trafficking", "coordinator"),
    ("/declarations/{d}/history", "coordinator"),
    ("/declarations/{d}/compare", "coordinator"),
    ("/declarations/{d}/signatories", "coordinator"),
    ("/declarations/{d}/signatures/statistics", "coordinator"),
    ("/declarations/{d}/chase", "coordinator"),
    ("/declarations/{d}/amendments", "coordinator"),
    ("/submissions/{s}/deadlines", "coordinator"),
    ("/submissions/{s}/statistics", "coordinator"),
    ("/submissions/{s}/respond", "reviewer"),
    ("/recommendations/{r}", "coordinator"),
]


@pytest.mark.parametrize(("path", "who"), PAGES)
def test_each_page_names_the_declaration_in_the_readers_language(client, people, two_languages, path, who):
    url = path.format(**two_languages)
    if who is not None:
        login(client, people[who].email)
    for language, other in (("ur", "en"), ("en", "ur")):
        client.post("/language", data={"language": language})
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page = response.get_data(as_text=True)
        assert SHOWN[language] in page, (url, language)
        assert SHOWN[other] not in page, (url, language)


def test_a_declaration_written_in_urdu_is_named_by_its_english_title_to_an_english_reader(app):
    declaration = Declaration(title=TITLE_UR, language="ur", translation_language="en", title_translation=TITLE_EN)
    with app.test_request_context():
        for reader, title, language in (("en", TITLE_EN, "en"), ("ur", TITLE_UR, "ur")):
            with force_locale(reader):
                shown = declaration_title(declaration)
                assert (str(shown), shown.language) == (title, language)
                assert escape(shown) == f'<bdi lang="{language}" dir="auto">{title}</bdi>'


def test_a_title_not_yet_translated_is_the_original_in_its_own_language(app):
    declaration = Declaration(title=TITLE_EN, language="en", translation_language="ur", title_translation="")
    one_language = {"title": TITLE_EN, "language": "en", "translation_language": None, "title_translation": ""}
    with app.test_request_context(), force_locale("ur"):
        assert escape(declaration_title(declaration)) == SHOWN["en"]
        assert escape(declaration_title(one_language)) == SHOWN["en"]
        assert str(declaration_title(one_language, "As submitted")) == "As submitted"
