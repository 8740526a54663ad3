"""Stream sessions against fake acexy and engine servers and both databases: discovery
(through the playlist's redirect and by the sweep), stalls, ends, and two replicas."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.main import create_app
from app.models import ActivityLog, StateChange, StreamSample, StreamSession
from app.peers.acexy import AcexyStatus, StreamDetail
from app.repositories import channels as channels_repository
from app.services.stream_sessions import StreamSessionService
from app.utils.cancel import CancelToken, Interrupted
from tests.conftest import RunTask, SettingsFactory
from tests.factories import all_activity
from tests.fakes.http_peer import FakePeer, FakeStat, FakeStream, serve_fake_peer

ID = "a" * 40
HASH = "b" * 40
OTHER = "c" * 40
VLC = "VLC/3.0.21 LibVLC/3.0.21"
ACEXY_UP = AcexyStatus(reachable=True, count=1)
T0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


@dataclass
class World:
    client: TestClient
    acexy: FakePeer
    engine: FakePeer

    @property
    def db(self) -> Engine:
        return self.client.app.state.engine  # type: ignore[attr-defined,no-any-return]

    @property
    def streams(self) -> StreamSessionService:
        return self.client.app.state.services.stream_sessions  # type: ignore[attr-defined,no-any-return]

    def play(self, content_id: str, infohash: str, clients: int = 1, **stat: Any) -> None:
        """acexy starts serving this stream, whose stat says `stat`."""
        self.acexy.streams = [s for s in self.acexy.streams if s.id != content_id]
        self.acexy.streams.append(
            FakeStream(content_id, infohash, clients, engine_url=self.engine.base_url)
        )
        self.engine.stats[infohash] = FakeStat(**stat)

    def stop(self, content_id: str) -> None:
        self.acexy.streams = [s for s in self.acexy.streams if s.id != content_id]

    def service(self, **overrides: Any) -> StreamSessionService:
        """Another service on the same database (a second replica)."""
        values: dict[str, Any] = {"acexy_url": self.acexy.base_url, "sample_seconds": 15}
        services = self.client.app.state.services  # type: ignore[attr-defined]
        return StreamSessionService(
            sessionmaker(self.db, expire_on_commit=False),
            services.recorder,
            services.state_changes,
            **(values | overrides),
        )

    def stream_activity(self) -> list[ActivityLog]:
        with Session(self.db) as session:
            return [row for row in all_activity(session) if row.type == "stream"]

    def sessions(self) -> list[StreamSession]:
        with Session(self.db) as session:
            return list(session.scalars(select(StreamSession).order_by(StreamSession.id)))

    def stream_changes(self) -> list[tuple[str, str | None, str, datetime]]:
        """The streams' stored state changes: (name, from, to, at), in id order."""
        with Session(self.db) as session:
            rows = session.scalars(
                select(StateChange).where(StateChange.kind == "stream").order_by(StateChange.id)
            )
            return [(r.name, r.from_state, r.to_state, r.changed_at) for r in rows]

    def samples(self) -> list[StreamSample]:
        with Session(self.db) as session:
            return list(session.scalars(select(StreamSample).order_by(StreamSample.id)))


def add_channels(db: Engine, *ids: str, name_prefix: str = "Channel") -> None:
    now = datetime.now(UTC)
    rows = [
        {
            "content_id": content_id,
            "id_kind": "content_id",
            "name": "La 1 HD" if content_id == ID else f"{name_prefix} {index}",
            "group_title": "Generalistas",
            "tvg_logo": None,
            "tvg_id": None,
            "source_url": "http://list",
            "first_seen": now,
            "last_seen": now,
        }
        for index, content_id in enumerate(ids)
    ]
    with Session(db) as session, session.begin():
        channels_repository.upsert_channels(session, rows)


@pytest.fixture
def world(make_settings: SettingsFactory) -> Iterator[World]:
    with serve_fake_peer("acexy") as acexy, serve_fake_peer("engine") as engine:
        settings = make_settings(
            acexy_url=acexy.base_url, acestream_engine_url=engine.base_url, stream_sweep_rate=20
        )
        with TestClient(create_app(settings), follow_redirects=False) as client:
            world = World(client, acexy, engine)
            add_channels(world.db, ID, OTHER)
            yield world


