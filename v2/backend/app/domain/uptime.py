"""Uptime from a history of state changes: a pure function of (changes, window, now).

An entity (a peer, a task, a stream) is in one state at a time; its stored changes say
from when. Each state word falls in one of four classes:

- up: `up` (acexy, the engine), `connected` (WARP), `ok` (a task), `playing` (a stream);
- paused: a task someone paused on purpose, and a stream that `ended` (nobody watches it:
  not an outage);
- unknown: before the entity was first seen, while the service did not run (an `unknown`
  change, written when the service notices the gap), and after `known_until` (nobody has
  watched since);
- down: everything else (`down`, `disconnected`, `connecting`, `error`, `failing`,
  `overdue`, `stalled`, ...).

WARP `unavailable` (no warp-cli where the app runs: WARP is not in use) counts as unknown, as
the WARP alert leaves it out: an install without WARP is not down all the time.

`uptime_ratio` counts known time only: up / (up + down). Paused and unknown time are left
out of both, so a night the service was off neither helps nor hurts; None when a span holds
no up or down time at all. An incident is one stretch of a down state. Times are added up
as `timedelta`s (whole microseconds, exact) and divided once, so a ratio does not depend on
the order it was summed in: `Timeline`'s running totals give the very float a walk gives.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import cache

from app.domain.task_health import TaskHealth, TaskStatus
from app.models import TaskState

UNKNOWN = "unknown"
PAUSED = "paused"
ENDED = "ended"
_UP_STATES = frozenset({"up", "connected", "ok", "playing"})
_NOT_IN_USE = "unavailable"

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
_NONE = timedelta(0)


class Severity(IntEnum):
    """How bad a state is, for a bucket's worst state: down > unknown > paused > up. A
    stream's `ended` is as paused: neither up nor down."""

    UP = 0
    PAUSED = 1
    UNKNOWN = 2
    DOWN = 3


@cache
def severity(state: str) -> Severity:
    if state in _UP_STATES:
        return Severity.UP
    if state in (PAUSED, ENDED):
        return Severity.PAUSED
    if state in (UNKNOWN, _NOT_IN_USE):
        return Severity.UNKNOWN
    return Severity.DOWN


