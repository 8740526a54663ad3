"""The service's real tasks on simulated time: to count what a day of them writes.

`SimulatedService` builds what `app/wiring.py` builds for the tasks (the services, the task
catalog, the engine, activity stored as in `ACTIVITY_EXPORT=sync`), without the scheduler:
`run_schedule` fires every task's slots itself, in time order, with the engine's clock set
to each slot's time, so a day runs in as long as its runs take. Runs take no simulated time
(the engine's timer stands still), so no run is ever "slower than usual" by accident of a
busy machine. Used by `tests/services/test_task_noise.py` and `bench/noise.py`.
"""

import heapq
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count, islice, takewhile

from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.db import create_db_engine, create_session_factory
from app.models import TaskRun
from app.observability.telemetry import attach_exporters
from app.services.tasks.definition import TaskCatalog, TaskDefinition
from app.services.tasks.engine import TaskEngine
from app.services.tasks.events import TaskEvents
from app.utils.activity import ActivityRecorder
from app.wiring import build_services, task_catalog
from tests.factories import all_activity
from tests.runs import RunWatcher

START = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
WAIT_SECONDS = 60.0


class _Settled:
    """Tells when every run a slot started has finished: the scheduled run and, after each
    success, the follow-ups it asked for (a follow-up asked for while its task runs folds
    into one more run, so each request is one run either way)."""

    def __init__(self, catalog: TaskCatalog, events: TaskEvents) -> None:
        self._catalog = catalog
        self._changed = threading.Condition()
        self._finished = 0
        self._owed = 0
        events.on_run_finished(self._run_finished)

    def _run_finished(self, run: TaskRun) -> None:
        with self._changed:
            self._finished += 1
            if run.trigger == "scheduled":
                self._owed += 1
            if run.outcome == "success":
                self._owed += len(self._catalog.get(run.task_name).then)
            self._changed.notify_all()

    def wait(self) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._finished == self._owed, WAIT_SECONDS):
                raise TimeoutError(f"follow-up runs still owed after {WAIT_SECONDS:g} s")


@dataclass(frozen=True)
class Slot:
    at: datetime
    order: int  # the task's place in the catalog: slots due at once fire in that order
    name: str


def slots(
    catalog: TaskCatalog, *, hours: float, first_runs: Mapping[str, int] | None = None
) -> Iterator[Slot]:
    """Every task's slots from START for `hours`, in time order, each task due at START
    (as on a first start) and then every interval. With `first_runs`, only that many of the
    named tasks' slots (the first ones)."""
    end = START + timedelta(hours=hours)
    limits = first_runs or {}
    streams = [
        _task_slots(order, definition, end, limits.get(definition.name))
        for order, definition in enumerate(catalog)
    ]
    return heapq.merge(*streams, key=lambda slot: (slot.at, slot.order))


def _task_slots(
    order: int, definition: TaskDefinition, end: datetime, limit: int | None
) -> Iterator[Slot]:
    times = (START + definition.interval * index for index in count())
    for at in islice(takewhile(lambda at: at < end, times), limit):
        yield Slot(at, order, definition.name)


class SimulatedService:
    def __init__(self, settings: Settings) -> None:
        self._db = create_db_engine(settings.sqlalchemy_url)
        self.sessions: sessionmaker[Session] = create_session_factory(self._db)
        self._provider = TracerProvider(shutdown_on_exit=False)
        self.now = START
        services = build_services(
            settings, self.sessions, ActivityRecorder(self._provider.get_tracer("simulation"))
        )
        attach_exporters(self._provider, settings, services.activity_exporter)
        self.catalog = task_catalog(settings, services)
        events = TaskEvents()
        self._settled = _Settled(self.catalog, events)
        self.runs = RunWatcher(events)
        self.engine = TaskEngine(
            self.sessions,
            services.recorder,
            self.catalog,
            events,
            replica="simulated",
            history_limit=settings.task_history_limit,
            clock=lambda: self.now,
            timer=lambda: 0.0,
        )

    def run(self, schedule: Iterator[Slot]) -> None:
        """Fire each slot at its time, and let the runs it starts end before the next."""
        for slot in schedule:
            self.now = slot.at
            self.engine.run_scheduled(slot.name)
            self._settled.wait()

    def messages(self) -> Counter[str]:
        """The activity written so far, message by message."""
        with self.sessions() as session:
            return Counter(row.message for row in all_activity(session))

    def close(self) -> None:
        self.engine.shutdown()
        self._provider.shutdown()
        self._db.dispose()


@contextmanager
def simulated_service(settings: Settings) -> Iterator[SimulatedService]:
    """A started SimulatedService on `settings` (a migrated database); closed afterwards."""
    service = SimulatedService(settings)
    service.engine.start()
    try:
        yield service
    finally:
        service.close()