def test_a_stream_started_from_the_playlist_is_known_within_one_status_check(
    world: World, run_task: RunTask
) -> None:
    assert world.client.get(f"/ace/getstream?id={ID}", headers={"User-Agent": VLC}).is_redirect
    world.play(ID, HASH, clients=2, peers=9, speed_down=700, speed_up=50)

    run_task(world.client, "status_check")
    body = world.client.get("/api/v1/streams/active").json()

    # Upstream acexy lists no streams: this one comes from its session.
    assert body["count"] == 1
    [stream] = body["streams"]
    assert {k: v for k, v in stream.items() if k not in ("started_at", "viewers")} == {
        "id": ID,
        "infohash": None,
        "clients": 2,
        "engine_status": "dl",
        "peers": 9,
        "speed_down_kbps": 700,
        "speed_up_kbps": 50,
        "downloaded_bytes": 104_857_600,
        "uploaded_bytes": 12_582_912,
        "stalled": False,
        "channel": {"name": "La 1 HD", "group": "Generalistas", "logo": None, "tvg_id": None},
    }
    assert stream["started_at"].endswith("Z")
    assert [v["user_agent"] for v in stream["viewers"]] == [VLC]
    [started] = world.stream_activity()
    assert started.message == "Started La 1 HD"
    assert started.details == {
        "id": ID,
        "infohash": None,
        "channel": "La 1 HD",
        "client_address": "testclient",
        "user_agent": VLC,
    }
    assert f"/ace/status?id={ID}" in world.acexy.requests
    assert world.engine.requests == [
        "/webui/api/service?method=get_version",  # the app's first peer check
        "/webui/api/service?method=get_version",
        f"/ace/stat/{HASH}/{'0' * 40}",
    ]


def test_a_stream_with_no_peers_for_two_minutes_is_stalled_once_then_recovers(
    world: World,
) -> None:
    world.play(ID, HASH, peers=0)
    world.acexy.mode = "acexy-meikkun"  # lists the stream: a candidate without a redirect
    streams = world.streams
    fork = AcexyStatus(reachable=True, count=1, streams=(StreamDetail(ID, None, 1),))
    results = [streams.track(T0 + timedelta(seconds=s), fork) for s in (0, 60, 119, 120, 135)]
    world.engine.stats[HASH] = FakeStat(peers=4)
    recovered = streams.track(T0 + timedelta(seconds=150), fork)

    assert [r["stalled"] for r in results] == [0, 0, 0, 1, 0]
    assert recovered["recovered"] == 1
    assert [s.stalled for s in world.samples()] == [False, False, False, True, True, False]
    assert [(row.level, row.message) for row in world.stream_activity()] == [
        ("info", "Started La 1 HD"),
        ("warning", "Stalled La 1 HD: no peers or no download for 2 minutes"),
        ("info", "Recovered La 1 HD"),
    ]
    at = [T0 + timedelta(seconds=s) for s in (0, 120, 150)]
    assert world.stream_changes() == [
        (ID, None, "playing", at[0]),
        (ID, "playing", "stalled", at[1]),
        (ID, "stalled", "playing", at[2]),
    ]


def test_an_ended_stream_records_its_duration_peak_and_average_speed(world: World) -> None:
    streams = world.streams
    world.play(ID, HASH, clients=2, speed_down=800)
    world.acexy.mode = "acexy-meikkun"
    fork = AcexyStatus(reachable=True, count=1, streams=(StreamDetail(ID, None, 2),))
    streams.track(T0, fork)
    world.play(ID, HASH, clients=3, speed_down=600)
    streams.track(T0 + timedelta(seconds=15), fork)
    world.stop(ID)
    ended = streams.track(T0 + timedelta(seconds=30), ACEXY_UP)

    assert ended["ended"] == 1
    [session] = world.sessions()
    assert session.ended_at == T0 + timedelta(seconds=15)
    assert world.stream_activity()[-1].message == "Ended La 1 HD"
    assert world.stream_activity()[-1].details == {
        "id": ID,
        "infohash": None,
        "channel": "La 1 HD",
        "duration_seconds": 15.0,
        "peak_clients": 3,
        "avg_speed_down_kbps": 700.0,
    }
    assert streams.sessions_started() == 1
    # Ended is recorded once: the next check has nothing left to ask about.
    assert streams.track(T0 + timedelta(seconds=45), ACEXY_UP) == {"streams_checked": 0}
    assert len(world.stream_activity()) == 2
    assert world.stream_changes() == [
        (ID, None, "playing", T0),
        (ID, "playing", "ended", T0 + timedelta(seconds=30)),
    ]


def test_acexy_unreachable_or_confused_ends_nothing(world: World) -> None:
    streams = world.streams
    world.play(ID, HASH)
    streams.track(T0, AcexyStatus(reachable=True, count=1, streams=(StreamDetail(ID, None, 1),)))
    world.stop(ID)

    down = streams.track(T0 + timedelta(seconds=15), AcexyStatus(reachable=False, count=None))
    world.acexy.set_reply(500, b"Failed to start stream: boom")
    confused = streams.track(T0 + timedelta(seconds=30), ACEXY_UP)

    assert down == {"streams_checked": 0}
    assert confused["ended"] == 0
    assert [s.ended_at for s in world.sessions()] == [None]
    assert [to for _, _, to, _ in world.stream_changes()] == ["playing"]


