"""Background task control: run (once across replicas), record, pause, resume, report.

The scheduler only decides *when*; everything about a run — taking the lease, timing it,
recording activity and storing the outcome — happens here, so a run started by the
scheduler, by "run now" or by another task goes through the same path.
"""

import logging
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.exceptions import Conflict, NotFound
from app.models import TaskRun, TaskState
from app.repositories import tasks as tasks_repository
from app.services.task_health import TaskHealth, is_running, task_health
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
TaskFunction = Callable[[datetime], dict[str, Any]]
# Called with (task name, paused) so the scheduler can follow pause and resume.
PauseListener = Callable[[str, bool], None]
NextRunLookup = Callable[[str], datetime | None]
RunListener = Callable[[TaskRun], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TaskDefinition:
    name: str
    interval: timedelta
    run: TaskFunction
    # Tasks to start right after a successful run (e.g. the playlist after a scrape).
    then: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskSnapshot:
    """A task's state as the API and metrics see it."""

    definition: TaskDefinition
    state: TaskState
    health: TaskHealth
    next_run: datetime | None


class TaskService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        definitions: Sequence[TaskDefinition],
        *,
        replica: str,
        grace: timedelta,
        history_limit: int,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._definitions = {definition.name: definition for definition in definitions}
        self._replica = replica
        self._grace = grace
        self._history_limit = history_limit
        self._clock = clock
        self._watched_since = clock()
        self._executor = ThreadPoolExecutor(
            max_workers=len(self._definitions), thread_name_prefix="task"
        )
        self._pause_listeners: list[PauseListener] = []
        self._run_listeners: list[RunListener] = []
        self._next_run: NextRunLookup = lambda _name: None
        self._progress = threading.Condition()
        self._finished_runs: dict[str, int] = dict.fromkeys(self._definitions, 0)
        self._slots_handled: dict[str, int] = dict.fromkeys(self._definitions, 0)
        self._scheduled_in_flight = 0
        self._closing = False
        with self._sessions.begin() as session:
            tasks_repository.ensure_states(session, self._definitions)

    @property
    def definitions(self) -> list[TaskDefinition]:
        return list(self._definitions.values())

    def on_pause_change(self, listener: PauseListener) -> None:
        self._pause_listeners.append(listener)

    def on_run_finished(self, listener: RunListener) -> None:
        """Call `listener(run)` after each run this replica finishes (for metrics)."""
        self._run_listeners.append(listener)

    def attach_schedule(self, next_run: NextRunLookup) -> None:
        """Where `next_run` comes from: the scheduler, when this replica runs one."""
        self._next_run = next_run

    # -- running -------------------------------------------------------------------------

    def run_scheduled(self, name: str) -> None:
        """Run `name` for its scheduled slot, unless another replica already ran that slot.

        A slot counts as taken when a run started less than 80 % of the interval ago (the
        slack absorbs clock drift between replicas' timers).
        """
        definition = self._definition(name)
        now = self._clock()
        slack = definition.interval * 0.2
        with self._progress:
            self._scheduled_in_flight += 1
        try:
            if self._claim(definition, now, started_before=now - definition.interval + slack):
                self._execute(definition, now, trigger="scheduled")
        finally:
            with self._progress:
                self._scheduled_in_flight -= 1
                self._slots_handled[name] += 1
                self._progress.notify_all()

    def request_run(self, name: str, *, trigger: str, user: str | None = None) -> None:
        """Start a run now in the background; Conflict if it is running already."""
        definition = self._definition(name)
        if self._closing:
            raise Conflict("The service is stopping; run the task after it restarts")
        now = self._clock()
        if not self._claim(definition, now, started_before=None, skip_paused=False):
            raise Conflict(f"Task {name} is already running; wait for it to finish")
        if trigger == "manual":
            self._recorder.record(
                ActivityType.USER_ACTION,
                f"Requested a run of {name}",
                details={"task": name},
                user=user,
            )
        self._executor.submit(self._execute, definition, now, trigger)

    def run_now_if_idle(self, name: str, *, trigger: str) -> None:
        """Like request_run, for follow-up runs: a run already under way is enough."""
        try:
            self.request_run(name, trigger=trigger)
        except Conflict:
            logger.info("%s already running; no %s run needed", name, trigger)

    def _claim(
        self,
        definition: TaskDefinition,
        now: datetime,
        *,
        started_before: datetime | None,
        skip_paused: bool = True,
    ) -> bool:
        lease_until = now + max(definition.interval, timedelta(minutes=10))
        with self._sessions.begin() as session:
            claimed = tasks_repository.claim(
                session,
                definition.name,
                owner=self._replica,
                now=now,
                lease_until=lease_until,
                started_before=started_before,
                skip_paused=skip_paused,
            )
            state = None if claimed else tasks_repository.get_state(session, definition.name)
        if state is not None and started_before is not None:
            self._record_overlap(definition.name, state, now)
        return claimed

    def _record_overlap(self, name: str, state: TaskState, now: datetime) -> None:
        """A scheduled slot found the previous run still going: say so, once per slot."""
        if state.paused or not is_running(state, now):
            return
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Skipped a run of {name}: the previous run is still going",
            details={"task": name, "running_on": state.lease_owner},
            level=ActivityLevel.WARNING,
        )

    def _execute(self, definition: TaskDefinition, started: datetime, trigger: str) -> None:
        with self._recorder.trace(
            f"task {definition.name}", **{"task.name": definition.name, "task.trigger": trigger}
        ):
            self._run_and_store(definition, started, trigger)

    def _run_and_store(self, definition: TaskDefinition, started: datetime, trigger: str) -> None:
        name = definition.name
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {name} started",
            details={"task": name, "trigger": trigger, "replica": self._replica},
        )
        began = perf_counter()
        result: dict[str, Any] | None = None
        error: BaseException | None = None
        try:
            result = definition.run(started)
        except Exception as exc:
            error = exc
        duration = perf_counter() - began
        run = TaskRun(
            task_name=name,
            trigger=trigger,
            replica=self._replica,
            started_at=started,
            finished_at=started + timedelta(seconds=duration),
            duration_seconds=duration,
            outcome="success" if error is None else "error",
            error=None if error is None else f"{type(error).__name__}: {error}",
            result=result,
        )
        trace = None if error is None else "".join(traceback.format_exception(error))
        try:
            with self._sessions.begin() as session:
                tasks_repository.finish(
                    session,
                    run,
                    owner=self._replica,
                    error_trace=trace,
                    history_limit=self._history_limit,
                )
        finally:
            self._record_outcome(run, error)
            for listener in self._run_listeners:
                listener(run)
            with self._progress:
                self._finished_runs[name] += 1
                self._progress.notify_all()
        if error is None:
            for follow_up in definition.then:
                self.run_now_if_idle(follow_up, trigger=f"after_{name}")

    def _record_outcome(self, run: TaskRun, error: BaseException | None) -> None:
        details = {
            "task": run.task_name,
            "trigger": run.trigger,
            "duration_seconds": round(run.duration_seconds, 3),
        }
        if error is not None:
            self._recorder.record_exception(error, f"Task {run.task_name} failed", details=details)
            return
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {run.task_name} finished in {run.duration_seconds:.2f} s",
            details=details | {"result": run.result},
        )

    def finished_runs(self, name: str) -> int:
        """How many runs of `name` this replica has finished (for waiting on one)."""
        with self._progress:
            return self._finished_runs[name]

    def wait_for_runs(self, name: str, count: int, timeout: float) -> bool:
        """Block until this replica has finished `count` runs of `name`; False on timeout."""
        with self._progress:
            return self._progress.wait_for(lambda: self._finished_runs[name] >= count, timeout)

    def wait_for_slots(self, name: str, count: int, timeout: float) -> bool:
        """Block until this replica's scheduler has handled `count` slots of `name` (run
        here, or found taken by another replica); False on timeout."""
        with self._progress:
            return self._progress.wait_for(lambda: self._slots_handled[name] >= count, timeout)

    # -- control ---------------------------------------------------------------------------

    def set_paused(self, name: str, *, paused: bool, user: str | None) -> None:
        """Pause or resume `name` on every replica; records the change as a user action."""
        self._definition(name)
        with self._sessions.begin() as session:
            tasks_repository.set_paused(session, name, paused=paused)
        verb = "Paused" if paused else "Resumed"
        self._recorder.record(
            ActivityType.USER_ACTION, f"{verb} task {name}", details={"task": name}, user=user
        )
        for listener in self._pause_listeners:
            listener(name, paused)

    # -- reading ---------------------------------------------------------------------------

    def snapshots(self) -> list[TaskSnapshot]:
        """Every task with its stored state and derived health, in definition order."""
        now = self._clock()
        with self._sessions() as session:
            states = tasks_repository.all_states(session)
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
            for definition in self._definitions.values()
        ]

    def _scheduled_next_run(self, state: TaskState) -> datetime | None:
        return None if state.paused else self._next_run(state.task_name)

    def recent_runs(self, name: str, *, limit: int) -> list[TaskRun]:
        self._definition(name)
        with self._sessions() as session:
            return tasks_repository.recent_runs(session, name, limit=limit)

    def shutdown(self, timeout: float = 60.0) -> None:
        """Refuse new runs and wait for those under way, so their outcome is stored before
        the database closes. Call after the scheduler has stopped firing."""
        self._closing = True
        self._executor.shutdown(wait=True, cancel_futures=True)
        with self._progress:
            if not self._progress.wait_for(lambda: self._scheduled_in_flight == 0, timeout):
                logger.error(
                    "Stopping while %d scheduled runs are still going", self._scheduled_in_flight
                )

    def _definition(self, name: str) -> TaskDefinition:
        try:
            return self._definitions[name]
        except KeyError:
            known = ", ".join(self._definitions)
            raise NotFound(f"No task named {name!r}; the tasks are: {known}") from None
