"""The run engine: claim a task's lease, run it, settle its outcome, start its follow-ups.

Every run goes through `_claim` (the lease, once across replicas) and `_conclude` (the
outcome stored or kept, the activity recorded if the run earns a row, the events
published), whoever started it. Each run is one `task <name>` span (for OTLP users); an
ordinary success writes no activity row (`domain/run_notice.py`).
Stopping the service interrupts the runs under way through their CancelToken, stores them
as `interrupted` and releases their leases within STOP_TIMEOUT_SECONDS.
"""

import logging
import threading
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.domain.task_health import is_running
from app.exceptions import Conflict, TaskFailed
from app.models import TaskRun, TaskState
from app.repositories import tasks as tasks_repository
from app.services.tasks.control import store_user_action
from app.services.tasks.definition import Clock, TaskCatalog, TaskDefinition, utc_now
from app.services.tasks.events import TaskEvents
from app.services.tasks.leases import LEASE, ActiveRun, LeaseKeeper
from app.services.tasks.outcomes import Outcome, OutcomeStore
from app.services.tasks.reporting import error_text, record_outcome, record_overlap
from app.utils.activity import ActivityRecorder
from app.utils.cancel import Interrupted

logger = logging.getLogger(__name__)

STOP_TIMEOUT_SECONDS = 5.0
STOPPING = "the service is stopping"
_STOPPING_CONFLICT = "The service is stopping; run the task after it restarts"


