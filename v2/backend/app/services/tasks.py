"""Background task control: run (once across replicas), record, pause, resume, report.

The scheduler only decides *when*; everything about a run — taking the lease, keeping it,
timing it, stopping it, recording activity and storing the outcome — happens here, so a run
started by the scheduler, by "run now" or by another task goes through the same path.

A run holds its task's lease for LEASE and renews it every HEARTBEAT_SECONDS while it goes
on, so a replica that dies frees its tasks within about a minute, however long the interval.
Stopping the service interrupts its runs through their CancelToken, stores them as
`interrupted` and releases their leases within STOP_TIMEOUT_SECONDS. An outcome the database
refuses (locked, unreachable) is kept in memory, a bounded number of them, and stored again
at the next heartbeat or claim.
"""

import logging
import threading
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from time import perf_counter
from typing import Any

from opentelemetry.sdk.trace import Span as RecordingSpan
from sqlalchemy import inspect
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.task_health import TaskHealth, is_running, run_warnings, task_health
from app.exceptions import Conflict, NotFound, TaskFailed
from app.models import TaskRun, TaskState
from app.observability.activity_exporter import store_span
from app.repositories import tasks as tasks_repository
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType
from app.utils.cancel import CancelToken, Interrupted

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# A task gets the time its run started and the token that tells it to stop early.
TaskFunction = Callable[[datetime, CancelToken], dict[str, Any]]
# Called with (task name, paused) so the scheduler can follow pause and resume.
PauseListener = Callable[[str, bool], None]
NextRunLookup = Callable[[str], datetime | None]
RunListener = Callable[[TaskRun], None]

# Four heartbeats fit in a lease: three can fail (a locked or restarting database) before
# another replica may take the task over.
LEASE = timedelta(seconds=60)
HEARTBEAT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 5.0
# Outcomes kept while the database refuses them: a few runs of each task, at most a few KB each.
MAX_UNSAVED_OUTCOMES = 100
STOPPING = "the service is stopping"
_STOPPING_CONFLICT = "The service is stopping; run the task after it restarts"
# Errors after which storing again later may work; others are bugs and propagate.
_DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


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


@dataclass(frozen=True)
class OutcomeBacklog:
    """Outcomes the database refused: waiting now, ever refused, and given up."""

    pending: int
    unsaved_total: int
    lost_total: int


@dataclass(eq=False)
class _ActiveRun:
    """A run this replica holds the lease for, from its claim until its outcome is settled."""

    definition: TaskDefinition
    started: datetime
    trigger: str
    began: float = field(default_factory=perf_counter)
    cancel: CancelToken = field(default_factory=CancelToken)
    # Set by whoever settles the outcome first: the run's thread, or `shutdown` for a run
    # that does not stop in time.
    settled: bool = False


