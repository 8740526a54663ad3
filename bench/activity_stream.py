"""Benchmark 9: the live activity stream's fan-out to 500 clients, from commit to receipt.

Starts the service as production does (`python -m app`, uvicorn) in a subprocess on a free
127.0.0.1 port, on a fresh database, with the scheduler off so that the only rows are the
benchmark's. Connects `--clients` (default 500, the default ACTIVITY_STREAM_MAX_CLIENTS) to
`GET /api/v1/activity/stream`, each its own connection read by a small asyncio client (HTTP/1.1
chunks and SSE lines, nothing more); one more client is then refused with 503. A writer thread
in this process stores `--rate` rows a second (default 10) for `--duration` seconds (default
60) through the repository's own insert, one row per transaction, as the exporter of another
replica would: the service learns of them only by reading the log.

Latency is from the writer's commit returning to a client reading the event's `id:` line,
both on this process's clock. Reported: per delivery (every row to every client), and per row
until its last client had it; rows missing or repeated at any client; the service's CPU and
the load generator's CPU and event-loop lag, which share the 2 cores.

Target (issue 15): every row at every client within 1 s of being stored; nothing lost or twice.
"""

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import benchlib as lib
import httpx

from app.core.db import create_db_engine, create_session_factory
from app.repositories import activity as activity_repository

STREAM = "/api/v1/activity/stream"
CONNECT_TIMEOUT = 60.0
DRAIN_SECONDS = 5.0


@dataclass
class Client:
    """One stream reader: when it read each row id, and what it read twice or out of order."""

    received: dict[int, float] = field(default_factory=dict)
    disorder: int = 0
    status: int = 0


@dataclass
class Outcome:
    clients: list[Client]
    stored: dict[int, float]
    refused: str
    seconds: float
    service_cpu: float
    bench_cpu: float
    loop_lag: lib.Stats


# -- the clients ------------------------------------------------------------------------------


