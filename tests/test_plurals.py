"""Every message with a count is a plural message (issue 23, #6: "1 draft answers"): it goes through ngettext
with %(num)d, so English and Urdu each choose the form the number needs. This finds gettext calls (_(), _l(),
gettext(), lazy_gettext()) in the code and the templates whose text holds a count and fails on each, except the
few below where the number has no noun to agree with."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Areas other work of issue 23 changes (their plurals are done there).
ELSEWHERE = ("app/responses", "app/comments", "app/amendments", "templates/responses", "templates/comments",
             "templates/amendments")
# A single-form call: _("…"), _l("…"), gettext("…"), lazy_gettext("…"); its first string, joined if split.
SINGULAR_CALL = re.compile(r"""(?<![\w.])(?:_|_l|gettext|lazy_gettext)\(\s*((?:(?:"[^"]*"|'[^']*')\s*)+)""")
# A count: a placeholder named as one, or one followed by a plural noun ("%(n)d characters"), or "(s)".
COUNT_NAME = re.compile(r"%\((num|count|total|days|hours|minutes|\w+s)\)d")
STOP = r"(?:is|was|has|does|stays|becomes|as|its|this|thus|us)"
BEFORE_PLURAL = re.compile(rf"%\(\w+\)d\s+(?:further\s+|more\s+)?(?!{STOP}\b)[A-Za-z]{{2,}}s\b")
MADE_PLURAL = re.compile(r"\w\(s\)")
# Numbers with no noun that agrees with them, so one form serves every count.
EXCEPTIONS = {
    "Page %(n)d of %(total)d": "a page number and the number of pages, no noun",
    "%(signed)d of %(members)d": "two numbers in a table cell under its heading",
    "Running total of signatures from %(first)s to %(last)s: %(total)d": "the number stands alone after a colon",
    "Women, men and others add up to more than the participants (%(total)d).": "the number stands in brackets",
    # Limits the code sets (at least 8, at most 500 …), never 1: the plural form is always the one needed.
    "Use between %(min)d and %(max)d characters.": "a limit set in the code, never 1",
    "At most %(max)d characters.": "a limit set in the code, never 1",
    "The password must have at least %(n)d characters.": "a limit set in the code, never 1",
    "A reservation can have at most %(n)d characters.": "a limit set in the code, never 1",
    "Name at most %(num)d people at once.": "a limit set in the code, never 1",
    "More than %(num)d implementation updates due": "a lower bound set in the code, never 1",
    "More than %(num)d declarations": "a lower bound set in the code, never 1",
    "Page %(n)d of more than %(total)d": "a page number and a lower bound of the number of pages, no noun",
    "Choose at most %(num)d organizations at a time.": "a limit set in the code (a page), never 1",
    "This page shows %(first)d–%(last)d of %(total)d, by name. The ticked boxes apply to this page only: send its "
    "reminders, then go to the next page.": "shown only when there is more than one page: never 1",
    # WTForms' own messages, marked for the catalogue: WTForms asks for them with gettext itself.
    "Field must be between %(min)d and %(max)d characters long.": "WTForms' message, a limit never 1",
    "Invalid choice(s): one or more data inputs could not be coerced.": "WTForms' message, no count",
}


def counted_messages() -> list[str]:
    found = []
    paths = [*ROOT.glob("app/**/*.py"), *ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt")]
    for path in sorted(paths):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(ELSEWHERE):
            continue
        for match in SINGULAR_CALL.finditer(path.read_text()):
            text = "".join(part[1:-1] for part in re.findall(r""""[^"]*"|'[^']*'""", match.group(1)))
            if text in EXCEPTIONS:
                continue
            if COUNT_NAME.search(text) or BEFORE_PLURAL.search(text) or MADE_PLURAL.search(text):
                line = path.read_text()[:match.start()].count("\n") + 1
                found.append(f"{relative}:{line}: {text[:90]}")
    return found


def test_every_message_with_a_count_is_a_plural_message():
    assert counted_messages() == []


def test_the_check_finds_counts_and_leaves_numbers_that_are_names():
    def flagged(text):
        return bool(COUNT_NAME.search(text) or BEFORE_PLURAL.search(text) or MADE_PLURAL.search(text))
    assert flagged("%(num)d draft answers") and flagged("at least %(n)d characters") and flagged("%(n)d update(s)")
    assert flagged("expires in %(days)d days") and flagged("%(count)d further signatories")
    assert not flagged("Version %(n)d is now open") and not flagged("Recommendation %(number)d")
    assert not flagged("Signed on %(date)s, on version %(n)d.")
