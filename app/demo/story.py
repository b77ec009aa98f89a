"""The demo's history, told in the order it happened.

A story is a generator: it yields the moment of its next step, and does that step when resumed. tell() runs
the steps of all the stories in the order of their moments, with the clock of app.time set to each step's
moment while it runs. The records, notifications and audit entries the services write then carry the time
the step happened in the story (weeks ago), and the audit chain is written in the story's order, so it
verifies like any other. Only `flask demo load` tells stories; the wall clock is back as soon as it ends."""
import heapq
from collections.abc import Callable, Generator, Iterable
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import app.time as app_time
from app.extensions import db
from app.time import local_to_utc

Story = Generator[datetime, None, int]  # yields the moments of its steps, returns how many records it made
TICK = timedelta(seconds=1)


class StoryClock:
    """The moment of the step being told. Each reading within a step is a second after the one before, so
    what a step writes keeps its order, and the clock never goes back."""

    def __init__(self, start: datetime):
        self.moment, self.last = start, None

    def now(self) -> datetime:
        self.last = self.moment if self.last is None or self.moment > self.last else self.last + TICK
        return self.last


class _StoryDatetime(datetime):
    """app.time's datetime while a story is told: its now() reads the story's clock (app.time.utcnow(), and
    through it every service and column default, asks datetime.now(UTC))."""

    clock: StoryClock | None = None

    @classmethod
    def now(cls, tz=None):
        moment = cls.clock.now().replace(tzinfo=UTC)
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


@contextmanager
def story_clock(start: datetime):
    """Set app.time's clock to the story's, starting at start (naive UTC), until the block ends."""
    real = app_time.datetime
    _StoryDatetime.clock = StoryClock(start)
    app_time.datetime = _StoryDatetime
    try:
        yield _StoryDatetime.clock
    finally:
        app_time.datetime, _StoryDatetime.clock = real, None


class Calendar:
    """Moments of the story as a number of days before today and a time of day in the site's time zone."""

    def __init__(self, today: date):
        self.today = today

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: int, clock: str = "10:00") -> datetime:
        hour, minute = (int(part) for part in clock.split(":"))
        return local_to_utc(datetime.combine(self.day(days_ago), time(hour, minute)))


def tell(clock: StoryClock, stories: Iterable[Story]) -> int:
    """Run the steps of the stories in the order of their moments; returns the records they made."""
    made, waiting = 0, []
    for n, story in enumerate(stories):
        made += _advance(waiting, clock, n, story)
    while waiting:
        moment, n, story = heapq.heappop(waiting)
        clock.moment = moment
        made += _advance(waiting, clock, n, story)
    return made


def _advance(waiting: list, clock: StoryClock, n: int, story: Story) -> int:
    """Do the story's next step; queue the one after it, or return what the story made when it ends."""
    try:
        moment = next(story)
    except StopIteration as end:
        db.session.flush()
        return end.value or 0
    db.session.flush()  # column defaults are read when rows are written: within the step, at its moment
    if moment < clock.moment:
        raise ValueError(f"demo story {n} goes back in time: a step at {moment} after one at {clock.moment}")
    heapq.heappush(waiting, (moment, n, story))
    return 0


def in_order(steps: list[tuple[datetime, Callable[[], object]]]) -> Generator[datetime, None, None]:
    """Within a story: do each step at its moment, in time order (steps of the same moment as listed)."""
    for moment, _n, step in sorted((moment, n, step) for n, (moment, step) in enumerate(steps)):
        yield moment
        step()
