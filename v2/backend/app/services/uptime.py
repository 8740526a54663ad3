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
# Settled buckets kept per replica; past it the memo starts again (a few days of a busy
# evening's streams), so buckets that left every window do not pile up.
MAX_SETTLED_BUCKETS = 50_000
_KIND_ORDER = {"peer": 0, "task": 1, "stream": 2}


@dataclass(frozen=True)
class UptimeRatio:
    kind: str
    name: str
    window: str
    ratio: float | None


@dataclass(frozen=True)
class _Timeline:
    kind: str
    name: str
    label: str  # what a person reads: the channel's name for a stream, else `name`
    periods: list[uptime.Period]
    # Until when the periods can no longer change: the entity's latest change (later ones
    # come after it) or the end of the watched time, whichever is earlier.
    settled_until: datetime


class UptimeService:
    def __init__(self, session_factory: sessionmaker[Session], *, unknown_after: timedelta) -> None:
        self._sessions = session_factory
        self._unknown_after = unknown_after
        self._history = StateHistory()
        # A settled bucket (one ending by its entity's `settled_until`) never changes until
        # the history is read again from nothing: kept, keyed by entity, size and start.
        self._settled: dict[tuple[str, str, int, datetime], UptimeBucket] = {}
        self._settled_generation = -1
        self._settled_lock = threading.Lock()

    def view(self, *, days: int, now: datetime) -> UptimeRead:
        """Every entity over the last `days` (1..90) at `now`: its state and since when, its
        uptime over the window and the standard ones, a bucket per day (per hour for `days`
        <= 2), and its incidents newest first."""
        start = now - timedelta(days=days)
        size, starts = uptime.bucket_starts(now, days=days)
        window_starts = [now - timedelta(days=n) for n in WINDOWS.values()]
        entities = []
        longest = max(days, *WINDOWS.values())
        for line in self._timelines(now, days=longest, streams_since=start):
            current = line.periods[-1]
            down = [p for p in uptime.incidents(line.periods) if p.end > start]
            overall, *standard = uptime.trailing_ratios(line.periods, [start, *window_starts], now)
            entities.append(
                EntityUptime(
                    id=line.name,
                    name=line.label,
                    kind=line.kind,
                    state=current.state,
                    since=current.start,
                    uptime_ratio=overall,
                    windows=dict(zip(WINDOWS, standard, strict=True)),
                    days=self._buckets(line, starts, size, now),
                    incidents=[_incident(p, now) for p in reversed(down[-MAX_INCIDENTS:])],
                )
            )
        return UptimeRead(bucket_seconds=int(size.total_seconds()), entities=entities)

    def _buckets(
        self, line: _Timeline, starts: list[datetime], size: timedelta, now: datetime
    ) -> list[UptimeBucket]:
        """`uptime.buckets` of `line`, computing only those not settled before (most days of
        a 90-day view are: the walk over their periods was most of its time)."""
        with self._settled_lock:
            return self._buckets_locked(line, starts, size, now)

    def _buckets_locked(
        self, line: _Timeline, starts: list[datetime], size: timedelta, now: datetime
    ) -> list[UptimeBucket]:
        if self._settled_generation != self._history.generation or (
            len(self._settled) > MAX_SETTLED_BUCKETS
        ):
            self._settled = {}
            self._settled_generation = self._history.generation
        seconds = int(size.total_seconds())
        keys = [(line.kind, line.name, seconds, start) for start in starts]
        missing = [
            start for start, key in zip(starts, keys, strict=True) if key not in self._settled
        ]
        fresh = {
            b.start: UptimeBucket(
                date=b.start, uptime_ratio=b.uptime_ratio, incidents=b.incidents, worst=b.worst
            )
            for b in uptime.buckets(line.periods, missing, size, now)
        }
        for start, bucket in fresh.items():
            if start + size <= min(line.settled_until, now):
                self._settled[(line.kind, line.name, seconds, start)] = bucket
        return [
            fresh.get(start) or self._settled[key] for start, key in zip(starts, keys, strict=True)
        ]

    def ratios(self, now: datetime) -> list[UptimeRatio]:
        """Each entity's uptime ratio over each of METRIC_WINDOWS at `now` (for /metrics)."""
        longest = max(WINDOWS[window] for window in METRIC_WINDOWS)
        starts = [now - timedelta(days=WINDOWS[window]) for window in METRIC_WINDOWS]
        return [
            UptimeRatio(line.kind, line.name, window, ratio)
            for line in self._timelines(now, days=longest, streams_since=None)
            for window, ratio in zip(
                METRIC_WINDOWS, uptime.trailing_ratios(line.periods, starts, now), strict=True
            )
        ]

    def _timelines(
        self, now: datetime, *, days: int, streams_since: datetime | None
    ) -> list[_Timeline]:
        """Each entity's periods over the last `days`, peers first, then tasks, then the
        streams seen since `streams_since` (None: no streams)."""
        since = now - timedelta(days=days)
        with self._sessions() as session:
            heartbeat = state_changes_repository.heartbeat(session)
            changes = self._history.read(session, since=since)
            changes = {
                key: entity
                for key, entity in changes.items()
                if key[0] != "stream" or _seen_since(entity, streams_since)
            }
            stream_ids = [name for kind, name in changes if kind == "stream"]
            labels = channels_repository.names_by_id(session, stream_ids)
        known_until = None if heartbeat is None else heartbeat + self._unknown_after
        return [
            _Timeline(
                kind,
                name,
                labels.get(name, name) if kind == "stream" else name,
                uptime.periods(entity, start=since, end=now, known_until=known_until),
                min(entity[-1].at, known_until or since),
            )
            for (kind, name), entity in sorted(
                changes.items(), key=lambda item: (_KIND_ORDER.get(item[0][0], 9), item[0][1])
            )
        ]


def _seen_since(changes: list[uptime.Change], moment: datetime | None) -> bool:
    """Whether a stream was anything but `ended` at some time after `moment` (never, for
    None)."""
    last = changes[-1]
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
