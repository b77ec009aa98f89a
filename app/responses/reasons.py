"""What an answer must give with its position (issue 27): a reason for every position short of full support
("partially supported", "noted", "not supported": the Open Government Partnership's reasoned response), and for
"supported" a lead institution or a target date, so that the support can be followed up.

One rule, asked in three places: the answer form (the message beside the field to fix), save_answer (the
authoritative check, whoever calls it) and publish (drafts saved before the rule, or written around it)."""
import re

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, or_

from app.choices import POSITIONS, REASONED_POSITIONS, label

# An explanation shorter than this (after stripping) says nothing about why: "Noted.", "N/A", "See above".
REASON_MINIMUM = 20
# Nor does one made of dots or one word repeated: a reason has at least this many different words (of two
# letters or more, in any script).
REASON_WORDS = 3
WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> int:
    return len({word.casefold() for word in WORD.findall(text)})


def problem(position: str | None, explanation: str | None, lead_institution_id, target_date) -> tuple[str, str] | None:
    """(the form field to fix, what to say) when the answer lacks what its position needs; None when it has it."""
    if position in REASONED_POSITIONS and len((explanation or "").strip()) < REASON_MINIMUM:
        return "explanation", ngettext(
            "“%(position)s” needs a reason: explain in at least %(num)d character why the government takes this "
            "position.",
            "“%(position)s” needs a reason: explain in at least %(num)d characters why the government takes this "
            "position.", REASON_MINIMUM, position=label(POSITIONS, position))
    if position in REASONED_POSITIONS and _words(explanation) < REASON_WORDS:
        return "explanation", _("“%(position)s” needs a reason in words: say in a sentence why the government takes "
                                "this position.", position=label(POSITIONS, position))
    if position == "supported" and not lead_institution_id and target_date is None:
        return "lead_institution", _("“Supported” needs a lead institution or a target date (or both), so that "
                                     "the alliance can follow it up.")
    return None


def lacking(answers):
    """The answer (Answer or an alias) lacks what its position needs, in SQL (problem()'s rule on a stored
    answer, whose explanation was stripped when saved; the count of words is checked when it is saved)."""
    return or_(and_(answers.position.in_(REASONED_POSITIONS),
                    func.length(func.coalesce(answers.explanation, "")) < REASON_MINIMUM),
               and_(answers.position == "supported", answers.lead_institution_id.is_(None),
                    answers.target_date.is_(None)))


def unpublishable_message(numbers: list[int]) -> str:
    """Why the chosen drafts were not published: these recommendations' drafts lack what their position needs."""
    return ngettext(
        "Nothing was published: the draft answer to recommendation %(numbers)s lacks what its position needs (a "
        "reason for “partially supported”, “noted” and “not supported”; a lead institution or a target date for "
        "“supported”). Edit it, then publish.",
        "Nothing was published: the draft answers to recommendations %(numbers)s lack what their positions need "
        "(a reason for “partially supported”, “noted” and “not supported”; a lead institution or a target date "
        "for “supported”). Edit them, then publish.", len(numbers), numbers=", ".join(str(n) for n in numbers))
