"""What the API and the metrics read about tasks: state with derived health, run history."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.core.changes import CachedRead, DatabaseChanges
from app.domain.task_health import TaskHealth, task_health
from app.models import TaskRun, TaskState
from app.repositories import tasks as tasks_repository
from app.services.tasks.definition import Clock, TaskCatalog, TaskDefinition, utc_now

NextRunLookup = Callable[[str], datetime | None]


def _unscheduled(_name: str) -> datetime | None:
    return None


@dataclass(frozen=True)
class TaskSnapshot:
    """A task's state as the API and metrics see it."""

    definition: TaskDefinition
    state: TaskState
    health: TaskHealth
    next_run: datetime | None


class TaskReads:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        catalog: TaskCatalog,
        *,
        grace: timedelta,
        clock: Clock = utc_now,
        changes: DatabaseChanges | None = None,
    ) -> None:
        """`changes` tells when the stored states may have changed: they are read again
        only then (without it, on every call)."""
        self._sessions = session_factory
        self._catalog = catalog
        self._grace = grace
        self._clock = clock
        # Stands in for the last finish of a task that never finished: it becomes overdue
        # an interval plus grace after the service started watching it.
        self._watched_since = clock()
        self._next_run: NextRunLookup = _unscheduled
        # The API, /metrics and the live feed's ticks read the states far more often than a
        # run, a lease renewal or a pause writes them (docs/performance.md §17).
        self._states: CachedRead[dict[str, TaskState]] = CachedRead(
            changes or DatabaseChanges(), [TaskState.__tablename__]
        )

    def follow_schedule(self, next_run: NextRunLookup) -> None:
        """Where next runs come from: the scheduler, when this replica runs one (else
        none is known)."""
        self._next_run = next_run

    def snapshots(self) -> list[TaskSnapshot]:
        """Every task with its stored state and derived health, in catalog order; no next run
        for a paused task."""
        return self._snapshots(self._states.get(self._read_states), self._clock())

    def snapshots_in(self, session: Session, now: datetime) -> list[TaskSnapshot]:
        """`snapshots` at `now`, read in the caller's session (for a writer that must read
        the states after taking its lock)."""
        return self._snapshots(tasks_repository.all_states(session), now)

    def _read_states(self) -> dict[str, TaskState]:
        with self._sessions() as session:
            return tasks_repository.all_states(session)

    def _snapshots(self, states: dict[str, TaskState], now: datetime) -> list[TaskSnapshot]:
        return [
            TaskSnapshot(
                definition,
                states[definition.name],
                task_health(
                    states[definition.name],
                    interval=definition.interval,
                    grace=self._grace,
                    baseline=self._watched_since,
                    now=now,
                ),
                next_run=None
                if states[definition.name].paused
                else self._next_run(definition.name),
            )
            for definition in self._catalog
        ]

    def recent_runs(self, name: str, *, limit: int) -> list[TaskRun]:
        """The latest `limit` runs of `name`, newest first; NotFound for an unknown task."""
        self._catalog.get(name)
        with self._sessions() as session:
            return tasks_repository.recent_runs(session, name, limit=limit)