@dataclass(frozen=True, slots=True)
class Change:
    """An entity's stored change of state: to `state` at `at`, because of `reason`."""

    state: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of one state, [start, end). `start` is the change that began it, which may
    come before the window; `end` is the next change, or the end of the window."""

    state: str
    start: datetime
    end: datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime
    uptime_ratio: float | None
    incidents: int
    worst: str


def periods(
    changes: Sequence[Change], *, start: datetime, end: datetime, known_until: datetime | None
) -> list[Period]:
    """The states covering [start, end), oldest first, from `changes` sorted by time.

    The last change at or before `start` gives the state at `start` (its period keeps its
    true beginning); without one the entity is unknown until its first change. From
    `known_until` on (None: never watched) everything is unknown.
    """
    result: list[Period] = []
    current: Change | None = None
    for change in changes:
        if change.at <= start:
            current = change
            continue
        if change.at >= end:
            break
        result.append(_period(current, start, change.at))
        current = change
    result.append(_period(current, start, end))
    return _unknown_after(result, known_until if known_until is not None else start)


def _period(change: Change | None, start: datetime, end: datetime) -> Period:
    if change is None:
        return Period(UNKNOWN, start, end)
    return Period(change.state, change.at, end, change.reason)


def _unknown_after(result: list[Period], known_until: datetime) -> list[Period]:
    """`result` with the time after `known_until` made unknown (one period for all of it)."""
    if result[-1].end <= known_until:
        return result
    kept = [p for p in result if p.end <= known_until]
    crossing = [p for p in result if p.start < known_until < p.end]
    kept += [Period(p.state, p.start, known_until, p.reason) for p in crossing]
    if kept and kept[-1].state == UNKNOWN:
        last = kept.pop()
        return [*kept, Period(UNKNOWN, last.start, result[-1].end)]
    gap_start = max(known_until, result[0].start)
    return [*kept, Period(UNKNOWN, gap_start, result[-1].end, None)]


class Timeline:
    """One entity's changes in time order (equal times in the order added) with what the
    uptime reads need kept up to date as changes arrive: the closed periods (each change
    until the next one) and the up and known time from the first change to each change.

    The history only grows at its end, so a read of 90 days costs a bisect per window and
    the periods of the open end, not a walk over every change (docs/performance.md §15).
    `periods` and `ratios` answer exactly what the functions of the same name give for the
    changes since the window's start.
    """

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self.changes: list[Change] = []
        self.times: list[datetime] = []
        self._levels: list[Severity] = []
        self._closed: list[Period] = []  # _closed[i]: changes[i] until changes[i + 1]
        self._up: list[timedelta] = []  # up time from the first change to changes[i]
        self._known: list[timedelta] = []
        for change in changes:
            self.add(change)

    def add(self, change: Change) -> bool:
        """Add `change`; False if it came before the latest change (the periods from it on
        were built again, and figures derived from them before may be stale)."""
        if not self.times or change.at >= self.times[-1]:
            self._append(change)
            return True
        index = bisect_right(self.times, change.at)
        later = self.changes[index:]
        for column in (self.changes, self.times, self._levels, self._up, self._known):
            del column[index:]
        del self._closed[max(index - 1, 0) :]
        for each in (change, *later):
            self._append(each)
        return False

    def _append(self, change: Change) -> None:
        if self.changes:
            last, level = self.changes[-1], self._levels[-1]
            length = change.at - last.at
            self._up.append(self._up[-1] + (length if level is Severity.UP else _NONE))
            counted = level is Severity.UP or level is Severity.DOWN
            self._known.append(self._known[-1] + (length if counted else _NONE))
            self._closed.append(Period(last.state, last.at, change.at, last.reason))
        else:
            self._up.append(_NONE)
            self._known.append(_NONE)
        self.changes.append(change)
        self.times.append(change.at)
        self._levels.append(severity(change.state))

    def since(self, moment: datetime) -> list[Change]:
        """The changes after `moment` and the last one at or before it (the state then)."""
        return self.changes[max(0, bisect_right(self.times, moment) - 1) :]

    def periods(
        self, *, start: datetime, end: datetime, known_until: datetime | None
    ) -> list[Period]:
        """`periods(self.since(start), start=start, end=end, known_until=known_until)`,
        walking only from the latest change inside the window that precedes `known_until`:
        the periods before it are closed, and the unknown time after `known_until` cannot
        reach them."""
        limit = min(end, known_until if known_until is not None else start)
        last = bisect_left(self.times, limit) - 1  # the latest change before `limit`
        if last < 0 or self.times[last] <= start:
            return periods(self.since(start), start=start, end=end, known_until=known_until)
        first = bisect_right(self.times, start) - 1  # the change in force at `start`
        head = [Period(UNKNOWN, start, self.times[0])] if first < 0 else []
        # Walked from `last` alone, the window opens unknown until it: that head is dropped.
        tail = periods(self.changes[last:], start=start, end=end, known_until=known_until)
        return [*head, *self._closed[max(first, 0) : last], *tail[1:]]

    def ratios(
        self, starts: Sequence[datetime], end: datetime, known_until: datetime | None
    ) -> list[float | None]:
        """`uptime_ratio(self.periods(...), start, end)` for each of `starts` (each at or
        after the periods' start): the up and known time of a window from the running
        totals, a bisect at each end, where a walk over the periods was most of the view's
        time."""
        if known_until is None:
            return [None for _ in starts]
        stop = min(end, known_until)
        up_to_stop, known_to_stop = self._totals(stop)
        answers: list[float | None] = []
        for start in starts:
            if start >= stop:
                answers.append(None)
                continue
            up, known = self._totals(start)
            answers.append(_ratio(up_to_stop - up, known_to_stop - known))
        return answers

    def _totals(self, moment: datetime) -> tuple[timedelta, timedelta]:
        """The up and the known time from the first change to `moment`."""
        index = bisect_right(self.times, moment) - 1
        if index < 0:
            return _NONE, _NONE
        level, since = self._levels[index], moment - self.times[index]
        up = self._up[index] + (since if level is Severity.UP else _NONE)
        counted = level is Severity.UP or level is Severity.DOWN
        return up, self._known[index] + (since if counted else _NONE)


def _overlap(period: Period, start: datetime, end: datetime) -> timedelta:
    return max(_NONE, min(period.end, end) - max(period.start, start))


def uptime_ratio(spans: Iterable[Period], start: datetime, end: datetime) -> float | None:
    """Up time / known (up + down) time within [start, end); None if none is known."""
    up = known = _NONE
    for period in spans:
        level = severity(period.state)
        if level in (Severity.UP, Severity.DOWN):
            overlap = _overlap(period, start, end)
            known += overlap
            up += overlap if level is Severity.UP else _NONE
    return _ratio(up, known)


def _ratio(up: timedelta, known: timedelta) -> float | None:
    return None if not known else up / known


def incidents(spans: Iterable[Period]) -> list[Period]:
    """The down periods among `spans`, oldest first."""
    return [period for period in spans if severity(period.state) is Severity.DOWN]


def bucket_starts(now: datetime, *, days: int) -> tuple[timedelta, list[datetime]]:
    """The bucket size and the starts of the buckets ending with the one `now` is in:
    hourly for `days` <= 2 (24 x days of them), else one per UTC date (`days` of them)."""
    now = now.astimezone(UTC)
    if days <= 2:
        last = now.replace(minute=0, second=0, microsecond=0)
        return HOUR, [last - HOUR * i for i in reversed(range(24 * days))]
    last = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return DAY, [last - DAY * i for i in reversed(range(days))]


def buckets(
    spans: Sequence[Period], starts: Sequence[datetime], size: timedelta, now: datetime
) -> list[Bucket]:
    """Each bucket's uptime ratio, count of incidents overlapping it (one crossing midnight
    counts in both days) and worst state, the last bucket ending at `now`. `spans` and
    `starts` are in time order: one pass over both, each period's class looked up once (90
    buckets x 10 entities made the per-bucket helpers most of the view's time)."""
    result: list[Bucket] = []
    # The periods' ends only grow: the first period of the first bucket is a bisect away (a
    # view asks for the few newest buckets of a long history).
    offset = first = bisect_right(spans, starts[0], key=_end) if starts else 0
    levels = [severity(period.state) for period in spans[offset:]]
    for start in starts:
        end = min(start + size, now)
        while first < len(spans) and spans[first].end <= start:
            first += 1
        up = known = _NONE
        down = 0
        worst, worst_level = UNKNOWN, -1
        index = first
        while index < len(spans) and spans[index].start < end:
            period, level = spans[index], levels[index - offset]
            if level > worst_level:
                worst, worst_level = period.state, level
            if level is Severity.UP or level is Severity.DOWN:
                overlap = max(_NONE, min(period.end, end) - max(period.start, start))
                known += overlap
                if level is Severity.UP:
                    up += overlap
                else:
                    down += 1
            index += 1
        result.append(
            Bucket(start=start, uptime_ratio=_ratio(up, known), incidents=down, worst=worst)
        )
    return result


def _end(period: Period) -> datetime:
    return period.end


def task_state(state: TaskState, health: TaskHealth) -> tuple[str, str | None]:
    """A task's uptime state and why: `paused`; `overdue` (no run finished within its
    interval plus grace); `failing` (its last finished run failed, the reason the error's
    first line); else `ok`. A run going on keeps the state its last finished run left, and
    an interrupted run is not a failure (the task engine's rule)."""
    if health.status is TaskStatus.PAUSED:
        return PAUSED, None
    if health.overdue and health.overdue_since is not None:
        due = health.overdue_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return "overdue", f"No run finished by {due} (its interval plus grace)"
    if state.last_outcome == "error":
        first_line = (state.last_error or "").strip().splitlines()
        return "failing", first_line[0] if first_line else None
    return "ok", None
