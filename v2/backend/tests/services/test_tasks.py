"""The task engine: stopping interrupts runs and frees their tasks, leases live only as long
as their run, and an outcome the database refuses is kept and stored later."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine
from app.exceptions import Conflict
from app.main import create_app
from app.models import TaskRun, TaskState
from app.services.tasks.definition import TaskCatalog, TaskDefinition, TaskFunction
from app.services.tasks.engine import TaskEngine
from app.services.tasks.events import TaskEvents
from app.utils.activity import ActivityRecorder
from app.utils.cancel import CancelToken
from tests.conftest import SettingsFactory
from tests.factories import all_activity
from tests.fakes.http_peer import serve_fake_peer
from tests.runs import RunWatcher

T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@dataclass(frozen=True)
class Replica:
    engine: TaskEngine
    runs: RunWatcher


def _service(
    sessions: sessionmaker[Session], replica: str, work: TaskFunction, clock: FakeClock
) -> Replica:
    """A started engine running `work` as `scrape`, and a watcher of its runs."""
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer("test"))
    events = TaskEvents()
    runs = RunWatcher(events)
    engine = TaskEngine(
        sessions,
        recorder,
        TaskCatalog([TaskDefinition("scrape", timedelta(hours=1), work)]),
        events,
        replica=replica,
        history_limit=10,
        clock=clock,
    )
    engine.start()
    return Replica(engine, runs)


def _state(sessions: sessionmaker[Session]) -> TaskState:
    with sessions() as session:
        state = session.get(TaskState, "scrape")
        assert state is not None
        return state


def _runs(sessions: sessionmaker[Session]) -> list[tuple[str, str, str | None]]:
    with sessions() as session:
        return [
            (run.replica, run.outcome, run.error)
            for run in session.scalars(select(TaskRun).order_by(TaskRun.id))
        ]


def _quick(_now: datetime, _cancel: CancelToken) -> dict[str, Any]:
    return {}


def test_a_live_run_keeps_its_lease_and_a_dead_holders_lease_expires_within_a_minute(
    sessions: sessionmaker[Session],
) -> None:
    clock = FakeClock(T0)
    started, stop = threading.Event(), threading.Event()

    def work(_now: datetime, cancel: CancelToken) -> dict[str, Any]:
        started.set()
        with cancel.on_cancel(stop.set):
            stop.wait(30)
        cancel.raise_if_cancelled()
        return {}

    holder = _service(sessions, "holder", work, clock)
    other = _service(sessions, "other", _quick, clock)
    holder.engine.request_run("scrape", trigger="manual")
    assert started.wait(30)
    assert _state(sessions).lease_expires_at == T0 + timedelta(seconds=60)

    clock.advance(45)
    holder.engine.leases.renew()  # a heartbeat
    assert _state(sessions).lease_expires_at == T0 + timedelta(seconds=105)

    clock.advance(55)  # past the first lease, inside the renewed one
    with pytest.raises(Conflict, match="Task scrape is already running"):
        other.engine.request_run("scrape", trigger="manual")

    clock.advance(6)  # the holder, as if dead, has renewed nothing for 61 s
    other.engine.request_run("scrape", trigger="manual")
    assert other.runs.wait_for_runs("scrape", 1, timeout=30)

    holder.engine.leases.renew()  # the holder comes back, finds its lease taken, and stops
    assert holder.runs.wait_for_runs("scrape", 1, timeout=30)
    holder.engine.shutdown()
    other.engine.shutdown()

    assert _runs(sessions) == [
        ("other", "success", None),
        ("holder", "interrupted", "Interrupted: another replica took over its lease"),
    ]
    state = _state(sessions)
    assert (state.running, state.lease_owner, state.last_outcome) == (False, None, "success")


def test_a_run_that_ignores_the_stop_is_still_stored_once_as_interrupted(
    sessions: sessionmaker[Session],
) -> None:
    started, release = threading.Event(), threading.Event()

    def deaf(_now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        started.set()
        release.wait(30)
        return {"late": True}

    service = _service(sessions, "stopping", deaf, FakeClock(T0))
    scheduled = threading.Thread(target=service.engine.run_scheduled, args=("scrape",))
    scheduled.start()
    assert started.wait(30)

    service.engine.shutdown(timeout=0)

    state = _state(sessions)
    assert (state.running, state.lease_owner, state.last_outcome) == (False, None, "interrupted")
    expected = [
        (
            "stopping",
            "interrupted",
            "Interrupted: the service is stopping; it did not stop within 0 s",
        )
    ]
    assert _runs(sessions) == expected
    release.set()
    scheduled.join(30)
    assert _runs(sessions) == expected  # the run's own late outcome is not stored again
    assert service.runs.finished("scrape") == 1


def test_stopping_mid_scrape_interrupts_the_run_records_it_and_frees_the_task(
    make_settings: SettingsFactory,
) -> None:
    with serve_fake_peer("trickle") as slow:
        # The fetch deadline (a minute) is far off and the trickle never ends: only the
        # stop can end this run.
        settings = make_settings(scrape_urls=f"{slow.base_url}/list.m3u")
        with TestClient(create_app(settings)) as client:
            assert client.post("/api/v1/background-tasks/scrape/run").status_code == 202

        with TestClient(create_app(settings)) as client:
            [run] = client.get("/api/v1/background-tasks/scrape/runs").json()["runs"]
            statuses = client.get("/api/v1/background-tasks/status").json()["tasks"]
            [scrape] = [task for task in statuses if task["task_name"] == "scrape"]
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                activity = [(row.level, row.message) for row in all_activity(session)]
            run_now = client.post("/api/v1/background-tasks/scrape/run")

    assert (run["outcome"], run["error"]) == ("interrupted", "Interrupted: the service is stopping")
    assert (scrape["status"], scrape["run_count"], scrape["failure_count"]) == ("idle", 1, 0)
    assert any(
        level == "warning"
        and message.startswith("Task scrape interrupted after ")
        and message.endswith(" s: the service is stopping")
        for level, message in activity
    )
    assert run_now.status_code == 202  # not 409: the lease went with the stopped service


def _refuse_once(engine: Engine, statement_part: str) -> None:
    """Make the database refuse the next statement containing `statement_part` the way a
    locked SQLite file or an unreachable PostgreSQL does: the driver's OperationalError."""
    refused = threading.Event()

    @event.listens_for(engine, "before_cursor_execute")
    def refuse(*args: Any) -> None:
        statement: str = args[2]
        if statement_part in statement and not refused.is_set():
            refused.set()
            raise engine.dialect.loaded_dbapi.OperationalError("database is locked")


