"""Uptime as the API and /metrics read it: stored state changes through `app.domain.uptime`.

Each call brings the replica's in-memory history up to date (`StateHistory`: only the rows
written since the last call are read) and reads the heartbeat; the time after heartbeat +
`unknown_after` counts as unknown (nobody has watched since; see `app.services.state_changes`).

Streams are listed after the peers and tasks, each by its channel's name when the id is one
of our channels, and only when seen in the window (one that had ended before it is left out).
/metrics leaves streams out: a label per stream ever played would grow without bound.
"""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.domain import uptime
from app.repositories import channels as channels_repository
from app.repositories import state_changes as state_changes_repository
from app.schemas.uptime import EntityUptime, UptimeBucket, UptimeIncident, UptimeRead
from app.services.uptime_history import StateHistory

# The rolling windows of `windows` in the API, in days; /metrics reports the first three.
WINDOWS = {"1d": 1, "7d": 7, "30d": 30, "90d": 90}
METRIC_WINDOWS = ("1d", "7d", "30d")
MAX_INCIDENTS = 100
# Settled buckets and incidents kept per replica; past it the memo starts again (a few days
# of a busy evening's streams), so those that left every window do not pile up.
MAX_SETTLED = 50_000
_KIND_ORDER = {"peer": 0, "task": 1, "stream": 2}


@dataclass(frozen=True)
class UptimeRatio:
    kind: str
    name: str
    window: str
    ratio: float | None


@dataclass(frozen=True)
class _Entity:
    kind: str
    name: str
    label: str  # what a person reads: the channel's name for a stream, else `name`
    timeline: uptime.Timeline
    known_until: datetime | None
    # Until when the periods can no longer change: the entity's latest change (later ones
    # come after it) or the end of the watched time, whichever is earlier.
    settled_until: datetime


