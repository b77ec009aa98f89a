"""What every open-data record is made with: the one condition that makes a declaration public, the filters a
list takes, a resource (its SELECT of public rows and how a page of them becomes records), and the small
helpers that write keys with their labels in both languages, dates and links the same way everywhere.

A resource's statement holds every condition of visibility, so that the API's pages and items, the archive's
batches and the feeds read only what a visitor may see on the site."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from sqlalchemy import String, cast, func

from app import permissions
from app.declarations.models import Declaration
from app.links import absolute_url

# A declaration a visitor may read (declaration_visible_clause for nobody logged in): past drafting and public.
# Its dossier, answers, updates and assessments are public with it (permissions.public_response_clause).
PUBLIC_DECLARATION = permissions.public_response_clause(Declaration)
LANGUAGE_CODES = ("en", "ur")


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to (?declaration=, ?institution=, ?since=, and the submission whose signatories are
    listed); None: not narrowed."""
    declaration: int | None = None
    institution: int | None = None
    since: datetime | None = None
    submission: int | None = None


@dataclass(frozen=True)
class Resource:
    """A kind of public record. statement(filters): the SELECT of its public rows, unordered and not limited;
    key: the column its lists are ordered and cut by (keyset paging: rows after the last one seen, never an
    OFFSET); records(rows): the records of those rows, reading at most a bounded number more per row;
    detail(rows): the same for the item endpoint when it says more (a version's content, a line's entries)."""
    name: str
    key: object
    statement: Callable
    records: Callable[[list], list[dict]]
    filters: tuple[str, ...] = ()
    detail: Callable[[list], list[dict]] | None = None
    api: bool = True  # listed and served under /api/v1/ (else only a file of the archive)
    batch: int = 500  # rows per batch when the archive reads the whole table
    summary: str = ""

    def item_records(self, rows: list) -> list[dict]:
        return (self.detail or self.records)(rows)


def narrowed(statement, filters: Filters, *, declaration=None, institution=None, since=None, submission=None):
    """The statement with the filters it takes applied, each to its column (or a condition made from the id)."""
    if submission is not None and filters.submission is not None:
        statement = statement.where(submission == filters.submission)
    if declaration is not None and filters.declaration is not None:
        statement = statement.where(declaration == filters.declaration)
    if institution is not None and filters.institution is not None:
        statement = statement.where(institution(filters.institution) if callable(institution)
                                    else institution == filters.institution)
    if since is not None and filters.since is not None:
        statement = statement.where(since >= filters.since)
    return statement


def int_list_contains(column, value: int):
    """The JSON list of numbers in `column` holds `value` (",1,12," contains ",12,"; spaces dropped), in SQL."""
    listed = func.replace(func.replace(func.replace(cast(column, String), " ", ""), "[", ","), "]", ",")
    return listed.contains(f",{int(value)},")


# --- values -------------------------------------------------------------------------------------------------

_LABELS: dict[tuple[int, str], dict[str, str]] = {}


def labels(vocabulary: dict, key: str) -> dict[str, str]:
    """A key's label in English and in Urdu (the catalogue does not change while the process runs)."""
    found = _LABELS.get((id(vocabulary), key))
    if found is None:
        found = {}
        for code in LANGUAGE_CODES:
            with force_locale(code):
                found[code] = str(vocabulary.get(key, ""))
        _LABELS[(id(vocabulary), key)] = found
    return found


def labelled(vocabulary: dict, key: str | None) -> dict | None:
    """{"key": …, "label": {"en": …, "ur": …}}, or None for no key."""
    return {"key": key, "label": labels(vocabulary, key)} if key else None


def labelled_list(vocabulary: dict, keys) -> list[dict]:
    return [labelled(vocabulary, key) for key in keys or () if key]


def moment(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as RFC 3339, to the second."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def in_languages(first_language: str, first: str, second_language: str | None, second: str) -> dict[str, str]:
    """A text in the declaration's language and, where it has one, its translation: {"en": …, "ur": …}."""
    texts = {first_language: first}
    if second_language and second:
        texts[second_language] = second
    return texts


def page_link(endpoint: str, **values) -> str:
    """An absolute link to a page of the site (SANAD_SITE_URL), as every record carries."""
    return absolute_url(endpoint, **values)


def api_link(name: str, item_id: int | None = None) -> str:
    """An absolute link to a resource's list or one of its items under /api/v1/."""
    if item_id is None:
        return absolute_url("opendata.api_list", resource=name)
    return absolute_url("opendata.api_item", resource=name, item_id=item_id)
