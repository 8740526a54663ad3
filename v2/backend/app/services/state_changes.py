"""Writing state changes, each once across replicas, and noticing when nobody watched.

Every writer (the status check for the peers and for overdue tasks, the end of a run, a
pause or resume) goes through `record`: it takes the heartbeat row's lock, compares what it
observed with each entity's latest stored state, and stores only what differs. Writers take
turns on that lock across replicas, and each compares with what the one before it stored, so
a change is written once however many replicas observe it.

Times the service did not run count as unknown, not as up. The status check refreshes a
heartbeat (`watched=True`); a writer that finds the heartbeat older than `unknown_after` (a
few check intervals) knows nobody watched since it, and first stores an `unknown` change at
the heartbeat for every entity still in a known state then, so the gap is in the history
like any other state. A gap still open (the service down now, or its status check paused)
has no such row yet; readers count the time after heartbeat + `unknown_after` as unknown
(`UptimeService`). A clean stop needs nothing of its own: the restart sees the gap.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.uptime import ENDED, UNKNOWN, task_state
from app.models import StateChange
from app.repositories import state_changes as state_changes_repository
from app.services.tasks.reads import TaskReads

logger = logging.getLogger(__name__)

_NOT_WATCHED = "The service was not running (no status check since this time)"


@dataclass(frozen=True)
class Observation:
    """An entity seen in `state` (see `app.domain.uptime` for the words) because of `reason`."""

    kind: str  # peer | task | stream
    name: str
    state: str
    reason: str | None = None


def unknown_after(check_interval_seconds: int) -> timedelta:
    """How old the heartbeat may grow before the time since counts as unknown: four status
    checks (three can be late or missed without a gap), at least a minute."""
    return max(timedelta(minutes=1), timedelta(seconds=4 * check_interval_seconds))


class StateChangeRecorder:
    def __init__(self, *, unknown_after: timedelta) -> None:
        self._unknown_after = unknown_after

    def record(
        self,
        session: Session,
        now: datetime,
        observe: Callable[[Session], Sequence[Observation]],
        *,
        watched: bool,
    ) -> list[StateChange]:
        """Store, in the caller's transaction, the changes that what `observe` returns makes
        at `now`; return them. `observe` is called with the lock held, so what it reads
        from the database is no older than the latest stored change. `watched` (the status
        check) refreshes the heartbeat."""
        last_watched = state_changes_repository.lock_heartbeat(session, now=now)
        observations = observe(session)
        latest = state_changes_repository.latest(session)
        changes = self._gap(latest, last_watched, now)
        last = {key: (row.to_state, row.changed_at) for key, row in latest.items()}
        last |= {(c.kind, c.name): (c.to_state, c.changed_at) for c in changes}
        for seen in observations:
            previous, previous_at = last.get((seen.kind, seen.name), (None, now))
            if previous == seen.state:
                continue
            # Never before the entity's latest change: a run's end reported at its finish
            # may come after a status check stored a later change of the same task.
            at = max(now, previous_at)
            changes.append(
                StateChange(
                    kind=seen.kind,
                    name=seen.name,
                    from_state=previous,
                    to_state=seen.state,
                    changed_at=at,
                    reason=seen.reason,
                )
            )
            last[(seen.kind, seen.name)] = (seen.state, at)
        state_changes_repository.add(session, changes)
        if watched and (last_watched is None or now > last_watched):
            state_changes_repository.beat(session, now=now)
        return changes

    def _gap(
        self,
        latest: dict[tuple[str, str], StateChange],
        last_watched: datetime | None,
        now: datetime,
    ) -> list[StateChange]:
        """`unknown` changes at `last_watched` if nobody watched since, for each entity
        still in a known state then (none for one that changed after it: seen since, nor for
        a stream that ended: its silence is no gap)."""
        if last_watched is None or now - last_watched <= self._unknown_after:
            return []
        return [
            StateChange(
                kind=kind,
                name=name,
                from_state=row.to_state,
                to_state=UNKNOWN,
                changed_at=last_watched,
                reason=_NOT_WATCHED,
            )
            for (kind, name), row in latest.items()
            if row.to_state not in (UNKNOWN, ENDED) and row.changed_at <= last_watched
        ]


class TaskStateChanges:
    """The tasks' states (`ok`, `failing`, `overdue`, `paused`) as state changes."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: StateChangeRecorder,
        tasks: TaskReads,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._tasks = tasks

    def record(self, now: datetime) -> list[StateChange]:
        """Read every task's state under the lock (so no run's outcome stored meanwhile is
        missed) and store what changed at `now`. Called after every run this replica ends
        (a failure or a recovery shows at once; the status check's run, every 15 s on one
        replica, is what notices `overdue`, which comes with time alone) and after each
        pause or resume; whichever replica comes first writes a change."""
        with self._sessions.begin() as session:
            return self._recorder.record(
                session, now, lambda locked: self._observe_tasks(locked, now), watched=False
            )

    def _observe_tasks(self, session: Session, now: datetime) -> list[Observation]:
        return [
            Observation(
                "task", snapshot.definition.name, *task_state(snapshot.state, snapshot.health)
            )
            for snapshot in self._tasks.snapshots_in(session, now)
        ]

    def record_quietly(self, now: datetime) -> None:
        """`record`, for event listeners: a database that refuses is logged, not
        raised into the run or the request (the next status check writes the change)."""
        try:
            self.record(now)
        except SQLAlchemyError as exc:
            logger.warning("Could not record the tasks' state changes yet: %s", exc)
