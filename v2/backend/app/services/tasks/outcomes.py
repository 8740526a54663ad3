"""Storing a run's outcome, and keeping the outcomes the database refuses for later.

Storing an outcome also releases the task's lease; just before, the store reads what the
stored history says (`PriorRuns`: the previous outcome, the usual duration), which decides
whether the run is worth an activity row (`domain/run_notice.py`). An outcome the
database refuses (locked, unreachable) waits in memory, at most MAX_UNSAVED_OUTCOMES of them,
and is stored again, oldest first, before the next one and at every heartbeat and claim.
"""

import logging
import threading
from collections import deque
from dataclasses import dataclass

from sqlalchemy import inspect
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.run_notice import USUAL_RUNS, PriorRuns
from app.models import TaskRun
from app.repositories import tasks as tasks_repository
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType

logger = logging.getLogger(__name__)

# Outcomes kept while the database refuses them: a few runs of each task, at most a few KB each.
MAX_UNSAVED_OUTCOMES = 100
# Errors after which storing again later may work; others are bugs and propagate.
_DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class Outcome:
    run: TaskRun
    # The stack trace of an unexpected error, stored beside `last_error`.
    trace: str | None


class _Refused(Exception):
    """The database refused to store an outcome for now; `reason` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OutcomeBacklog:
    """Outcomes the database refused: waiting now, ever refused, and given up."""

    pending: int
    unsaved_total: int
    lost_total: int


class OutcomeStore:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        *,
        replica: str,
        history_limit: int,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._replica = replica
        self._history_limit = history_limit
        # Serialises storing, so a kept outcome is never stored twice or out of order.
        self._saving = threading.Lock()
        self._unsaved: deque[Outcome] = deque()
        self._unsaved_total = 0
        self._lost_total = 0

    def save(self, outcome: Outcome) -> PriorRuns | None:
        """Store `outcome` after any kept before it and return what the history said before
        it; keep it, and return None, if the database refuses."""
        run = outcome.run
        with self._saving:
            try:
                self._store_kept()
                return self._store(outcome)
            except _Refused as refused:
                refusal = refused.reason
            if len(self._unsaved) >= MAX_UNSAVED_OUTCOMES:
                lost = self._unsaved.popleft()
                self._lost_total += 1
                logger.error(
                    "Gave up storing the outcome of %s started at %s: %d newer ones wait",
                    lost.run.task_name,
                    lost.run.started_at.isoformat(),
                    MAX_UNSAVED_OUTCOMES,
                )
            self._unsaved.append(outcome)
            self._unsaved_total += 1
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Could not store the outcome of {run.task_name} yet; it is kept to store again",
            details={"task": run.task_name, "outcome": run.outcome, "reason": refusal},
            level=ActivityLevel.WARNING,
        )
        return None

    def store_unsaved(self) -> bool:
        """Store the outcomes the database refused earlier, oldest first; True when none is
        left. Runs at every heartbeat and claim, and when the service stops."""
        with self._saving:
            try:
                self._store_kept()
            except _Refused:
                return False
            return True

    def close(self) -> None:
        """Store the kept outcomes one last time; those the database still refuses are lost
        (counted, and logged)."""
        if self.store_unsaved():
            return
        with self._saving:
            self._lost_total += len(self._unsaved)
            logger.error(
                "Stopping with %d task outcomes the database refused; they are lost",
                len(self._unsaved),
            )
            self._unsaved.clear()

    def backlog(self) -> OutcomeBacklog:
        return OutcomeBacklog(len(self._unsaved), self._unsaved_total, self._lost_total)

    def _store_kept(self) -> None:
        """Store the kept outcomes in order; _Refused if one is refused again."""
        while self._unsaved:
            self._store(self._unsaved[0])
            self._unsaved.popleft()

    def _store(self, outcome: Outcome) -> PriorRuns:
        """One attempt to store `outcome` and release its lease; what the history said
        before it. _Refused if the database is unavailable for now (locked, unreachable)."""
        run = outcome.run
        try:
            # Read in a transaction of its own, before the one that writes: on SQLite a
            # transaction that reads and then writes fails at once ("database is locked",
            # whatever the busy timeout) when another connection wrote in between. Nothing
            # else stores this task's outcome meanwhile: this run holds its lease.
            with self._sessions() as session:
                prior = PriorRuns(
                    outcome=tasks_repository.last_outcome(session, run.task_name),
                    durations=tasks_repository.success_durations(
                        session, run.task_name, limit=USUAL_RUNS
                    ),
                )
            with self._sessions.begin() as session:
                tasks_repository.finish(
                    session,
                    _fresh_row(run),
                    owner=self._replica,
                    error_trace=outcome.trace,
                    history_limit=self._history_limit,
                )
        except _DATABASE_UNAVAILABLE as exc:
            # The driver's own message: SQLAlchemy's would add the statement's parameters.
            refusal = f"{type(exc.orig).__name__}: {exc.orig}"
            logger.warning("Could not store the outcome of %s yet: %s", run.task_name, refusal)
            raise _Refused(refusal) from exc
        return prior


def _fresh_row(run: TaskRun) -> TaskRun:
    """A new, unsaved row with `run`'s values. Each attempt to store an outcome adds its own:
    a row added in a rolled-back attempt keeps the id that attempt gave it."""
    columns = [column.key for column in inspect(TaskRun).column_attrs if column.key != "id"]
    return TaskRun(**{column: getattr(run, column) for column in columns})