def _samples(client: TestClient) -> dict[str, float]:
    text = client.get("/metrics").text
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("acestream_task_outcomes_")
    }


def test_an_outcome_the_database_refuses_is_kept_counted_and_stored_at_the_next_claim(
    client: TestClient, engine: Engine, session: Session
) -> None:
    runs = RunWatcher.on(client)
    _refuse_once(engine, "last_outcome")

    assert client.post("/api/v1/background-tasks/activity_cleanup/run").status_code == 202
    assert runs.wait_for_runs("activity_cleanup", 1, timeout=30)

    assert client.get("/api/v1/background-tasks/activity_cleanup/runs").json()["runs"] == []
    assert _samples(client) == {
        "acestream_task_outcomes_pending": 1.0,
        "acestream_task_outcomes_unsaved_total": 1.0,
        "acestream_task_outcomes_lost_total": 0.0,
    }
    [kept] = [row for row in all_activity(session) if row.message.startswith("Could not store")]
    assert kept.level == "warning"
    assert kept.details["reason"] == "OperationalError: database is locked"

    # The next run stores the kept outcome first, which also frees the task for it.
    assert client.post("/api/v1/background-tasks/activity_cleanup/run").status_code == 202
    assert runs.wait_for_runs("activity_cleanup", 2, timeout=30)

    runs = client.get("/api/v1/background-tasks/activity_cleanup/runs").json()["runs"]
    assert [run["outcome"] for run in runs] == ["success", "success"]
    statuses = client.get("/api/v1/background-tasks/status").json()["tasks"]
    [cleanup] = [task for task in statuses if task["task_name"] == "activity_cleanup"]
    assert (cleanup["status"], cleanup["run_count"]) == ("idle", 2)
    assert _samples(client) == {
        "acestream_task_outcomes_pending": 0.0,
        "acestream_task_outcomes_unsaved_total": 1.0,
        "acestream_task_outcomes_lost_total": 0.0,
    }


def test_a_follow_up_asked_for_while_its_task_runs_here_runs_it_once_more_after(
    sessions: sessionmaker[Session],
) -> None:
    """The run under way may have read its input before the change that asked for the
    follow-up (an EPG refresh started before the first scrape stored any channel)."""
    started, release = threading.Event(), threading.Event()

    def work(_now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        if not started.is_set():
            started.set()
            assert release.wait(30)
        return {}

    tasks = _service(sessions, "a", work, FakeClock(T0))
    tasks.engine.request_run("scrape", trigger="scheduled")
    assert started.wait(30)
    tasks.engine.run_now_if_idle("scrape", trigger="after_epg_refresh")
    tasks.engine.run_now_if_idle("scrape", trigger="after_playlist_generation")
    release.set()
    assert tasks.runs.wait_for_runs("scrape", 2, timeout=30)
    tasks.engine.shutdown(timeout=30)

    with sessions() as session:
        runs = session.scalars(select(TaskRun).order_by(TaskRun.started_at, TaskRun.id)).all()
    # Both requests fold into one more run, with the trigger of the first.
    assert [run.trigger for run in runs] == ["scheduled", "after_epg_refresh"]
