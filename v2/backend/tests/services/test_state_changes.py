"""State changes on both databases: peers' written once by two replicas checking at once,
tasks' failing -> ok, paused and overdue, and a time nobody watched stored as unknown."""

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine
from app.main import create_app
from app.models import StateChange
from app.services.peer_status import PeerStatusService
from app.services.state_changes import Observation, StateChangeRecorder, TaskStateChanges
from app.services.tasks.control import TaskControl
from app.services.tasks.definition import TaskCatalog, TaskDefinition
from app.services.tasks.engine import TaskEngine
from app.services.tasks.events import TaskEvents
from app.services.tasks.reads import TaskReads
from app.utils.activity import ActivityRecorder
from app.utils.cancel import CancelToken
from tests.conftest import SettingsFactory
from tests.fakes.http_peer import FakePeer, closed_port_url, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli
from tests.runs import RunWatcher

T0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
GAP = timedelta(minutes=1)

Row = tuple[str, str, str | None, str, datetime]


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def _recorder() -> ActivityRecorder:
    return ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer("test"))


def _rows(sessions: sessionmaker[Session], kind: str | None = None) -> list[Row]:
    with sessions() as session:
        statement = select(StateChange).order_by(StateChange.id)
        if kind is not None:
            statement = statement.where(StateChange.kind == kind)
        return [
            (row.kind, row.name, row.from_state, row.to_state, row.changed_at)
            for row in session.scalars(statement)
        ]


def _at_once(*calls: Callable[[], object]) -> None:
    """Run `calls` on threads released together; re-raise the first error."""
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# -- peers ---------------------------------------------------------------------------------


@pytest.fixture
def acexy() -> Iterator[FakePeer]:
    with serve_fake_peer("acexy") as peer:
        yield peer


@pytest.fixture
def engine_peer() -> Iterator[FakePeer]:
    with serve_fake_peer("engine") as peer:
        yield peer


def _peer_service(
    sessions: sessionmaker[Session], acexy: FakePeer, engine: FakePeer, warp: str
) -> PeerStatusService:
    return PeerStatusService(
        sessions,
        _recorder(),
        StateChangeRecorder(unknown_after=GAP),
        acexy_url=acexy.base_url,
        engine_url=engine.base_url,
        warp_cli=warp,
    )


def test_two_replicas_checking_at_once_write_each_peer_change_once(
    sessions: sessionmaker[Session], acexy: FakePeer, engine_peer: FakePeer, tmp_path: Path
) -> None:
    warp = make_fake_warp_cli(tmp_path, "json-connected")
    replicas = [_peer_service(sessions, acexy, engine_peer, warp) for _ in range(2)]

    _at_once(*(lambda r=r: r.refresh(T0) for r in replicas))
    acexy.stop()  # refused from now on: down (stopping again at the end is harmless)
    _at_once(*(lambda r=r: r.refresh(T0 + timedelta(seconds=15)) for r in replicas))

    assert _rows(sessions) == [
        ("peer", "acexy", None, "up", T0),
        ("peer", "engine", None, "up", T0),
        ("peer", "warp", None, "connected", T0),
        ("peer", "acexy", "up", "down", T0 + timedelta(seconds=15)),
    ]
    with sessions() as session:
        [down] = session.scalars(select(StateChange).where(StateChange.to_state == "down"))
    assert down.reason is not None
    assert "acexy not reachable" in down.reason


def test_writers_racing_on_every_change_store_each_once(
    sessions: sessionmaker[Session],
) -> None:
    # Peer polling takes each replica a different time; here both write at the same instant,
    # twenty times, each time a change (without the lock PostgreSQL stored some twice).
    replicas = [StateChangeRecorder(unknown_after=GAP) for _ in range(2)]

    def record(recorder: StateChangeRecorder, now: datetime, state: str) -> None:
        with sessions.begin() as session:
            seen = [Observation("peer", "acexy", state)]
            recorder.record(session, now, lambda _: seen, watched=True)

    for index in range(20):
        state, now = ("up", "down")[index % 2], T0 + timedelta(seconds=15 * index)
        _at_once(*(lambda r=r, n=now, s=state: record(r, n, s) for r in replicas))

    rows = _rows(sessions)
    assert [to for _, _, _, to, _ in rows] == ["up", "down"] * 10
    assert [when for *_, when in rows] == [T0 + timedelta(seconds=15 * i) for i in range(20)]


def test_a_restart_after_a_gap_stores_the_gap_as_unknown_once(
    sessions: sessionmaker[Session],
) -> None:
    recorder = StateChangeRecorder(unknown_after=GAP)
    seen = [Observation("peer", "acexy", "up"), Observation("task", "scrape", "ok")]
    after = T0 + timedelta(minutes=30)

    def record(now: datetime, observed: list[Observation], *, watched: bool) -> None:
        with sessions.begin() as session:
            recorder.record(session, now, lambda _: observed, watched=watched)

    record(T0, seen, watched=True)
    record(T0 + GAP, seen, watched=True)  # within the gap: nothing new
    # The service was off for half an hour; a task's run ends first, then two checks.
    record(after, [Observation("task", "scrape", "failing", "HTTP 500")], watched=False)
    record(after, [Observation("peer", "acexy", "up")], watched=True)
    record(after + timedelta(seconds=15), [Observation("peer", "acexy", "up")], watched=True)

    last_watched = T0 + GAP
    assert _rows(sessions) == [
        ("peer", "acexy", None, "up", T0),
        ("task", "scrape", None, "ok", T0),
        ("peer", "acexy", "up", "unknown", last_watched),
        ("task", "scrape", "ok", "unknown", last_watched),
        ("task", "scrape", "unknown", "failing", after),
        ("peer", "acexy", "unknown", "up", after),
    ]


