"""The comments of a demo consultation, posted each at its moment through the comment service.

A thread is (target, entries): target is ("section" | "recommendation" | "amendment", index in the story's
list of them), each entry (author's email, days ago, local time, text). The first entry opens the thread;
each later one replies to the entry before it (so its author is the one told of the reply).

On a bilingual declaration each comment and amendment says which language's text it was written on: the
demo's Urdu comments were written on the Urdu text, everything else on the English. (The services take no
language yet; the demo sets it on the record they return.)"""
import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

from app.accounts.models import User
from app.amendments import services as amendments
from app.comments import services as comments
from app.comments.models import Comment
from app.demo.story import Calendar

Thread = tuple[tuple[str, int], list[tuple[str, int, str, str]]]
_URDU = re.compile("[\u0600-\u06ff]")


def language_of(declaration, text: str) -> str | None:
    """The language of the declaration's text a demo comment or amendment was written on (None: one language)."""
    if not declaration.bilingual:
        return None
    language = "ur" if _URDU.search(text) else "en"
    return language if language in declaration.languages else declaration.language


class Conversation:
    def __init__(self, people: dict[str, User], declaration, targets: dict[str, list]):
        self.people, self.declaration, self.targets = people, declaration, targets
        self.posted: list[list[Comment]] = []

    def steps(self, days: Calendar, threads: list[Thread]) -> list[tuple[datetime, Callable[[], object]]]:
        """The story's steps that post these threads."""
        first = len(self.posted)
        self.posted += [[] for _ in threads]
        return [(days.at(days_ago, clock), partial(self._post, first + t, n, target, who, text))
                for t, (target, entries) in enumerate(threads)
                for n, (who, days_ago, clock, text) in enumerate(entries)]

    def comment(self, thread: int, n: int = 0) -> Comment:
        return self.posted[thread][n]

    def _post(self, thread: int, n: int, target: tuple[str, int], who: str, text: str) -> None:
        posted = self.posted[thread]
        if len(posted) != n:
            raise ValueError(f"demo thread {thread}: entry {n} is dated before the comment it answers")
        kind, index = target
        posted.append(comments.add_comment(self.people[who], self.declaration, body=text,
                                           parent=posted[-1] if posted else None,
                                           language=language_of(self.declaration, text),
                                           **{kind: self.targets[kind][index]}))


def propose(proposed: list, person: User, declaration, target, text: str, rationale: str) -> None:
    """Propose an amendment, kept in the story's list of them (threads on amendments point into it)."""
    proposed.append(amendments.propose(person, declaration, target, text=text, rationale=rationale,
                                       language=language_of(declaration, text)))
