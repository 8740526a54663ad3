"""The scheduler fires tasks; across replicas on one PostgreSQL each slot runs once."""

import asyncio
import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.main import create_app
from app.models import TaskRun, TaskState
from app.services.tasks.definition import TaskCatalog, TaskDefinition, utc_now
from app.services.tasks.engine import TaskEngine
from app.services.tasks.events import TaskEvents
from app.services.tasks.reads import TaskReads
from app.tasks.scheduler import TaskScheduler
from app.utils.activity import ActivityRecorder
from tests.conftest import SettingsFactory, build_test_settings
from tests.runs import RunWatcher

TASK_NAMES = [
    "scrape",
    "epg_refresh",
    "playlist_generation",
    "status_check",
    "stream_sweep",
    "activity_cleanup",
    "notifications",
]


def test_the_scheduler_runs_due_tasks_at_start_and_reports_next_runs(
    make_settings: SettingsFactory,
) -> None:
    app = create_app(make_settings(scheduler_enabled=True))
    runs = RunWatcher.on(app)
    with TestClient(app) as client:
        assert runs.wait_for_runs("status_check", 1, timeout=30)
        statuses = client.get("/api/v1/background-tasks/status").json()["tasks"]
        status_check = next(t for t in statuses if t["task_name"] == "status_check")

        assert status_check["run_count"] >= 1
        assert status_check["next_run"] is not None
        client.post("/api/v1/background-tasks/status_check/pause")
        paused = client.get("/api/v1/background-tasks/status").json()["tasks"]
        assert next(t for t in paused if t["task_name"] == "status_check")["next_run"] is None


@pytest.fixture
def postgres_sessions(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE task_runs, task_state CASCADE")
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@dataclass(frozen=True)
class Replica:
    engine: TaskEngine
    reads: TaskReads
    watcher: RunWatcher


def _replica(
    sessions: sessionmaker[Session],
    name: str,
    runs: list[str],
    clock: Callable[[], datetime] = utc_now,
    then: Callable[[], object] = lambda: None,
) -> Replica:
    """A started engine whose `scrape` appends `name` to `runs`, its reads and a watcher."""

    def work(_now: object, _cancel: object) -> dict[str, object]:
        runs.append(name)
        then()
        return {}

    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer("test"))
    catalog = TaskCatalog([TaskDefinition("scrape", timedelta(hours=1), work)])
    events = TaskEvents()
    watcher = RunWatcher(events)
    engine = TaskEngine(
        sessions, recorder, catalog, events, replica=name, history_limit=10, clock=clock
    )
    engine.start()
    reads = TaskReads(sessions, catalog, grace=timedelta(minutes=5), clock=clock)
    return Replica(engine, reads, watcher)


def test_two_replicas_racing_for_the_same_slot_run_it_once(
    postgres_sessions: sessionmaker[Session],
) -> None:
    runs: list[str] = []
    start = threading.Barrier(4)
    replicas = [_replica(postgres_sessions, f"replica-{i}", runs) for i in range(4)]

    def fire(replica: Replica) -> None:
        start.wait()
        replica.engine.run_scheduled("scrape")

    threads = [threading.Thread(target=fire, args=(replica,)) for replica in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(runs) == 1
    with postgres_sessions() as session:
        assert session.scalar(select(func.count()).select_from(TaskRun)) == 1


def test_two_live_apps_on_one_postgresql_run_each_scheduled_slot_once(
    postgres_sessions: sessionmaker[Session], postgres_url: str, tmp_path: Path
) -> None:
    """Both replicas schedule every task; the shared state lets one run per slot through.

    status_check fires every 5 s on both; the hourly tasks run at the first start, and
    the second replica, seeing they just ran, schedules them an interval later.
    """

    def settings(replica: str) -> Settings:
        return build_test_settings(
            postgres_url,
            tmp_path / replica,
            scheduler_enabled=True,
            status_check_interval_seconds=5,
        )

    apps = [create_app(settings("one")), create_app(settings("two"))]
    slots = [RunWatcher.on(app) for app in apps]
    with TestClient(apps[0]), TestClient(apps[1]):
        for watcher in slots:
            assert watcher.wait_for_slots("status_check", 3, timeout=60)

    with postgres_sessions() as session:
        runs = session.execute(
            select(TaskRun.task_name, TaskRun.started_at)
            .where(TaskRun.trigger == "scheduled")
            .order_by(TaskRun.started_at)
        ).all()
    starts: dict[str, list[datetime]] = {}
    for name, started in runs:
        starts.setdefault(name, []).append(started)
    frequent = {"status_check", "notifications"}
    assert {name: len(times) for name, times in starts.items() if name not in frequent} == {
        "scrape": 1,
        "epg_refresh": 1,
        "playlist_generation": 1,
        "stream_sweep": 1,  # every minute
        "activity_cleanup": 1,
    }
    checks = starts["status_check"]
    assert len(checks) >= 3
    # Six slots were handled (three per replica); no two runs shared one.
    gaps = [later - earlier for earlier, later in itertools.pairwise(checks)]
    assert min(gaps) >= timedelta(seconds=4)


def test_a_replica_that_dies_mid_run_frees_the_task_when_its_lease_expires(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    runs: list[str] = []
    survivor = _replica(sessions, "survivor", runs, clock=lambda: now)
    with sessions.begin() as session:
        # What a replica leaves behind when it is killed in the middle of a run.
        state = session.get(TaskState, "scrape")
        assert state is not None
        state.running, state.lease_owner = True, "killed"
        state.last_run_started = now - timedelta(hours=2)
        state.lease_expires_at = now + timedelta(minutes=1)

    survivor.engine.run_scheduled("scrape")
    assert runs == []

    now += timedelta(minutes=2)
    survivor.engine.run_scheduled("scrape")
    assert runs == ["survivor"]
    engine.dispose()


def test_stopping_the_scheduler_mid_run_lets_the_run_finish_and_logs_no_error(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def hold() -> None:
        started.set()
        release.wait(timeout=30)

    replica = _replica(sessions, "stopping", runs, then=hold)

    async def start_then_stop_mid_run() -> None:
        recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer("test"))
        scheduler = TaskScheduler(replica.engine.run_scheduled, recorder, task_count=1)
        scheduler.start(replica.reads.snapshots())  # the task is due: it fires at once
        assert await asyncio.to_thread(started.wait, 30)
        scheduler.shutdown()
        release.set()
        await asyncio.to_thread(replica.engine.shutdown)

    with caplog.at_level(logging.WARNING):
        asyncio.run(start_then_stop_mid_run())
    engine.dispose()

    assert runs == ["stopping"]
    assert replica.watcher.finished("scrape") == 1
    assert [r.getMessage() for r in caplog.records if r.name.startswith("apscheduler")] == []
