"""Comments on a bilingual declaration (issue 25, point 4): the thread shows the part in the reader's language,
the form asks which language's text the comment is on (the one being read, by default), each comment says
which, and a reply takes the language of the comment it answers unless another is chosen. A declaration in
one language is untouched."""
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.comments.models import Comment
from app.extensions import db
from tests.helpers import login, make_bilingual

URDU_COMMENT = "تمہید میں متاثرین کا ذکر بھی ہونا چاہیے۔"


def _thread(d, index=0):
    return f"/declarations/{d.id}/section/{d.sections[index]}/comments"


def _comment(app, body) -> Comment:
    with app.app_context():
        return db.session.scalar(select(Comment).where(Comment.body_source == body))


def _checked(page: BeautifulSoup, selector: str) -> list[str]:
    return [radio["value"] for radio in page.select(selector) if radio.has_attr("checked")]


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_form_asks_which_text_and_each_comment_says_it(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["representative"].email)
    urdu = _soup(client.get(_thread(d) + "?text=ur"))
    texts = urdu.select(".text-in")
    assert [(t["lang"], t["dir"]) for t in texts] == [("ur", "rtl")] and "کارروائی" in texts[0].get_text()
    assert urdu.h1.get_text() == "تمہید" and urdu.h1["lang"] == "ur"
    assert _checked(urdu, "#comment-form input[name=language]") == ["ur"]  # the text being read
    labels = {label.get_text(): (label["lang"], label["dir"]) for label in urdu.select("#comment-form label[lang]")}
    assert labels == {"English": ("en", "ltr"), "اردو": ("ur", "rtl")}
    assert urdu.select_one("#comment-form textarea")["dir"] == "auto"
    english = _soup(client.get(_thread(d)))
    assert _checked(english, "#comment-form input[name=language]") == ["en"]
    assert [t["lang"] for t in english.select(".text-in")] == ["en"]
    both = _soup(client.get(_thread(d) + "?text=both"))
    assert [t["lang"] for t in both.select(".in-languages.side-by-side .text-in")] == ["en", "ur"]

    posted = client.post(_thread(d) + "?text=ur", data={"body": URDU_COMMENT, "language": "ur"})
    assert posted.status_code == 302 and "text=ur" in posted.headers["Location"]  # back to the text being read
    reply_link = _soup(client.get(posted.headers["Location"])).select_one(".comment-actions a")
    assert reply_link["href"].startswith("?reply=") and "&text=ur#reply-" in reply_link["href"]
    assert client.post(_thread(d), data={"body": "Name the victims too.", "language": "en"}).status_code == 302
    assert (_comment(app, URDU_COMMENT).language, _comment(app, "Name the victims too.").language) == ("ur", "en")
    page = _soup(client.get(_thread(d)))
    tags = {c["id"]: c.select_one(".badge-language").get_text() for c in page.select("article.comment")}
    assert tags == {f"c{_comment(app, URDU_COMMENT).id}": "on the Urdu text",
                    f"c{_comment(app, 'Name the victims too.').id}": "on the English text"}
    body = page.select_one(f"#c{_comment(app, URDU_COMMENT).id} .prose-html")
    assert body["dir"] == "auto" and URDU_COMMENT in body.get_text()


def test_a_reply_takes_the_language_of_what_it_answers_unless_another_is_chosen(app, client, people,
                                                                                 make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["member"].email)
    client.post(_thread(d), data={"body": URDU_COMMENT, "language": "ur"})
    first = _comment(app, URDU_COMMENT)
    client.post("/logout")
    login(client, people["representative"].email)
    reply_form = _soup(client.get(_thread(d) + f"?reply={first.id}"))
    assert _checked(reply_form, f"#reply-{first.id} input[name=language]") == ["ur"]
    # Sent without a choice (as from a page of before), the reply is on the text its parent is on.
    client.post(_thread(d), data={"body": "متفق ہوں۔", "parent_id": str(first.id)})
    client.post(_thread(d), data={"body": "The English says it already.", "parent_id": str(first.id),
                                  "language": "en"})
    assert _comment(app, "متفق ہوں۔").language == "ur"
    assert _comment(app, "The English says it already.").language == "en"
    assert _comment(app, "The English says it already.").parent_id == first.id


def test_a_language_the_declaration_lacks_is_refused_and_the_text_kept(app, client, people, make_declaration):
    d = make_bilingual(app, people, make_declaration("drafting"))
    login(client, people["member"].email)
    response = client.post(_thread(d), data={"body": URDU_COMMENT, "language": "fr"})
    assert response.status_code == 422 and URDU_COMMENT in response.get_data(as_text=True)
    assert _comment(app, URDU_COMMENT) is None


def test_a_declaration_in_one_language_asks_nothing_and_says_nothing(app, client, people, consultation):
    login(client, people["member"].email)
    page = _soup(client.get(_thread(consultation)))
    assert not page.select("input[name=language]") and not page.select(".text-in, .language-switch")
    assert "dir" not in page.select_one("#comment-form textarea").attrs
    client.post(_thread(consultation), data={"body": "Cite article 6.", "language": "ur"})
    assert _comment(app, "Cite article 6.").language is None
    page = _soup(client.get(_thread(consultation) + f"?reply={_comment(app, 'Cite article 6.').id}"))
    assert not page.select(".badge-language, input[name=language]")