class TaskEngine:
    """Runs the tasks of `catalog` on this replica. Nothing touches the database before
    `start()`; `shutdown()` ends every run before the database closes."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        catalog: TaskCatalog,
        events: TaskEvents,
        *,
        replica: str,
        history_limit: int,
        clock: Clock = utc_now,
        timer: Callable[[], float] = perf_counter,
    ) -> None:
        """`clock` gives the runs' start times (the lease and schedule arithmetic), `timer`
        their durations; tests inject both to simulate time without waiting for it."""
        self._sessions = session_factory
        self._recorder = recorder
        self._catalog = catalog
        self._events = events
        self._replica = replica
        self._clock = clock
        self._timer = timer
        self._executor = ThreadPoolExecutor(max_workers=len(catalog), thread_name_prefix="task")
        self.outcomes = OutcomeStore(
            session_factory, recorder, replica=replica, history_limit=history_limit
        )
        self.leases = LeaseKeeper(
            session_factory, recorder, self.outcomes, self._held, replica=replica, clock=clock
        )
        # Guards the run bookkeeping below; `shutdown` waits on it for the runs to end.
        self._progress = threading.Condition()
        # Threads inside a run's code path (scheduled, or submitted to the executor), up to
        # their last follow-up: `shutdown` waits for them before the database closes.
        self._in_flight = 0
        self._active: dict[str, ActiveRun] = {}
        # Follow-ups asked for while their task ran here, by task: the trigger of the first.
        self._reruns: dict[str, str] = {}
        self._closing = False

    def start(self) -> None:
        """Create the state row of every task that has none yet, and start the heartbeat."""
        with self._sessions.begin() as session:
            tasks_repository.ensure_states(session, self._catalog.names)
        self.leases.start()

    def _held(self) -> Mapping[str, ActiveRun]:
        with self._progress:
            return dict(self._active)

    # -- starting runs ---------------------------------------------------------------------

    def run_scheduled(self, name: str) -> None:
        """Run `name` for its scheduled slot, unless another replica already ran that slot.

        A slot counts as taken when a run started less than 80 % of the interval ago (the
        slack absorbs clock drift between replicas' timers). Does nothing once stopping.
        """
        definition = self._catalog.get(name)
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
                self._progress.notify_all()
            self._events.slot_handled(name)

    def request_run(self, name: str, *, trigger: str, user: str | None = None) -> None:
        """Start a run now in the background; Conflict if it is running already."""
        definition = self._catalog.get(name)
        if self._closing:
            raise Conflict(_STOPPING_CONFLICT)
        active = self._claim(
            definition, self._clock(), trigger=trigger, started_before=None, skip_paused=False
        )
        if active is None:
            raise Conflict(f"Task {name} is already running; wait for it to finish")
        if trigger == "manual":
            with self._sessions.begin() as session:
                audit = store_user_action(
                    self._recorder, session, f"Requested a run of {name}", name, user
                )
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
    ) -> ActiveRun | None:
        """Take the task's lease and register the run; None if the task is not free.

        A run of ours still going (its lease lost while the database was away) keeps the
        task busy here whatever the database says.
        """
        # Outcomes kept from earlier runs go first: one may still hold this task's lease.
        self.outcomes.store_unsaved()
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
            if started_before is not None:
                self._report_overlap(name, state, now, due_before=started_before)
            return None
        active = ActiveRun(definition, now, trigger, began=self._timer())
        with self._progress:
            if self._closing:
                # Claimed while the service began stopping: the run stops at its first check.
                active.cancel.cancel(STOPPING)
            self._active[name] = active
        return active

    def _report_overlap(
        self, name: str, state: TaskState | None, now: datetime, *, due_before: datetime
    ) -> None:
        """A scheduled slot of `name` was not claimed: if a run of it is going (here, else
        where `state`'s lease says, unless paused), let `record_overlap` tell an overrun
        from a run that did the slot's work."""
        with self._progress:
            active = self._active.get(name)
        owner: str | None
        if active is not None:
            since, owner = active.started, self._replica
        elif (
            state is not None
            and not state.paused
            and state.last_run_started is not None
            and is_running(state, now)
        ):
            since, owner = state.last_run_started, state.lease_owner
        else:
            return
        record_overlap(
            self._recorder, name, running_since=since, running_on=owner, due_before=due_before
        )

    # -- running ---------------------------------------------------------------------------

    def _execute_submitted(self, active: ActiveRun) -> None:
        try:
            self._execute(active)
        finally:
            with self._progress:
                self._in_flight -= 1
                self._progress.notify_all()

    def _execute(self, active: ActiveRun) -> None:
        name = active.definition.name
        with self._recorder.trace(
            f"task {name}", **{"task.name": name, "task.trigger": active.trigger}
        ):
            self._run_and_store(active)

    def _run_and_store(self, active: ActiveRun) -> None:
        definition = active.definition
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
        self, active: ActiveRun, *, result: dict[str, Any] | None, error: BaseException | None
    ) -> bool:
        """Settle `active` once: store its outcome (or keep it for later), record it, tell
        the subscribers. False if it was settled already (by `shutdown`, for a run that did
        not stop in time)."""
        if not active.settle():
            return False
        duration = self._timer() - active.began
        interrupted = isinstance(error, Interrupted)
        run = TaskRun(
            task_name=active.definition.name,
            trigger=active.trigger,
            replica=self._replica,
            started_at=active.started,
            finished_at=active.started + timedelta(seconds=duration),
            duration_seconds=duration,
            outcome="success" if error is None else "interrupted" if interrupted else "error",
            error=error_text(error),
            result=result,
        )
        explained = error is None or isinstance(error, Interrupted | TaskFailed)
        trace = None if explained else "".join(traceback.format_exception(error))
        prior = None
        try:
            prior = self.outcomes.save(Outcome(run, trace))
        finally:
            record_outcome(self._recorder, run, error, prior)
            with self._progress:
                # Only now: `shutdown` waits for this, so that no outcome is still being
                # stored when the database closes.
                del self._active[run.task_name]
                self._progress.notify_all()
            # The task is free here: a subscriber that starts it again is not refused.
            self._events.run_finished(run)
        return True

    # -- stopping --------------------------------------------------------------------------

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
        self.leases.stop()
        self.outcomes.close()
