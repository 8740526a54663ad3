"""The runs this replica holds a lease for, and the heartbeat that keeps those leases.

Four heartbeats fit in a lease: three can fail (a locked or restarting database) before
another replica may take the task over. A run whose lease another replica took meanwhile is
interrupted, so that a task never runs twice at once.
"""

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.repositories import tasks as tasks_repository
from app.services.tasks.definition import Clock, TaskDefinition
from app.services.tasks.outcomes import OutcomeStore
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType
from app.utils.cancel import CancelToken

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
HEARTBEAT_SECONDS = 15.0


@dataclass(eq=False)
class ActiveRun:
    """A run this replica holds the lease for, from its claim until its outcome is settled."""

    definition: TaskDefinition
    started: datetime
    trigger: str
    # The engine's timer (monotonic seconds) when the run was claimed: its duration's start.
    began: float
    cancel: CancelToken = field(default_factory=CancelToken)
    _settled: bool = field(default=False, init=False)
    _settling: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def settled(self) -> bool:
        return self._settled

    def settle(self) -> bool:
        """Claim the right to settle this run's outcome; False if someone already has. The
        run's own thread settles it, or the stop does for a run that does not stop in time."""
        with self._settling:
            if self._settled:
                return False
            self._settled = True
            return True


class LeaseKeeper:
    """Every HEARTBEAT_SECONDS, on a thread of its own: renew the leases of the runs under
    way (`held()` names them) and store the outcomes the database refused earlier."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        outcomes: OutcomeStore,
        held: Callable[[], Mapping[str, ActiveRun]],
        *,
        replica: str,
        clock: Clock,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._outcomes = outcomes
        self._held = held
        self._replica = replica
        self._clock = clock
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="task-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop the heartbeat and wait for a beat under way to end."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _beat(self) -> None:
        while not self._stopped.wait(HEARTBEAT_SECONDS):
            try:
                self.renew()
                self._outcomes.store_unsaved()
            except Exception:
                logger.exception("Task heartbeat failed; trying again in %s s", HEARTBEAT_SECONDS)

    def renew(self) -> None:
        """Extend the lease of every run this replica has going by LEASE from now.

        A run whose lease another replica has taken (ours expired while the database was
        away) is interrupted, so that the task never runs twice at once. If the database
        cannot be reached the leases stay as they are; the next heartbeat tries again.
        """
        active = self._held()
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
            if name not in held and not run.settled:
                reason = "another replica took over its lease"
                run.cancel.cancel(reason)
                self._recorder.record(
                    ActivityType.BACKGROUND_TASK,
                    f"Interrupting task {name}: {reason}",
                    details={"task": name},
                    level=ActivityLevel.WARNING,
                )