@dataclass(frozen=True)
class _Outcome:
    run: TaskRun
    trace: str | None


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
        # Guards the run bookkeeping below; waiters use it to follow progress.
        self._progress = threading.Condition()
        self._finished_runs: dict[str, int] = dict.fromkeys(self._definitions, 0)
        self._slots_handled: dict[str, int] = dict.fromkeys(self._definitions, 0)
        # Threads inside a run's code path (scheduled, or submitted to the executor), up to
        # their last follow-up: `shutdown` waits for them before the database closes.
        self._in_flight = 0
        self._active: dict[str, _ActiveRun] = {}
        # Follow-ups asked for while their task ran here, by task: the trigger of the first.
        self._reruns: dict[str, str] = {}
        self._closing = False
        self._heartbeat: threading.Thread | None = None
        self._stopped = threading.Event()
        # Serialises storing outcomes, so a kept one is never stored twice or out of order.
        self._saving = threading.Lock()
        self._unsaved: deque[_Outcome] = deque()
        self._unsaved_total = 0
        self._lost_total = 0
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
        slack absorbs clock drift between replicas' timers). Does nothing once stopping.
        """
        definition = self._definition(name)
        now = self._clock()
        slack = definition.interval * 0.2
        with self._progress:
            self._in_flight += 1
        try:
            if not self._closing:
                active = self._claim(
                    definition,
                    now,
                    trigger="scheduled",
                    started_before=now - definition.interval + slack,
                )
                if active is not None:
                    self._execute(active)
        finally:
            with self._progress:
                self._in_flight -= 1
                self._slots_handled[name] += 1
                self._progress.notify_all()

    def request_run(self, name: str, *, trigger: str, user: str | None = None) -> None:
        """Start a run now in the background; Conflict if it is running already."""
        definition = self._definition(name)
        if self._closing:
            raise Conflict(_STOPPING_CONFLICT)
        active = self._claim(
            definition, self._clock(), trigger=trigger, started_before=None, skip_paused=False
        )
        if active is None:
            raise Conflict(f"Task {name} is already running; wait for it to finish")
        if trigger == "manual":
            with self._sessions.begin() as session:
                audit = self._store_user_action(session, f"Requested a run of {name}", name, user)
            audit.end()
        with self._progress:
            if not self._closing:
                self._in_flight += 1
                self._executor.submit(self._execute_submitted, active)
                return
        # The service began stopping after the claim: settle the run without starting it.
        self._conclude(active, result=None, error=Interrupted(STOPPING))
        raise Conflict(_STOPPING_CONFLICT)

    def run_now_if_idle(self, name: str, *, trigger: str) -> None:
        """Like request_run, for follow-up runs; if this replica is running `name` already,
        run it once more when that run ends.

        The run under way may have read its input before the change that asks for the
        follow-up: an EPG refresh that started with the first scrape read no channels, so
        the scrape's follow-up must not be content with it. Requests made while it runs fold
        into one more run. A run on another replica, or the service stopping, drops it.
        """
        with self._progress:
            if name in self._active and not self._closing:
                self._reruns.setdefault(name, trigger)
                return
        try:
            self.request_run(name, trigger=trigger)
        except Conflict:
            logger.info("%s already running (or the service stopping); no %s run", name, trigger)

    def _claim(
        self,
        definition: TaskDefinition,
        now: datetime,
        *,
        trigger: str,
        started_before: datetime | None,
        skip_paused: bool = True,
    ) -> _ActiveRun | None:
        """Take the task's lease and register the run; None if the task is not free.

        A run of ours still going (its lease lost while the database was away) keeps the
        task busy here whatever the database says.
        """
        # Outcomes kept from earlier runs go first: one may still hold this task's lease.
        self.store_unsaved()
        name = definition.name
        with self._progress:
            busy_here = name in self._active
        claimed = False
        state: TaskState | None = None
        if not busy_here:
            with self._sessions.begin() as session:
                claimed = tasks_repository.claim(
                    session,
                    name,
                    owner=self._replica,
                    now=now,
                    lease_until=now + LEASE,
                    started_before=started_before,
                    skip_paused=skip_paused,
                )
                state = None if claimed else tasks_repository.get_state(session, name)
        if not claimed:
            if started_before is not None and (busy_here or state is not None):
                self._record_overlap(name, state, now)
            return None
        active = _ActiveRun(definition, now, trigger)
        with self._progress:
            if self._closing:
                # Claimed while the service began stopping: the run stops at its first check.
                active.cancel.cancel(STOPPING)
            self._active[name] = active
            if self._heartbeat is None:
                self._heartbeat = threading.Thread(
                    target=self._keep_leases, name="task-heartbeat", daemon=True
                )
                self._heartbeat.start()
        return active

    def _record_overlap(self, name: str, state: TaskState | None, now: datetime) -> None:
        """A scheduled slot found the previous run still going: say so, once per slot."""
        if state is not None and (state.paused or not is_running(state, now)):
            return
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Skipped a run of {name}: the previous run is still going",
            details={
                "task": name,
                "running_on": self._replica if state is None else state.lease_owner,
            },
            level=ActivityLevel.WARNING,
        )

    def _execute_submitted(self, active: _ActiveRun) -> None:
        try:
            self._execute(active)
        finally:
            with self._progress:
                self._in_flight -= 1
                self._progress.notify_all()

    def _execute(self, active: _ActiveRun) -> None:
        name = active.definition.name
        with self._recorder.trace(
            f"task {name}", **{"task.name": name, "task.trigger": active.trigger}
        ):
            self._run_and_store(active)

    def _run_and_store(self, active: _ActiveRun) -> None:
        definition = active.definition
        self._recorder.record(
            ActivityType.BACKGROUND_TASK,
            f"Task {definition.name} started",
            details={"task": definition.name, "trigger": active.trigger, "replica": self._replica},
        )
        result: dict[str, Any] | None = None
        error: BaseException | None = None
        try:
            result = definition.run(active.started, active.cancel)
        except Exception as exc:
            error = exc
        concluded = self._conclude(active, result=result, error=error)
        # After `_conclude`, which ends the run under `_progress`: no request can add to
        # `_reruns` for this run any more.
        with self._progress:
            rerun = self._reruns.pop(definition.name, None)
        if not concluded:
            return
        if error is None:
            for follow_up in definition.then:
                self.run_now_if_idle(follow_up, trigger=f"after_{definition.name}")
        if rerun is not None:
            self.run_now_if_idle(definition.name, trigger=rerun)

    def _conclude(
        self, active: _ActiveRun, *, result: dict[str, Any] | None, error: BaseException | None
    ) -> bool:
        """Settle `active` once: store its outcome (or keep it for later), record it, tell
        the listeners. False if it was settled already (by `shutdown`, for a run that did
        not stop in time)."""
        with self._progress:
            if active.settled:
                return False
            active.settled = True
        duration = perf_counter() - active.began
        interrupted = isinstance(error, Interrupted)
        run = TaskRun(
            task_name=active.definition.name,
            trigger=active.trigger,
            replica=self._replica,
            started_at=active.started,
            finished_at=active.started + timedelta(seconds=duration),
            duration_seconds=duration,
            outcome="success" if error is None else "interrupted" if interrupted else "error",
            error=_error_text(error),
            result=result,
        )
        explained = error is None or isinstance(error, Interrupted | TaskFailed)
        trace = None if explained else "".join(traceback.format_exception(error))
        try:
            self._save(_Outcome(run, trace))
        finally:
            self._record_outcome(run, error)
            for listener in self._run_listeners:
                listener(run)
            with self._progress:
                # Only now: `shutdown` waits for this, so that no outcome is still being
                # stored when the database closes.
                del self._active[run.task_name]
                self._finished_runs[run.task_name] += 1
                self._progress.notify_all()
        return True

    def _record_outcome(self, run: TaskRun, error: BaseException | None) -> None:
        details = {
            "task": run.task_name,
            "trigger": run.trigger,
            "duration_seconds": round(run.duration_seconds, 3),
        }
        if isinstance(error, Interrupted):
            self._recorder.record(
                ActivityType.BACKGROUND_TASK,
                f"Task {run.task_name} interrupted after {run.duration_seconds:.2f} s: {error}",
                details=details,
                level=ActivityLevel.WARNING,
            )
        elif error is not None:
            self._recorder.record_exception(error, f"Task {run.task_name} failed", details=details)
        elif warnings := run_warnings(run.outcome, run.result):
            count = f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
            self._recorder.record(
                ActivityType.BACKGROUND_TASK,
                f"Task {run.task_name} finished in {run.duration_seconds:.2f} s with {count}",
                details=details | {"result": run.result},
                level=ActivityLevel.WARNING,
            )
        else:
            self._recorder.record(
                ActivityType.BACKGROUND_TASK,
                f"Task {run.task_name} finished in {run.duration_seconds:.2f} s",
                details=details | {"result": run.result},
            )

    # -- storing outcomes ------------------------------------------------------------------

    def _save(self, outcome: _Outcome) -> None:
        """Store `outcome` after any kept before it; keep it if the database refuses."""
        run = outcome.run
        with self._saving:
            refusal = self._store_kept() or self._store(outcome)
            if refusal is None:
                return
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

    def store_unsaved(self) -> bool:
        """Store the outcomes the database refused earlier, oldest first; True when none is
        left. Runs at every heartbeat and claim, and when the service stops."""
        with self._saving:
            return self._store_kept() is None

    def _store_kept(self) -> str | None:
        """Store the kept outcomes in order; the database's refusal if one is refused again."""
        while self._unsaved:
            refusal = self._store(self._unsaved[0])
            if refusal is not None:
                return refusal
            self._unsaved.popleft()
        return None

    def _store(self, outcome: _Outcome) -> str | None:
        """One attempt to store `outcome` and release its lease; None if it is stored, else
        why the database refused it (unavailable for now: locked, unreachable)."""
        run = outcome.run
        try:
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
            return refusal
        return None

    def outcome_backlog(self) -> OutcomeBacklog:
        return OutcomeBacklog(len(self._unsaved), self._unsaved_total, self._lost_total)

    # -- leases ----------------------------------------------------------------------------

    def _keep_leases(self) -> None:
        while not self._stopped.wait(HEARTBEAT_SECONDS):
            try:
                self.renew_leases()
                self.store_unsaved()
            except Exception:
                logger.exception("Task heartbeat failed; trying again in %s s", HEARTBEAT_SECONDS)

    def renew_leases(self) -> None:
        """Extend the lease of every run this replica has going by LEASE from now.

        A run whose lease another replica has taken (ours expired while the database was
        away) is interrupted, so that the task never runs twice at once. If the database
        cannot be reached the leases stay as they are; the next heartbeat tries again.
        """
        with self._progress:
            active = dict(self._active)
        if not active:
            return
        now = self._clock()
        try:
            with self._sessions.begin() as session:
                held = tasks_repository.renew_leases(
                    session,
                    {name: run.started for name, run in active.items()},
                    owner=self._replica,
                    lease_until=now + LEASE,
                )
        except SQLAlchemyError as exc:
            logger.warning("Could not renew the task leases: %s", type(exc).__name__)
            return
        for name, run in active.items():
            with self._progress:
                lost = name not in held and not run.settled
            if lost:
                reason = "another replica took over its lease"
                run.cancel.cancel(reason)
                self._recorder.record(
                    ActivityType.BACKGROUND_TASK,
                    f"Interrupting task {name}: {reason}",
                    details={"task": name},
                    level=ActivityLevel.WARNING,
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
        verb = "Paused" if paused else "Resumed"
        with self._sessions.begin() as session:
            tasks_repository.set_paused(session, name, paused=paused)
            audit = self._store_user_action(session, f"{verb} task {name}", name, user)
        audit.end()
        for listener in self._pause_listeners:
            listener(name, paused)

    def _store_user_action(
        self, session: Session, message: str, task: str, user: str | None
    ) -> RecordingSpan:
        """Write a user action's row in the caller's transaction, so that once the change is
        answered its audit row is committed; the caller ends the span after the commit."""
        span = self._recorder.start_stored(
            ActivityType.USER_ACTION, message, details={"task": task}, user=user
        )
        store_span(session, span)
        return span

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

    def recent_runs(self, name: str, *, limit: int) -> list[TaskRun]:
        self._definition(name)
        with self._sessions() as session:
            return tasks_repository.recent_runs(session, name, limit=limit)

    def shutdown(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """Refuse new runs, interrupt those under way and give them `timeout` seconds to
        stop, so their outcome is stored and their lease released before the database
        closes. A run that does not stop in time is stored as interrupted all the same (its
        thread's late outcome is then ignored). Call after the scheduler has stopped firing.
        """
        with self._progress:
            self._closing = True
            running = list(self._active.values())
        for active in running:
            active.cancel.cancel(STOPPING)
        # Queued runs still start, find their token set and stop at once: cancelling them
        # would leave them holding their leases.
        self._executor.shutdown(wait=False)
        with self._progress:
            self._progress.wait_for(lambda: not self._active and self._in_flight == 0, timeout)
            stuck = [active for active in self._active.values() if not active.settled]
        for active in stuck:
            logger.error(
                "Task %s did not stop within %g s; storing it as interrupted",
                active.definition.name,
                timeout,
            )
            reason = f"{STOPPING}; it did not stop within {timeout:g} s"
            self._conclude(active, result=None, error=Interrupted(reason))
        self._stopped.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
        if not self.store_unsaved():
            with self._saving:
                self._lost_total += len(self._unsaved)
                logger.error(
                    "Stopping with %d task outcomes the database refused; they are lost",
                    len(self._unsaved),
                )
                self._unsaved.clear()

    def _definition(self, name: str) -> TaskDefinition:
        try:
            return self._definitions[name]
        except KeyError:
            known = ", ".join(self._definitions)
            raise NotFound(f"No task named {name!r}; the tasks are: {known}") from None


def _error_text(error: BaseException | None) -> str | None:
    """What `last_error` and the run's `error` say: a TaskFailed's message as it is, any
    other exception's with its type (which tells a bug from a refused connection)."""
    if error is None:
        return None
    if isinstance(error, TaskFailed):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _fresh_row(run: TaskRun) -> TaskRun:
    """A new, unsaved row with `run`'s values. Each attempt to store an outcome adds its own:
    a row added in a rolled-back attempt keeps the id that attempt gave it."""
    columns = [column.key for column in inspect(TaskRun).column_attrs if column.key != "id"]
    return TaskRun(**{column: getattr(run, column) for column in columns})
