"""Uptime as the API and /metrics read it: stored state changes through `app.domain.uptime`.

One read per call: each entity's changes over the longest window asked for, its state when
that window began, and the heartbeat. The time after heartbeat + `unknown_after` counts as
unknown (nobody has watched since; see `app.services.state_changes`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.domain import uptime
from app.repositories import state_changes as state_changes_repository
from app.schemas.uptime import EntityUptime, UptimeBucket, UptimeIncident, UptimeRead

# The rolling windows of `windows` in the API, in days; /metrics reports the first three.
WINDOWS = {"1d": 1, "7d": 7, "30d": 30, "90d": 90}
METRIC_WINDOWS = ("1d", "7d", "30d")
MAX_INCIDENTS = 100
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
    periods: list[uptime.Period]


class UptimeService:
    def __init__(self, session_factory: sessionmaker[Session], *, unknown_after: timedelta) -> None:
        self._sessions = session_factory
        self._unknown_after = unknown_after

    def view(self, *, days: int, now: datetime) -> UptimeRead:
        """Every entity over the last `days` (1..90) at `now`: its state and since when, its
        uptime over the window and the standard ones, a bucket per day (per hour for `days`
        <= 2), and its incidents newest first."""
        start = now - timedelta(days=days)
        size, starts = uptime.bucket_starts(now, days=days)
        window_starts = [now - timedelta(days=n) for n in WINDOWS.values()]
        entities = []
        for line in self._timelines(now, days=max(days, *WINDOWS.values())):
            current = line.periods[-1]
            down = [p for p in uptime.incidents(line.periods) if p.end > start]
            overall, *standard = uptime.trailing_ratios(line.periods, [start, *window_starts], now)
            entities.append(
                EntityUptime(
                    name=line.name,
                    kind=line.kind,
                    state=current.state,
                    since=current.start,
                    uptime_ratio=overall,
                    windows=dict(zip(WINDOWS, standard, strict=True)),
                    days=[
                        UptimeBucket(
                            date=b.start,
                            uptime_ratio=b.uptime_ratio,
                            incidents=b.incidents,
                            worst=b.worst,
                        )
                        for b in uptime.buckets(line.periods, starts, size, now)
                    ],
                    incidents=[_incident(p, now) for p in reversed(down[-MAX_INCIDENTS:])],
                )
            )
        return UptimeRead(bucket_seconds=int(size.total_seconds()), entities=entities)

    def ratios(self, now: datetime) -> list[UptimeRatio]:
        """Each entity's uptime ratio over each of METRIC_WINDOWS at `now` (for /metrics)."""
        longest = max(WINDOWS[window] for window in METRIC_WINDOWS)
        starts = [now - timedelta(days=WINDOWS[window]) for window in METRIC_WINDOWS]
        return [
            UptimeRatio(line.kind, line.name, window, ratio)
            for line in self._timelines(now, days=longest)
            for window, ratio in zip(
                METRIC_WINDOWS, uptime.trailing_ratios(line.periods, starts, now), strict=True
            )
        ]

    def _timelines(self, now: datetime, *, days: int) -> list[_Timeline]:
        """Each entity's periods over the last `days`, peers first, then tasks, then streams."""
        since = now - timedelta(days=days)
        with self._sessions() as session:
            heartbeat = state_changes_repository.heartbeat(session)
            rows = state_changes_repository.history(session, since=since)
        changes: dict[tuple[str, str], list[uptime.Change]] = defaultdict(list)
        for row in rows:
            changes[(row.kind, row.name)].append(
                uptime.Change(row.to_state, row.changed_at, row.reason)
            )
        known_until = None if heartbeat is None else heartbeat + self._unknown_after
        return [
            _Timeline(
                kind,
                name,
                uptime.periods(entity, start=since, end=now, known_until=known_until),
            )
            for (kind, name), entity in sorted(
                changes.items(), key=lambda item: (_KIND_ORDER.get(item[0][0], 9), item[0][1])
            )
        ]


def _incident(period: uptime.Period, now: datetime) -> UptimeIncident:
    ongoing = period.end >= now
    return UptimeIncident(
        state=period.state,
        start=period.start,
        to=None if ongoing else period.end,
        duration_seconds=(period.end - period.start).total_seconds(),
        reason=period.reason,
    )
