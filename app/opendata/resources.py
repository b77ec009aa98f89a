"""Every kind of public record, and how a list of them is read: a page at a time in the order of the resource's key,
starting after the last key the reader saw (keyset paging, so a page costs the same however deep it is and a
record added meanwhile never shifts the next page), behind an opaque cursor."""
import re
from datetime import UTC, datetime

from app.database import MAX_ID
from app.extensions import db
from app.opendata.follow_up import (
    ANSWERS,
    ASSESSMENTS_RESOURCE,
    INSTITUTIONS,
    SIGNATORIES,
    SUBMISSIONS,
    UPDATES,
)
from app.opendata.lines import EARLIER_ANSWERS, EARLIER_DECLARATIONS, EARLIER_RECOMMENDATIONS, LINES
from app.opendata.record_kit import Filters, Resource
from app.opendata.texts import DECLARATIONS, RECOMMENDATIONS, VERSIONS

# Served as /api/v1/<name> and /api/v1/<name>/<id>, in this order in the OpenAPI document.
API_RESOURCES: dict[str, Resource] = {resource.name: resource for resource in (
    DECLARATIONS, VERSIONS, RECOMMENDATIONS, LINES, SUBMISSIONS, ANSWERS, UPDATES, ASSESSMENTS_RESOURCE, INSTITUTIONS)}
# Besides: the signatories, as a list per submission (/api/v1/submissions/<id>/signatories) and a file of the
# archive; the years before Sanad, inside the lines and as files of the archive.
OTHER_RESOURCES: dict[str, Resource] = {resource.name: resource for resource in (
    SIGNATORIES, EARLIER_DECLARATIONS, EARLIER_RECOMMENDATIONS, EARLIER_ANSWERS)}
RESOURCES = {**API_RESOURCES, **OTHER_RESOURCES}

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
CURSOR_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CURSOR_LENGTH = 6  # base 36: up to 36**6 - 1, past MAX_ID (a cursor past it continues after every record)
RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?")


class BadQuery(ValueError):
    """A cursor, limit or filter that is not one: answered 400 with the message."""


def encode_cursor(resource: Resource, last_key: int) -> str:
    """Which list it belongs to and the last key read ("answers.2bq"). Readers take it as it is (opaque): it is
    only ever the value of a `next` link."""
    digits = ""
    while True:
        last_key, digit = divmod(last_key, 36)
        digits = CURSOR_DIGITS[digit] + digits
        if not last_key:
            return f"{resource.name}.{digits}"


def cursor_pattern(resource: Resource) -> str:
    """Every cursor of this list and nothing else (the OpenAPI document says so)."""
    return rf"^{resource.name}\.[0-9a-z]{{1,{CURSOR_LENGTH}}}$"


def decode_cursor(resource: Resource, cursor: str) -> int:
    """The last key read, from a cursor of this list; BadQuery for anything else."""
    if not re.fullmatch(cursor_pattern(resource), cursor):
        name = cursor.partition(".")[0]
        raise BadQuery("cursor belongs to another list" if name in RESOURCES and name != resource.name
                       else "cursor is not a cursor this API gave out")
    return min(int(cursor.partition(".")[2], 36), MAX_ID)


def parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def parse_id(name: str, value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        raise BadQuery(f"{name} must be an id (a whole number from 1)")
    return int(value)


def parse_since(value: str) -> datetime:
    """An RFC 3339 date (2026-01-31) or date and time with its offset (2026-01-31T09:00:00Z), as naive UTC."""
    text = value.upper()
    try:
        if not RFC_3339.fullmatch(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadQuery("since must be a date (2026-01-31) or a date and time with its offset "
                       "(2026-01-31T09:00:00Z)") from None
    try:
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    except OverflowError:  # at the edge of the calendar: the offset is left out
        return moment.replace(tzinfo=None)


def parse_filters(resource: Resource, args) -> Filters:
    """The filters this resource takes, read from the query string (each one given must be right); filters it
    does not take are ignored."""
    values = {}
    for name in resource.filters:
        if name in args:
            values[name] = parse_since(args[name]) if name == "since" else parse_id(name, args[name])
    return Filters(**values)


def read_page(resource: Resource, filters: Filters, after: int, limit: int, *, detail: bool = False):
    """(the records of the next `limit` rows after key `after`, the key to continue after or None at the end).
    One SELECT of limit + 1 rows (the one more says whether a next page exists), then what the records read
    for those rows."""
    rows = db.session.execute(resource.statement(filters).where(resource.key > after)
                              .order_by(resource.key).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    records = resource.item_records(rows) if detail else resource.records(rows)
    return records, (records[-1]["id"] if more and records else None)


def read_one(resource: Resource, item_id: int) -> dict | None:
    """One public record with all it says, or None when there is none (or it is not public)."""
    rows = db.session.execute(resource.statement(Filters()).where(resource.key == item_id).limit(1)).all()
    return resource.item_records(rows)[0] if rows else None
