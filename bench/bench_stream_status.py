"""Benchmark 12: a status check with 50 playing streams among 2 000 channels, and the sweep's
pace, against the fake acexy and engine (real HTTP servers on loopback).

The status check is what `status_check` runs: the peer poll (`PeerStatusService.refresh`)
then the streams (`StreamSessionService.track`): for each of the 50 streams a player was
redirected to, acexy's `/ace/status?id=` and the engine's `stat_url`, 16 at a time, and one
transaction storing the samples. Timed: the first check (opens 50 sessions) and then
`--checks` steady ones. Target: at most 1 s.

The sweep (`StreamSessionService.sweep`) is run once over the channels at STREAM_SWEEP_RATE
20 on the real clock; its pace is read from the times the fake acexy received each request.
Target: never more than 20 requests in any one-second window.

The fakes run in a process of their own, as the real peers do: in this one their Python
handlers would take the measured process's CPU (acexy is Go, the engine C++/Python).
"""

import multiprocessing
import statistics
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection

import benchlib as lib
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.orm import Session

from app.core.db import create_db_engine, create_session_factory
from app.models import StreamPlay
from app.observability.telemetry import TRACER_NAME
from app.repositories import channels as channels_repository
from app.services.peer_status import PeerStatusService
from app.services.state_changes import StateChangeRecorder, unknown_after
from app.services.stream_sessions import SWEEP_RUN_SECONDS, StreamSessionService
from app.utils.activity import ActivityRecorder
from tests.fakes.http_peer import FakePeer, FakeStat, FakeStream, serve_fake_peer

CHANNELS = 2_000
PLAYING = 50
SWEEP_RATE = 20
TARGET_SECONDS = 1.0


def channel_id(n: int) -> str:
    return f"{n:040x}"


def seed(sessions: Session, now: datetime) -> None:
    """2 000 channels; a redirect (play) to each of the first 50 a minute ago."""
    rows = [
        {
            "content_id": channel_id(n),
            "id_kind": "content_id",
            "name": f"Channel {n}",
            "group_title": "Bench",
            "tvg_logo": None,
            "tvg_id": None,
            "source_url": "http://bench/list",
            "first_seen": now,
            "last_seen": now,
        }
        for n in range(CHANNELS)
    ]
    with sessions.begin():
        channels_repository.upsert_channels(sessions, rows)
        sessions.add_all(
            StreamPlay(
                content_id=channel_id(n),
                id_kind="content_id",
                played_at=now,
                client_address="192.168.1.20",
                user_agent="VLC/3.0.21 LibVLC/3.0.21",
            )
            for n in range(PLAYING)
        )


def most_in_one_second(times: list[float]) -> int:
    """The most requests any one-second window (starting at a request) holds."""
    times = sorted(times)
    most, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def play(acexy: FakePeer, engine: FakePeer) -> None:
    for n in range(PLAYING):
        infohash = f"{n + 1:040x}"[::-1]
        acexy.streams.append(
            FakeStream(channel_id(n), infohash, clients=1 + n % 3, engine_url=engine.base_url)
        )
        engine.stats[infohash] = FakeStat(peers=10 + n, speed_down=500 + n)


def serve_fakes(conn: Connection) -> None:
    """The child process: the fake acexy and engine with the 50 streams playing; answers
    "times" with the request times acexy recorded since the last "clear"; ends on "stop"."""
    with serve_fake_peer("acexy") as acexy, serve_fake_peer("engine") as engine:
        play(acexy, engine)
        conn.send((acexy.base_url, engine.base_url))
        while (command := conn.recv()) != "stop":
            if command == "clear":
                acexy.request_times.clear()
            conn.send(list(acexy.request_times))


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--checks", type=int, default=20, help="steady checks timed")
    args = parser.parse_args()
    header = lib.run_header()
    ours, theirs = multiprocessing.Pipe()
    fakes = multiprocessing.get_context("spawn").Process(
        target=serve_fakes,
        args=(theirs,),
        daemon=True,  # gone with this process, even on an error
    )
    fakes.start()
    acexy_url, engine_url = ours.recv()
    with lib.fresh_database(args.database) as url:
        db = create_db_engine(url)
        sessions = create_session_factory(db)
        recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
        with sessions() as session:
            seed(session, datetime.now(UTC))
        state_changes = StateChangeRecorder(unknown_after=unknown_after(15))
        peers = PeerStatusService(
            sessions,
            recorder,
            state_changes,
            acexy_url=acexy_url,
            engine_url=engine_url,
            warp_cli="/nonexistent/warp-cli",
        )
        streams = StreamSessionService(
            sessions,
            recorder,
            state_changes,
            acexy_url=acexy_url,
            sample_seconds=15,
            sweep_rate=SWEEP_RATE,
        )

        def status_check() -> dict[str, object]:
            now = datetime.now(UTC)
            peers.refresh(now)
            return streams.track(now, peers.current().acexy)

        start = time.perf_counter()
        first = status_check()
        first_seconds = time.perf_counter() - start
        assert first["started"] == PLAYING, first
        steady, cpu = [], []
        for _ in range(args.checks):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = status_check()
            steady.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert result["playing"] == PLAYING, result
        lib.say(
            f"status check: first {first_seconds:.3f} s, steady median "
            f"{statistics.median(steady):.3f} s"
        )

        ours.send("clear")
        ours.recv()
        start = time.perf_counter()
        swept = streams.sweep(datetime.now(UTC))
        sweep_seconds = time.perf_counter() - start
        ours.send("times")
        most = most_in_one_second(ours.recv())
        ours.send("stop")
        fakes.join()
        db.dispose()

    per_run = SWEEP_RATE * SWEEP_RUN_SECONDS
    rows = [
        (
            f"status check, first (opens {PLAYING} sessions)",
            f"{first_seconds:.3f} s",
            lib.verdict(first_seconds <= TARGET_SECONDS),
        ),
        (
            f"status check, steady: median of {args.checks}",
            f"{statistics.median(steady):.3f} s",
            lib.verdict(statistics.median(steady) <= TARGET_SECONDS),
        ),
        (
            "status check, steady: slowest",
            f"{max(steady):.3f} s",
            lib.verdict(max(steady) <= TARGET_SECONDS),
        ),
        (
            "status check, steady: CPU of this process, median (all threads)",
            f"{statistics.median(cpu):.3f} s",
            "-",
        ),
        (
            f"sweep run: {swept['channels_checked']} ids at rate {SWEEP_RATE}",
            f"{sweep_seconds:.1f} s, at most {most} requests in one second",
            lib.verdict(most <= SWEEP_RATE),
        ),
    ]
    headers = ("measure", "result", f"target (≤ {TARGET_SECONDS:g} s; ≤ {SWEEP_RATE}/s)")
    lib.show(f"{args.database}: {PLAYING} streams among {CHANNELS:_} channels", headers, rows)
    body = (
        f"{header}\n{lib.markdown_table(headers, rows)}\n\n"
        f"A full sweep of {CHANNELS:_} channels (less the playing ones): "
        f"{-(-CHANNELS // per_run)} runs of at most {per_run} ids, one per "
        f"STREAM_SWEEP_INTERVAL_SECONDS.\n"
    )
    lib.update_doc(f"stream status {args.database}", body, enabled=not args.no_doc)


if __name__ == "__main__":
    main()