def test_a_gap_leaves_an_ended_stream_ended_and_a_playing_one_unknown(
    sessions: sessionmaker[Session],
) -> None:
    recorder = StateChangeRecorder(unknown_after=GAP)
    after = T0 + timedelta(minutes=30)
    with sessions.begin() as session:
        recorder.record(
            session,
            T0,
            lambda _: [
                Observation("stream", "a" * 40, "ended"),
                Observation("stream", "b" * 40, "playing"),
            ],
            watched=True,
        )
    with sessions.begin() as session:
        recorder.record(session, after, lambda _: [], watched=True)

    # An ended stream's silence is no outage: only the one still playing became unknown.
    assert _rows(sessions, "stream") == [
        ("stream", "a" * 40, None, "ended", T0),
        ("stream", "b" * 40, None, "playing", T0),
        ("stream", "b" * 40, "playing", "unknown", T0),
    ]


# -- tasks ---------------------------------------------------------------------------------


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class TaskWorld:
    """One replica's task engine running `scrape` (failing while `failing` is set), with its
    state changes connected as `wiring.py` connects them."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.failing = False
        self.clock = Clock(T0)
        catalog = TaskCatalog([TaskDefinition("scrape", timedelta(hours=1), self._work)])
        events = TaskEvents()
        recorder = _recorder()
        reads = TaskReads(sessions, catalog, grace=timedelta(minutes=5), clock=self.clock)
        self.changes = TaskStateChanges(sessions, StateChangeRecorder(unknown_after=GAP), reads)
        self.engine = TaskEngine(
            sessions, recorder, catalog, events, replica="one", history_limit=10, clock=self.clock
        )
        self.control = TaskControl(sessions, recorder, catalog)
        events.on_run_finished(lambda run: self.changes.record_quietly(run.finished_at))
        self.control.on_pause_change(lambda _n, _p: self.changes.record_quietly(self.clock()))
        self.runs = RunWatcher(events)
        self.engine.start()

    def _work(self, _now: datetime, _cancel: CancelToken) -> dict[str, Any]:
        if self.failing:
            raise RuntimeError("HTTP 500 from the list\nTraceback follows")
        return {}

    def run(self) -> None:
        done = self.runs.finished("scrape")
        self.engine.request_run("scrape", trigger="manual")
        assert self.runs.wait_for_runs("scrape", done + 1)


@pytest.fixture
def tasks(sessions: sessionmaker[Session]) -> Iterator[TaskWorld]:
    world = TaskWorld(sessions)
    yield world
    world.engine.shutdown()


def _task_rows(sessions: sessionmaker[Session]) -> list[tuple[str | None, str, str | None]]:
    with sessions() as session:
        statement = select(StateChange).where(StateChange.kind == "task").order_by(StateChange.id)
        return [(row.from_state, row.to_state, row.reason) for row in session.scalars(statement)]


def test_a_task_failing_then_recovering_is_two_changes(
    sessions: sessionmaker[Session], tasks: TaskWorld
) -> None:
    tasks.run()
    tasks.failing = True
    tasks.run()
    tasks.run()  # still failing: no change
    tasks.failing = False
    tasks.run()

    assert _task_rows(sessions) == [
        (None, "ok", None),
        ("ok", "failing", "RuntimeError: HTTP 500 from the list"),
        ("failing", "ok", None),
    ]


def test_pausing_and_resuming_a_task_are_changes(
    sessions: sessionmaker[Session], tasks: TaskWorld
) -> None:
    tasks.run()
    tasks.control.set_paused("scrape", paused=True, user=None)
    tasks.control.set_paused("scrape", paused=False, user=None)

    assert [(f, t) for f, t, _ in _task_rows(sessions)] == [
        (None, "ok"),
        ("ok", "paused"),
        ("paused", "ok"),
    ]


def test_a_task_becomes_overdue_when_a_check_finds_it_past_interval_and_grace(
    sessions: sessionmaker[Session], tasks: TaskWorld
) -> None:
    tasks.run()
    tasks.clock.now = T0 + timedelta(hours=1, minutes=5)  # at the deadline: not yet
    tasks.changes.record(tasks.clock.now)
    tasks.clock.now += timedelta(seconds=1)
    tasks.changes.record(tasks.clock.now)
    tasks.changes.record(tasks.clock.now)

    rows = _task_rows(sessions)
    assert [(f, t) for f, t, _ in rows] == [(None, "ok"), ("ok", "overdue")]
    assert rows[-1][2] == "No run finished by 2026-12-01T21:05:00Z (its interval plus grace)"
    with sessions() as session:
        changed = session.scalars(select(StateChange.changed_at).order_by(StateChange.id)).all()
    assert changed[-1] == T0 + timedelta(hours=1, minutes=5, seconds=1)


def test_the_app_records_task_changes_of_runs_and_pauses_through_its_wiring(
    make_settings: SettingsFactory, run_task: Callable[[TestClient, str], dict[str, object]]
) -> None:
    settings = make_settings(scrape_urls=[closed_port_url()])
    with TestClient(create_app(settings)) as client:
        run_task(client, "scrape")  # its one source refuses: failing
        client.post("/api/v1/background-tasks/scrape/pause")
        engine = client.app.state.engine  # type: ignore[attr-defined]
        rows = _rows(sessionmaker(engine), kind="task")

    assert [(old, new) for _, name, old, new, _ in rows if name == "scrape"] == [
        (None, "failing"),
        ("failing", "paused"),
    ]