async def follow(host: str, port: int, client: Client, connected: asyncio.Event) -> None:
    """Read the stream until the connection closes: HTTP/1.1 chunked, SSE `id:` lines."""
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    writer.write(f"GET {STREAM} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    client.status = int(head.split(b" ", 2)[1])
    connected.set()
    last = 0
    pending = b""
    try:
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            if size == 0:
                break
            chunk = await reader.readexactly(size + 2)
            now = time.perf_counter()
            pending += chunk[:-2]
            *events, pending = pending.split(b"\n\n")
            for event in events:
                for line in event.split(b"\n"):
                    if line.startswith(b"id: "):
                        row_id = int(line[4:])
                        if row_id <= last or row_id in client.received:
                            client.disorder += 1
                        client.received[row_id] = now
                        last = max(last, row_id)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def watch_loop_lag(stop: asyncio.Event, lags: list[float], period: float = 0.01) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        planned = loop.time() + period
        await asyncio.sleep(period)
        lags.append(max(0.0, loop.time() - planned))


# -- the writer -------------------------------------------------------------------------------


def write_rows(url: str, rate: float, duration: float, stored: dict[int, float]) -> None:
    """Store one row per transaction at `rate` a second; note when each commit returned."""
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    begin = time.perf_counter()
    for index in range(int(rate * duration)):
        delay = begin + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        row = {
            "timestamp": datetime.now(UTC),
            "type": "system_event",
            "level": "info",
            "message": f"bench row {index}",
            "details": {"index": index},
        }
        with sessions.begin() as session:
            activity_repository.insert_rows(session, [row])
            row_id = activity_repository.last_id(session)
        stored[row_id] = time.perf_counter()
    engine.dispose()


# -- the run ------------------------------------------------------------------------------------


async def measure(
    url: str, port: int, process: subprocess.Popen[bytes], args: argparse.Namespace
) -> Outcome:
    clients = [Client() for _ in range(args.clients)]
    events = [asyncio.Event() for _ in clients]
    readers = [
        asyncio.create_task(follow("127.0.0.1", port, client, event))
        for client, event in zip(clients, events, strict=True)
    ]
    async with asyncio.timeout(CONNECT_TIMEOUT):
        await asyncio.gather(*(event.wait() for event in events))
    async with httpx.AsyncClient(timeout=10) as http:
        extra = await http.get(f"http://127.0.0.1:{port}{STREAM}")
    refused = f"{extra.status_code}, Retry-After {extra.headers.get('retry-after')}"
    lib.say(f"{args.clients} clients connected; one more: {extra.status_code}")
    stored: dict[int, float] = {}
    stop, lags = asyncio.Event(), []
    watcher = asyncio.create_task(watch_loop_lag(stop, lags))
    cpu_before, bench_before = lib.cpu_seconds(process.pid), time.process_time()
    start = time.perf_counter()
    await asyncio.to_thread(write_rows, url, args.rate, args.duration, stored)
    expected = set(stored)
    deadline = time.perf_counter() + DRAIN_SECONDS
    while time.perf_counter() < deadline and any(expected - c.received.keys() for c in clients):
        await asyncio.sleep(0.1)
    seconds = time.perf_counter() - start
    service_cpu = lib.cpu_seconds(process.pid) - cpu_before
    bench_cpu = time.process_time() - bench_before
    stop.set()
    await watcher
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return Outcome(clients, stored, refused, seconds, service_cpu, bench_cpu, lib.Stats.of(lags))


def run(url: str, args: argparse.Namespace) -> Outcome:
    port = lib.free_port()
    with tempfile.TemporaryDirectory(prefix="acestream-stream-") as temp:
        folder = Path(temp)
        env = lib.service_env(
            url,
            folder,
            port,
            SCHEDULER_ENABLED="false",
            ACTIVITY_STREAM_MAX_CLIENTS=str(args.clients),
            LOG_LEVEL="WARNING",
        )
        command = [sys.executable, "-m", "app"]
        with lib.running_service(command, env, folder / "service.log") as process:
            lib.wait_ready(f"http://127.0.0.1:{port}", process)
            return asyncio.run(measure(url, port, process, args))


def report(database: str, args: argparse.Namespace, outcome: Outcome, doc: bool) -> None:
    stored = outcome.stored
    deliveries, last_client = [], []
    missing = repeated = 0
    for row_id, committed in stored.items():
        times = [c.received[row_id] for c in outcome.clients if row_id in c.received]
        missing += len(outcome.clients) - len(times)
        deliveries += [t - committed for t in times]
        if times:
            last_client.append(max(times) - committed)
    repeated = sum(c.disorder for c in outcome.clients)
    ok = sum(c.status == 200 for c in outcome.clients)
    every = lib.Stats.of(deliveries)
    slowest = lib.Stats.of(last_client)
    headers = ["measure", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"]
    rows = [
        ["commit -> a client reads it (every delivery)", every.count, *_ms(every)],
        ["commit -> the last client reads it (per row)", slowest.count, *_ms(slowest)],
    ]
    load = [
        ["clients connected (200)", f"{ok} of {args.clients}"],
        ["one client more", outcome.refused],
        ["rows stored", f"{len(stored):_} at {args.rate:g}/s"],
        ["deliveries expected / made", f"{len(stored) * args.clients:_} / {every.count:_}"],
        ["missing / repeated or out of order", f"{missing:_} / {repeated:_}"],
        ["service CPU", f"{outcome.service_cpu / outcome.seconds:.0%} of a core"],
        ["load generator CPU", f"{outcome.bench_cpu / outcome.seconds:.0%} of a core"],
        ["generator loop lag p99 / max ms", f"{lib.ms(outcome.loop_lag.p99)} / "
         f"{lib.ms(outcome.loop_lag.max)}"],
    ]  # fmt: skip
    targets = [
        [
            "every row at every client within 1 s of its commit",
            f"slowest delivery {lib.ms(every.max)} ms; p99 {lib.ms(every.p99)} ms",
            lib.verdict(every.max < 1000 and missing == 0),
        ],
        [
            "nothing lost, nothing twice, in order",
            f"{missing:_} missing, {repeated:_} repeated or out of order",
            lib.verdict(missing == 0 and repeated == 0),
        ],
    ]
    title = f"{database}, {args.clients} clients, {args.rate:g} rows/s for {args.duration:g} s"
    lib.show(f"activity stream, {title}", headers, rows)
    lib.show("run", ["", ""], load)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {title}\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(headers, rows),
            lib.markdown_table(["", ""], load),
        ]
    )
    lib.update_doc(f"activity_stream:{database}", body, enabled=doc)


def _ms(stats: lib.Stats) -> list[str]:
    return [lib.ms(v) for v in (stats.p50, stats.p95, stats.p99, stats.max)]


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=10.0, help="rows per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of writing")
    args = parser.parse_args()
    with lib.fresh_database(args.database) as url:
        outcome = run(url, args)
    report(args.database, args, outcome, not args.no_doc)


if __name__ == "__main__":
    main()
