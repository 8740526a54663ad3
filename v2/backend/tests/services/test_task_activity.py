"""What a run writes to the activity log: nothing for an ordinary success; one row for a
failure (with its stack trace), the success after it ("recovered"), warnings, a slow run, a
manual run; a warning for a slot that found its previous run overrunning. Time is simulated:
the engine's clock and timer are injected, so a "10 s" run takes no time.
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine
from app.exceptions import TaskFailed
from app.models import ActivityLog, TaskState
from app.observability.activity_exporter import ActivitySpanExporter
from app.observability.telemetry import ActivitySpansOnly
from app.services.tasks.definition import TaskCatalog, TaskDefinition
from app.services.tasks.engine import TaskEngine
from app.services.tasks.events import TaskEvents
from app.utils.activity import ActivityRecorder
from app.utils.cancel import CancelToken, Interrupted
from tests.factories import all_activity
from tests.runs import RunWatcher

T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass
class Step:
    """What one run of the scripted task does: take `seconds`, then fail or return."""

    seconds: float = 0.5
    error: Exception | None = None
    result: dict[str, Any] = field(default_factory=dict)


class SimulatedTime:
    """The engine's clock (start times) and timer (durations), moved by the test alone."""

    def __init__(self) -> None:
        self.now = T0
        self.monotonic = 0.0

    def clock(self) -> datetime:
        return self.now

    def timer(self) -> float:
        return self.monotonic

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.monotonic += seconds