class _Settled:
    """The days that can no longer change (they end by their entity's `settled_until` and
    before now), kept until the history changes other than at its end, and the incidents that
    ended before now, kept by their period: building them was most of a warm view's time
    once the walks were gone."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[str, str, int, datetime], UptimeBucket] = {}
        self.incidents: dict[uptime.Period, UptimeIncident] = {}
        self._generation = -1

    def follow(self, generation: int) -> None:
        """Forget everything if the history changed (`generation`) or the memo grew full."""
        if generation != self._generation or (
            len(self.buckets) + len(self.incidents) > MAX_SETTLED
        ):
            self.buckets = {}
            self.incidents = {}
            self._generation = generation


class UptimeService:
    def __init__(self, session_factory: sessionmaker[Session], *, unknown_after: timedelta) -> None:
        self._sessions = session_factory
        self._unknown_after = unknown_after
        self._history = StateHistory()
        self._settled = _Settled()
        # One read at a time: the history's timelines grow (and the memo fills) under it.
        self._lock = threading.Lock()

    def view(self, *, days: int, now: datetime) -> UptimeRead:
        """Every entity over the last `days` (1..90) at `now`: its state and since when, its
        uptime over the window and the standard ones, a bucket per day (per hour for `days`
        <= 2), and its incidents newest first."""
        start = now - timedelta(days=days)
        size, starts = uptime.bucket_starts(now, days=days)
        window_starts = [now - timedelta(days=n) for n in WINDOWS.values()]
        since = now - timedelta(days=max(days, *WINDOWS.values()))
        entities = []
        with self._lock:
            for line in self._entities(now, since=since, streams_since=start):
                spans = line.timeline.periods(start=since, end=now, known_until=line.known_until)
                current = spans[-1]
                overall, *standard = line.timeline.ratios(
                    [start, *window_starts], now, line.known_until
                )
                entities.append(
                    EntityUptime(
                        id=line.name,
                        name=line.label,
                        kind=line.kind,
                        state=current.state,
                        since=current.start,
                        uptime_ratio=overall,
                        windows=dict(zip(WINDOWS, standard, strict=True)),
                        days=self._buckets(line, spans, starts, size, now),
                        incidents=self._incidents(spans, start, now),
                    )
                )
        return UptimeRead(bucket_seconds=int(size.total_seconds()), entities=entities)

    def _buckets(
        self,
        line: _Entity,
        spans: list[uptime.Period],
        starts: list[datetime],
        size: timedelta,
        now: datetime,
    ) -> list[UptimeBucket]:
        """`uptime.buckets` of `spans`, computing only those not settled before (most days of
        a 90-day view are: the walk over their periods was most of its time)."""
        settled = self._settled.buckets
        seconds = int(size.total_seconds())
        keys = [(line.kind, line.name, seconds, start) for start in starts]
        missing = [
            start
            for start, key in zip(starts, keys, strict=True)
            if key not in settled or start + size > now  # `now` may go back into a settled day
        ]
        fresh = {
            b.start: UptimeBucket(
                date=b.start, uptime_ratio=b.uptime_ratio, incidents=b.incidents, worst=b.worst
            )
            for b in uptime.buckets(spans, missing, size, now)
        }
        for start, bucket in fresh.items():
            if start + size <= min(line.settled_until, now):
                settled[(line.kind, line.name, seconds, start)] = bucket
        return [fresh.get(start) or settled[key] for start, key in zip(starts, keys, strict=True)]

    def _incidents(
        self, spans: list[uptime.Period], start: datetime, now: datetime
    ) -> list[UptimeIncident]:
        """The down periods of `spans` overlapping [start, now), newest first, at most
        MAX_INCIDENTS: a walk back from the newest period (their ends only grow). One that
        ended before `now` is all in its period, whatever else changes: kept by it."""
        settled = self._settled.incidents
        found: list[UptimeIncident] = []
        for period in reversed(spans):
            if period.end <= start or len(found) == MAX_INCIDENTS:
                break
            if uptime.severity(period.state) is not uptime.Severity.DOWN:
                continue
            ended = period.end < now
            incident = settled.get(period) if ended else None
            if incident is None:
                incident = _incident(period, now)
                if ended:
                    settled[period] = incident
            found.append(incident)
        return found

    def ratios(self, now: datetime) -> list[UptimeRatio]:
        """Each entity's uptime ratio over each of METRIC_WINDOWS at `now` (for /metrics)."""
        starts = [now - timedelta(days=WINDOWS[window]) for window in METRIC_WINDOWS]
        with self._lock:
            return [
                UptimeRatio(line.kind, line.name, window, ratio)
                for line in self._entities(now, since=min(starts), streams_since=None)
                for window, ratio in zip(
                    METRIC_WINDOWS,
                    line.timeline.ratios(starts, now, line.known_until),
                    strict=True,
                )
            ]

    def _entities(
        self, now: datetime, *, since: datetime, streams_since: datetime | None
    ) -> list[_Entity]:
        """Each entity with its timeline for a read of [since, now): peers first, then
        tasks, then the streams seen since `streams_since` (None: no streams). Called under
        the lock; forgets the settled figures if the history changed other than at its end."""
        with self._sessions() as session:
            heartbeat = state_changes_repository.heartbeat(session)
            timelines = {
                key: timeline
                for key, timeline in self._history.read(session).items()
                if key[0] != "stream" or _seen_since(timeline, streams_since)
            }
            stream_ids = [name for kind, name in timelines if kind == "stream"]
            labels = channels_repository.names_by_id(session, stream_ids)
        self._settled.follow(self._history.generation)
        known_until = None if heartbeat is None else heartbeat + self._unknown_after
        return [
            _Entity(
                kind,
                name,
                labels.get(name, name) if kind == "stream" else name,
                timeline,
                known_until,
                min(timeline.times[-1], known_until or since),
            )
            for (kind, name), timeline in sorted(
                timelines.items(), key=lambda item: (_KIND_ORDER.get(item[0][0], 9), item[0][1])
            )
        ]


def _seen_since(timeline: uptime.Timeline, moment: datetime | None) -> bool:
    """Whether a stream was anything but `ended` at some time after `moment` (never, for
    None)."""
    last = timeline.changes[-1]
    return moment is not None and (last.at > moment or last.state != uptime.ENDED)


def _incident(period: uptime.Period, now: datetime) -> UptimeIncident:
    ongoing = period.end >= now
    return UptimeIncident(
        state=period.state,
        start=period.start,
        to=None if ongoing else period.end,
        duration_seconds=(period.end - period.start).total_seconds(),
        reason=period.reason,
    )