def test_two_replicas_record_each_start_and_end_once(world: World) -> None:
    replicas = [world.service(), world.service()]
    world.play(ID, HASH)
    world.play(OTHER, "d" * 40)
    fork = AcexyStatus(
        reachable=True,
        count=2,
        streams=(StreamDetail(ID, None, 1), StreamDetail(OTHER, None, 1)),
    )

    def both(track: Callable[[StreamSessionService], object]) -> None:
        start = threading.Barrier(len(replicas))
        errors: list[BaseException] = []

        def run(service: StreamSessionService) -> None:
            start.wait()
            try:
                track(service)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(s,)) for s in replicas]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

    both(lambda service: service.track(T0, fork))
    world.stop(ID)
    world.stop(OTHER)
    both(lambda service: service.track(T0 + timedelta(seconds=15), ACEXY_UP))

    messages = sorted(row.message for row in world.stream_activity())
    assert messages == ["Ended Channel 1", "Ended La 1 HD", "Started Channel 1", "Started La 1 HD"]
    assert len(world.sessions()) == 2
    assert replicas[0].sessions_started() == 2
    assert sorted((name, to) for name, _, to, _ in world.stream_changes()) == [
        (ID, "ended"),
        (ID, "playing"),
        (OTHER, "ended"),
        (OTHER, "playing"),
    ]


class FakeClock:
    """The sweep's clock and sleeper: time moves only when the sweep sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_the_sweep_finds_a_stream_started_elsewhere_at_its_rate(world: World) -> None:
    ids = [f"{n:040x}" for n in range(1, 6)]
    add_channels(world.db, *ids)
    world.play(ids[2], "e" * 40, clients=1)
    clock = FakeClock()
    sweeper = world.service(sweep_rate=20, clock=clock, sleep=clock.sleep)
    world.acexy.requests.clear()

    first = sweeper.sweep(T0)

    # ID and OTHER first (their channel rows come first), then the five.
    assert first["channels_checked"] == 7
    assert first["found_playing"] == first["started"] == 1
    assert sorted(world.acexy.requests) == sorted(
        f"/ace/status?id={content_id}" for content_id in [ID, OTHER, *ids]
    )
    # Seven requests: six waits of 1/20 s (and the 5 % margin) on the injected clock.
    assert clock.sleeps == pytest.approx([0.05 * 1.05] * 6)
    assert [s.content_id for s in world.sessions()] == [ids[2]]
    assert world.stream_activity()[0].message == "Started Channel 2"

    world.acexy.requests.clear()
    second = sweeper.sweep(T0 + timedelta(minutes=1))
    # The open session is skipped; the others are checked again from the start.
    assert second["channels_checked"] == 6
    assert f"/ace/status?id={ids[2]}" not in world.acexy.requests


def test_a_sweep_run_checks_twenty_seconds_worth_and_the_next_goes_on(world: World) -> None:
    ids = [f"{n:040x}" for n in range(1, 24)]  # 25 channels with ID and OTHER
    add_channels(world.db, *ids)
    clock = FakeClock()
    sweeper = world.service(sweep_rate=1, clock=clock, sleep=clock.sleep)

    first = sweeper.sweep(T0)
    world.acexy.requests.clear()
    second = sweeper.sweep(T0 + timedelta(minutes=1))

    assert first["channels_checked"] == second["channels_checked"] == 20
    checked = [request.removeprefix("/ace/status?id=") for request in world.acexy.requests]
    # The last five, then round again from the first (the fake clock releases them at once,
    # so they may arrive in any order).
    assert sorted(checked) == sorted([*ids[-5:], ID, OTHER, *ids[:13]])
    assert clock.sleeps == pytest.approx([1.05] * 38)


def test_with_the_sweep_interval_at_0_there_is_no_sweep_task(
    make_settings: SettingsFactory,
) -> None:
    with TestClient(create_app(make_settings(stream_sweep_interval_seconds=0))) as client:
        tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]

    assert "stream_sweep" not in [task["task_name"] for task in tasks]
    assert "status_check" in [task["task_name"] for task in tasks]


def test_a_sweep_that_learnt_nothing_leaves_its_place(world: World) -> None:
    clock = FakeClock()
    sweeper = world.service(sweep_rate=1, clock=clock, sleep=clock.sleep)
    world.acexy.set_reply(502, b"Bad Gateway")

    blind = sweeper.sweep(T0)
    world.acexy.mode = "acexy"
    world.acexy.requests.clear()
    seeing = sweeper.sweep(T0 + timedelta(minutes=1))

    assert blind["channels_checked"] == seeing["channels_checked"] == 2
    # Both channels again, from the start: the blind run moved nothing.
    assert sorted(world.acexy.requests) == [f"/ace/status?id={c}" for c in (ID, OTHER)]


def test_a_cancelled_sweep_stops_between_requests(world: World) -> None:
    cancel = CancelToken()
    clock = FakeClock()

    async def sleep_then_cancel(seconds: float) -> None:
        await clock.sleep(seconds)
        cancel.cancel("the service is stopping")

    sweeper = world.service(sweep_rate=20, clock=clock, sleep=sleep_then_cancel)
    world.acexy.requests.clear()

    with pytest.raises(Interrupted):
        sweeper.sweep(T0, cancel)

    # The second request, due after the cancel, never went (the first may have).
    assert f"/ace/status?id={OTHER}" not in world.acexy.requests
    assert clock.sleeps == pytest.approx([0.05 * 1.05])
