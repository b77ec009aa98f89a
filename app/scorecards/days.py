"""Calendar days in SQL, the same on SQLite and PostgreSQL: the day a stored moment (naive UTC) falls on in the
site's time zone, the days between two moments, the year of one, and the median of a column.

The zone's offset is taken once per request, for the day the request is made: in a zone with summer time a moment
within an hour of midnight may be counted on the neighbouring day in the other half of the year (the site's own
zone, Asia/Karachi, has none)."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Date, Integer, cast, extract, func, literal, or_, select, type_coerce

from app.extensions import db
from app.time import utcnow


def offset() -> timedelta:
    """How far the site's time zone is ahead of UTC today."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]).utcoffset(utcnow()) or timedelta(0)


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _modifier(shift: timedelta) -> str:
    return f"{int(shift.total_seconds() // 60):+d} minutes"


def local_day(column, shift: timedelta):
    """The calendar day (a date, comparable with a Date column) on which the moment in `column` fell locally."""
    if _sqlite():  # date() answers 'YYYY-MM-DD', the form SQLite's Date columns are stored in
        return func.date(column, _modifier(shift))
    return cast(column + literal(shift), Date) if shift else cast(column, Date)


def days_between(later, earlier, shift: timedelta):
    """Whole calendar days from the local day of `earlier` to that of `later`."""
    if _sqlite():
        return func.julianday(local_day(later, shift)) - func.julianday(local_day(earlier, shift))
    return type_coerce(local_day(later, shift) - local_day(earlier, shift), Integer)


def local_year(column, shift: timedelta):
    """The year in which the moment in `column` fell locally."""
    if _sqlite():
        return cast(func.strftime("%Y", column, _modifier(shift)), Integer)
    return cast(extract("year", column + literal(shift) if shift else column), Integer)


def year_bounds(year: int, shift: timedelta) -> tuple[datetime, datetime]:
    """The first moment of the local year and of the next, as the naive UTC the database keeps."""
    return datetime(year, 1, 1) - shift, datetime(year + 1, 1, 1) - shift


def year_ago(today: date) -> date:
    """The same calendar day a year before (the 28th of February for the 29th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def median(values, source):
    """The median of the column expression `values` over the rows of the select `source` (its FROM and WHERE; its
    columns are replaced), as a scalar subquery the database computes with window functions: each value ranked,
    then the middle one (odd count) or the mean of the middle two (even count). NULL when there is no value."""
    ranked = (source.with_only_columns(values.label("value"), func.row_number().over(order_by=values).label("rank"),
                                       func.count().over().label("count"))
              .where(values.is_not(None)).subquery())
    return (select(func.avg(ranked.c.value)).where(or_(ranked.c.rank == (ranked.c.count + 1) // 2,
                                                       ranked.c.rank == (ranked.c.count + 2) // 2))
            .scalar_subquery())


def as_float(value) -> float | None:
    """A median as the database answers it (a Decimal on PostgreSQL) as a number, or None."""
    return None if value is None else float(value)
