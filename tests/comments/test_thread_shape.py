"""A thread keeps its shape when a comment in it is taken down (issue 23, #3): the comment leaves a placeholder
in its place, with its replies under it, at every depth, on the thread page and in the comments CSV."""
import csv
import io

import pytest
from bs4 import BeautifulSoup

from app.comments.models import Comment
from app.extensions import db
from tests.comments.test_comments import _comment, post, thread_url
from tests.comments.test_moderation import _moderate
from tests.helpers import QueryCounter, confirmed, login

LEVELS = {"top": "Top words", "middle": "Middle words", "leaf": "Leaf words"}


def _as(client, person):
    client.post("/logout")
    login(client, person.email)


def _thread_of_three(app, client, people, url, prefix=""):
    """An unrelated thread before and after a thread three deep: top (member), middle (representative),
    leaf (expert). Returns the comments by level."""
    _as(client, people["representative"])
    post(client, url, prefix + "Before, unrelated")
    _as(client, people["member"])
    post(client, url, prefix + LEVELS["top"])
    _as(client, people["representative"])
    post(client, url, prefix + LEVELS["middle"], parent_id=str(_comment(app, prefix + LEVELS["top"]).id))
    _as(client, people["expert"])
    post(client, url, prefix + LEVELS["leaf"], parent_id=str(_comment(app, prefix + LEVELS["middle"]).id))
    _as(client, people["representative"])
    post(client, url, prefix + "After, unrelated")
    return {level: _comment(app, prefix + text) for level, text in LEVELS.items()} | {
        "before": _comment(app, prefix + "Before, unrelated"), "after": _comment(app, prefix + "After, unrelated")}


def _tree(html: str) -> list:
    """The threads of a page as nested lists of (comment id, what it shows), in the page's order."""
    soup = BeautifulSoup(html, "html.parser")

    def walk(container):
        items = []
        for child in container.find_all(["article", "div"], recursive=False):
            if child.name == "article":
                placeholder = child.find(class_="tombstone")
                shown = placeholder.get_text(" ", strip=True) if placeholder else \
                    child.find(class_="prose-html").get_text(" ", strip=True)
                items.append([int(child["id"][1:]), shown, []])
            elif "replies" in child.get("class", []):
                items[-1][2] = walk(child)
        return items
    return [walk(thread)[0] for thread in soup.select("div.thread")]


def _ids(tree) -> list:
    return [[c, _ids(below)] for c, _shown, below in tree]


def _csv(client, declaration_id):
    response = client.get(f"/declarations/{declaration_id}/comments.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("level", ["top", "middle", "leaf"])
def test_a_hidden_comment_leaves_a_placeholder_with_its_replies_under_it_in_the_page_and_the_csv(
        app, client, people, make_user, consultation, level):
    url = thread_url(consultation)
    c = _thread_of_three(app, client, people, url)
    _as(client, people["coordinator"])
    assert _moderate(client, c[level].id, "hide", "Names a witness").status_code == 302
    with app.app_context():
        hidden_on = db.session.get(Comment, c[level].id)
    expected = [[c["before"].id, []], [c["top"].id, [[c["middle"].id, [[c["leaf"].id, []]]]]], [c["after"].id, []]]

    _as(client, make_user(expert=True, email="reader@example.org"))
    page = client.get(url).get_data(as_text=True)
    tree = _tree(page)
    assert _ids(tree) == expected
    shown = {cid: text for cid, text, _b in _flatten(tree)}
    assert shown[c[level].id].startswith("Hidden by a moderator on ")
    assert "Names a witness" not in page and LEVELS[level] not in page  # the reason is for the author
    assert all(shown[c[other].id] == LEVELS[other] for other in LEVELS if other != level)
    assert hidden_on.status == "hidden"

    author = {"top": "member", "middle": "representative", "leaf": "expert"}[level]
    _as(client, people[author])
    assert "Reason: <bdi>Names a witness</bdi>" in client.get(url).get_data(as_text=True)

    _as(client, people["coordinator"])
    rows = _csv(client, consultation.id)
    assert [(int(r["id"]), int(r["reply_to"] or 0), int(r["depth"])) for r in rows] == [
        (c["before"].id, 0, 1), (c["top"].id, 0, 1), (c["middle"].id, c["top"].id, 2),
        (c["leaf"].id, c["middle"].id, 3), (c["after"].id, 0, 1)]
    hidden_row = next(r for r in rows if int(r["id"]) == c[level].id)
    assert hidden_row["comment"] == "" and hidden_row["author"] == ""
    assert hidden_row["placeholder"].startswith("Hidden by a moderator on ")
    assert hidden_row["placeholder"].endswith("Reason: Names a witness")
    assert {r["comment"] for r in rows if r is not hidden_row} == \
        {"Before, unrelated", "After, unrelated"} | {LEVELS[other] for other in LEVELS if other != level}


def _flatten(tree):
    for cid, shown, below in tree:
        yield cid, shown, below
        yield from _flatten(below)


def test_a_thread_keeps_its_shape_when_two_levels_are_hidden_or_deleted(app, client, people, consultation):
    url = thread_url(consultation)
    c = _thread_of_three(app, client, people, url)
    _as(client, people["member"])
    confirmed(client, f"/comments/{c['top'].id}/delete")
    _as(client, people["coordinator"])
    _moderate(client, c["middle"].id, "hide", "Off topic")
    tree = _tree(client.get(url).get_data(as_text=True))
    assert _ids(tree)[1] == [c["top"].id, [[c["middle"].id, [[c["leaf"].id, []]]]]]
    assert tree[1][1] == "This comment was deleted by its author."
    assert tree[1][2][0][2][0][1] == "Leaf words"


def test_a_comment_waiting_for_approval_is_not_shown_to_others_but_its_replies_keep_their_place(
        app, client, people, make_declaration):
    d = make_declaration(moderation="pre")
    url = thread_url(d)
    _as(client, people["member"])
    post(client, url, "Polite words")
    top = _comment(app, "Polite words")
    _as(client, people["coordinator"])
    _moderate(client, top.id, "approve")
    _as(client, people["representative"])
    post(client, url, "A reply", parent_id=str(top.id))
    _as(client, people["coordinator"])
    _moderate(client, _comment(app, "A reply").id, "approve")
    _as(client, people["member"])
    client.post(f"/comments/{top.id}/edit", data={"body": "Rude words"})  # waits for approval again

    _as(client, people["expert"])
    page = client.get(url).get_data(as_text=True)
    assert "Rude words" not in page
    assert _tree(page) == [[top.id, "This comment is waiting for a moderator's approval.",
                            [[_comment(app, "A reply").id, "A reply", []]]]]
    _as(client, people["member"])
    own = client.get(url).get_data(as_text=True)
    assert _tree(own)[0][1] == "Rude words" and own.count("Rude words") == 1  # in its place, not twice


def test_the_thread_page_reads_the_same_number_of_queries_however_deep_and_moderated_the_threads(
        app, client, people, consultation):
    small, large = thread_url(consultation, index=0), thread_url(consultation, index=1)
    threads = [_thread_of_three(app, client, people, small, prefix="s ")]
    threads += [_thread_of_three(app, client, people, large, prefix=f"{n} ") for n in range(4)]
    _as(client, people["coordinator"])
    for c, level in zip(threads, ["middle", "top", "middle", "leaf", "top"], strict=True):
        _moderate(client, c[level].id, "hide", "Off topic")
    counts = []
    for url in (small, large):
        client.get(url)
        with QueryCounter(app) as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