class ScriptedTask:
    """The task function: each run plays the next `Step`, advancing the simulated time."""

    def __init__(self, time: SimulatedTime) -> None:
        self._time = time
        self.steps: deque[Step] = deque()

    def __call__(self, _now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        step = self.steps.popleft()
        self._time.advance(step.seconds)
        if step.error is not None:
            raise step.error
        return step.result


@dataclass
class Replica:
    engine: TaskEngine
    runs: RunWatcher
    task: ScriptedTask
    time: SimulatedTime
    spans: InMemorySpanExporter

    def scheduled(self, *steps: Step) -> None:
        """Run one scheduled slot per step, an hour apart, each with its follow-up (after a
        success) done before the next."""
        for step in steps:
            self.task.steps.append(step)
            follow_ups = self.runs.finished("playlist_generation")
            self.engine.run_scheduled("scrape")
            if step.error is None:
                assert self.runs.wait_for_runs("playlist_generation", follow_ups + 1)
            self.time.advance(HOUR.total_seconds())


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def _replica(sessions: sessionmaker[Session], name: str = "one") -> Replica:
    """An engine running the scripted `scrape` hourly (and `playlist_generation` after it),
    its activity stored as the service stores it, and every span kept as OTLP would get it."""
    spans = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(
        ActivitySpansOnly(SimpleSpanProcessor(ActivitySpanExporter(sessions)))
    )
    provider.add_span_processor(SimpleSpanProcessor(spans))
    time = SimulatedTime()
    task = ScriptedTask(time)
    catalog = TaskCatalog(
        [
            TaskDefinition("scrape", HOUR, task, then=("playlist_generation",)),
            TaskDefinition("playlist_generation", HOUR, lambda _now, _cancel: {}),
        ]
    )
    events = TaskEvents()
    runs = RunWatcher(events)
    engine = TaskEngine(
        sessions,
        ActivityRecorder(provider.get_tracer("test")),
        catalog,
        events,
        replica=name,
        history_limit=50,
        clock=time.clock,
        timer=time.timer,
    )
    engine.start()
    return Replica(engine, runs, task, time, spans)


@pytest.fixture
def replica(sessions: sessionmaker[Session]) -> Iterator[Replica]:
    service = _replica(sessions)
    yield service
    service.engine.shutdown()


def _rows(sessions: sessionmaker[Session]) -> list[ActivityLog]:
    with sessions() as session:
        return all_activity(session)


def _messages(sessions: sessionmaker[Session]) -> list[str]:
    return [row.message for row in _rows(sessions)]


def test_an_ordinary_success_writes_no_row_and_keeps_one_trace_span_per_run(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.scheduled(Step(), Step(), Step())

    assert _messages(sessions) == []
    names = [span.name for span in replica.spans.get_finished_spans()]
    assert names.count("task scrape") == 3
    assert names.count("task playlist_generation") == 3  # follow-ups are quiet too


def test_a_failure_writes_an_error_row_with_its_stack_trace(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.scheduled(Step(error=ValueError("bad row 7")))

    [row] = _rows(sessions)
    assert (row.type, row.level) == ("error", "error")
    assert row.message == "Task scrape failed: ValueError: bad row 7"
    assert row.details["notices"] == ["failed"]
    assert row.details["exception"]["type"] == "ValueError"
    assert "in __call__" in row.details["exception"]["stacktrace"]


def test_the_first_success_after_a_failure_is_recovered_and_the_next_is_quiet(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.scheduled(Step(error=TaskFailed("All 2 sources failed")), Step(seconds=1.25), Step())

    failed, recovered = _rows(sessions)
    assert failed.message == "Task scrape failed: TaskFailed: All 2 sources failed"
    assert recovered.message == "Task scrape finished in 1.25 s; recovered after a failed run"
    assert (recovered.type, recovered.level) == ("background_task", "info")
    assert recovered.details["notices"] == ["recovered"]
    assert recovered.details["previous_outcome"] == "error"


def test_recovered_is_read_from_the_stored_state_so_another_replica_says_it(
    sessions: sessionmaker[Session],
) -> None:
    one, two = _replica(sessions, "one"), _replica(sessions, "two")
    one.scheduled(Step(error=ValueError("boom")))
    two.time.advance(HOUR.total_seconds())

    two.scheduled(Step())

    one.engine.shutdown()
    two.engine.shutdown()
    [_failed, recovered] = _rows(sessions)
    assert recovered.message == "Task scrape finished in 0.50 s; recovered after a failed run"
    assert recovered.details["replica"] == "two"


def test_an_interruption_is_a_warning_and_the_success_after_it_recovered(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.scheduled(Step(seconds=4.0, error=Interrupted("the service is stopping")), Step())

    interrupted, recovered = _rows(sessions)
    assert interrupted.message == "Task scrape interrupted after 4.00 s: the service is stopping"
    assert interrupted.level == "warning"
    assert recovered.message == (
        "Task scrape finished in 0.50 s; recovered after an interrupted run"
    )


def test_a_success_with_warnings_writes_a_warning_row(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    partial = Step(result={"warnings": ["http://a/ (HTTP 404 Not Found)"], "failed_urls": []})

    replica.scheduled(partial)

    [row] = _rows(sessions)
    assert row.message == "Task scrape finished in 0.50 s with 1 warning"
    assert (row.type, row.level) == ("background_task", "warning")
    assert row.details["result"]["warnings"] == ["http://a/ (HTTP 404 Not Found)"]


def test_a_run_much_slower_than_usual_writes_a_warning_row(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.scheduled(Step(seconds=3.0), Step(seconds=1.0), Step(seconds=1.0))
    assert _messages(sessions) == []  # no usual duration before three successes

    replica.scheduled(Step(seconds=1.0), Step(seconds=3.0), Step(seconds=9.0))

    [row] = _rows(sessions)  # 3 s is three times the usual 1 s, not more; 9 s is more
    assert row.message == "Task scrape finished in 9.00 s; slower than usual (1.00 s)"
    assert row.level == "warning"
    assert (row.details["notices"], row.details["usual_duration_seconds"]) == (["slow"], 1.0)


def test_a_manual_run_writes_its_outcome_row(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.task.steps.append(Step(seconds=2.0))

    replica.engine.request_run("scrape", trigger="manual", user="ops")
    assert replica.runs.wait_for_runs("playlist_generation", 1)

    # The request's audit row, then the run's outcome; its follow-up stays quiet.
    assert _messages(sessions) == ["Requested a run of scrape", "Task scrape finished in 2.00 s"]
    assert _rows(sessions)[1].details["notices"] == ["manual"]


def test_a_follow_up_run_is_quiet_unless_it_fails(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    replica.task.steps.extend([Step(), Step(error=ValueError("boom"))])

    replica.engine.request_run("scrape", trigger="after_epg")
    assert replica.runs.wait_for_runs("scrape", 1)
    replica.engine.request_run("scrape", trigger="after_epg")
    assert replica.runs.wait_for_runs("scrape", 2)

    assert _messages(sessions) == ["Task scrape failed: ValueError: boom"]


def _leave_running(sessions: sessionmaker[Session], *, started: datetime) -> None:
    """What another replica's run of `scrape`, started at `started`, looks like while it goes."""
    with sessions.begin() as session:
        state = session.get(TaskState, "scrape")
        assert state is not None
        state.running, state.lease_owner = True, "other"
        state.last_run_started = started
        state.lease_expires_at = T0 + timedelta(minutes=1)


def test_a_slot_that_finds_a_run_started_within_it_is_quiet(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    """Every hour the scrape's follow-up playlist meets the playlist's own slot."""
    _leave_running(sessions, started=T0 - timedelta(seconds=1))

    replica.engine.run_scheduled("scrape")

    assert _messages(sessions) == []
    assert replica.runs.finished("scrape") == 0


def test_a_slot_that_finds_its_previous_run_still_going_is_a_warning(
    replica: Replica, sessions: sessionmaker[Session]
) -> None:
    _leave_running(sessions, started=T0 - HOUR)

    replica.engine.run_scheduled("scrape")

    [row] = _rows(sessions)
    assert row.message == "Skipped a run of scrape: the previous run is still going"
    assert (row.level, row.details["running_on"]) == ("warning", "other")
