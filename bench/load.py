"""Benchmark 5: 200 dashboards refreshing every 10 s against the real service, over HTTP.

Starts the service as production does (`python -m app`'s `main()`, uvicorn; through a short
wrapper that only times full garbage collections) in a subprocess on a free 127.0.0.1 port,
with its database seeded (default 1 000 000 rows over 30 days, retention set to 30 days so
the dashboard shows them), `SCHEDULER_ENABLED=true` and `STATUS_CHECK_INTERVAL_SECONDS=5`.
Each simulated dashboard fetches every dashboard endpoint at once every 10 s, starts
staggered over the first interval, and the run stops by itself after `--duration` seconds
(default 60). Two scenarios, one after the other on the same data:

- unreachable: acexy and the engine on closed ports, `WARP_CLI` a path that does not exist;
- hanging: acexy and the engine on a local server that accepts connections and never
  answers, `WARP_CLI` a script that sleeps forever.

The load generator (asyncio, one httpx.AsyncClient per dashboard) shares the 2 cores with the
service; its CPU time and event-loop lag are reported next to the service's CPU time, its full
GC pauses and its own view of request durations, so a reader can tell who was busy.

Target: p99 < 50 ms and zero errors in both scenarios.
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import benchlib as lib
import httpx
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client.parser import text_string_to_metric_families

from app.core.db import create_db_engine, create_session_factory
from app.observability.telemetry import TRACER_NAME
from app.schemas.config import DashboardConfigUpdate
from app.services.config import ConfigService
from app.utils.activity import ActivityRecorder

ROUTES = (
    "/api/v1/activity/recent",
    "/api/v1/activity/histogram",
    "/api/v1/background-tasks/status",
    "/api/v1/streams/active",
    "/api/v1/warp/status",
    "/api/v1/config/dashboard",
)
ENDPOINTS = (
    "/api/v1/activity/recent",
    "/api/v1/activity/histogram?days=1",
    "/api/v1/background-tasks/status",
    "/api/v1/streams/active",
    "/api/v1/warp/status",
    "/api/v1/config/dashboard",
)
REQUEST_TIMEOUT = 10.0


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {e: [] for e in ENDPOINTS})
    errors: dict[str, int] = field(default_factory=dict)
    refreshes: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def all(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]


# -- the peers --------------------------------------------------------------------------------


@contextlib.contextmanager
def hanging_server() -> Iterator[str]:
    """An HTTP peer that accepts every connection and never sends a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, name="hanging-peer", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def sleeping_warp_cli(folder: Path) -> str:
    """A `warp-cli` that never answers (the service kills it after its timeout)."""
    script = folder / "warp-cli-sleeps"
    script.write_text("#!/bin/sh\nexec sleep 86400\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


# -- the service ------------------------------------------------------------------------------


def prepare_database(url: str, rows: int) -> None:
    """Seed `rows` over 30 days and set the retention to 30 days, so all of them show."""
    lib.say(f"seeding {rows:_} rows")
    newest = lib.utc_now()
    lib.seed_rows(url, lib.activity_rows(rows, newest=newest, span=timedelta(days=29, hours=23)))
    engine = create_db_engine(url)
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
    config = ConfigService(create_session_factory(engine), recorder)
    config.update(DashboardConfigUpdate(retention_days=30), user="bench")
    engine.dispose()


SERVICE_RUNNER = """\
# Written by bench/load.py: runs the service exactly as `python -m app` does, and writes the
# wall-clock time and duration of every full (generation 2) garbage collection to the file
# named by BENCH_GC_LOG when it exits.
import atexit
import gc
import json
import os
import time

from app.__main__ import main

_pauses = []
_started = []


def _watch(phase, info):
    if info["generation"] != 2:
        return
    if phase == "start":
        _started.append(time.perf_counter())
    elif _started:
        _pauses.append((time.time(), time.perf_counter() - _started.pop()))


def _write():
    with open(os.environ["BENCH_GC_LOG"], "w") as log:
        json.dump(_pauses, log)


gc.callbacks.append(_watch)
atexit.register(_write)

main()
"""


def service_command(folder: Path) -> list[str]:
    """The service's `main()`, as `python -m app` runs it, under the GC-timing wrapper."""
    runner = folder / "run_service.py"
    runner.write_text(SERVICE_RUNNER, encoding="utf-8")
    return [sys.executable, str(runner)]


def gc_pauses(log: Path, start: float, end: float) -> lib.Stats:
    """Durations of the full collections the service ran between `start` and `end`."""
    if not log.exists():
        return lib.Stats.of([])
    pauses = json.loads(log.read_text(encoding="utf-8"))
    return lib.Stats.of([seconds for when, seconds in pauses if start <= when <= end])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the dashboards ---------------------------------------------------------------------------


async def fetch(client: httpx.AsyncClient, endpoint: str, results: Results) -> None:
    """One GET; a transport failure, a timeout or a status other than 200 is an error."""
    start = time.perf_counter()
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            response = await client.get(endpoint)
    except TimeoutError:
        results.error(f"no answer within {REQUEST_TIMEOUT:g} s")
        return
    except httpx.HTTPError as exc:
        results.error(type(exc).__name__)
        return
    results.latencies[endpoint].append(time.perf_counter() - start)
    if response.status_code != 200:
        results.error(f"HTTP {response.status_code} {endpoint}")


def browser_client(base_url: str) -> httpx.AsyncClient:
    """One page's client: at most 6 connections to the host, like a browser."""
    limits = httpx.Limits(max_connections=len(ENDPOINTS), max_keepalive_connections=len(ENDPOINTS))
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT)


async def dashboard(
    client: httpx.AsyncClient, offset: float, interval: float, until: float, results: Results
) -> None:
    """Refresh every `interval` s from `offset` on, fetching all endpoints at once.

    A refresh still running when the next is due delays it (as a page waits for its
    requests); `results.refreshes` counts the refreshes that actually started.
    """
    loop = asyncio.get_running_loop()
    tick = loop.time() + offset
    async with client:
        while tick < until:
            await asyncio.sleep(max(0.0, tick - loop.time()))
            if loop.time() >= until:
                break
            results.refreshes += 1
            await asyncio.gather(*(fetch(client, endpoint, results) for endpoint in ENDPOINTS))
            tick += interval


async def watch_loop_lag(stop: asyncio.Event, lags: list[float], period: float = 0.01) -> None:
    """How late the load generator's own event loop wakes up: its share of any latency."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        planned = loop.time() + period
        await asyncio.sleep(period)
        lags.append(max(0.0, loop.time() - planned))


async def simulate(
    base_url: str, dashboards: int, interval: float, duration: float
) -> tuple[Results, lib.Stats]:
    """Run every dashboard until `duration` has passed and their last requests are answered.

    Every request has its own timeout, so this ends at most REQUEST_TIMEOUT after `duration`.
    Returns the results and the generator's event-loop lag.
    """
    results = Results()
    # Built before the clock starts: each client loads a TLS context (~10 ms of CPU), which
    # would otherwise stall the generator's loop at the start and bunch the first refreshes.
    clients = [browser_client(base_url) for _ in range(dashboards)]
    until = asyncio.get_running_loop().time() + duration
    stop, lags = asyncio.Event(), []
    watcher = asyncio.create_task(watch_loop_lag(stop, lags))
    await asyncio.gather(
        *(
            dashboard(client, i * interval / dashboards, interval, until, results)
            for i, client in enumerate(clients)
        )
    )
    stop.set()
    await watcher
    return results, lib.Stats.of(lags)


# -- what the service saw ----------------------------------------------------------------------


def server_histogram(base_url: str) -> dict[float, float]:
    """Cumulative counts per bucket bound of the dashboard routes' request durations, read
    from the service's own `acestream_http_request_duration_seconds` (timed inside it)."""
    text = httpx.get(f"{base_url}/metrics", timeout=10).text
    buckets: dict[float, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name != "acestream_http_request_duration_seconds":
            continue
        for sample in family.samples:
            route = sample.labels.get("route", "")
            if sample.name.endswith("_bucket") and route in ROUTES:
                bound = float(sample.labels["le"])
                buckets[bound] = buckets.get(bound, 0.0) + sample.value
    return buckets


def server_view(before: dict[float, float], after: dict[float, float]) -> str:
    """From two histogram snapshots: the share answered within 50 ms and the p50/p99 bucket."""
    delta = {bound: after[bound] - before.get(bound, 0.0) for bound in sorted(after)}
    total = delta.get(math.inf, 0.0)
    if not total:
        return "no samples"

    def bucket(q: float) -> str:
        bound = next(b for b, count in delta.items() if count >= q * total)
        return "> 10 s" if bound == math.inf else f"<= {bound * 1000:g} ms"

    within = delta.get(0.05, 0.0) / total
    return f"{within:.1%} within 50 ms; p50 {bucket(0.5)}, p99 {bucket(0.99)}"


@dataclass
class Scenario:
    name: str
    results: Results
    seconds: float
    service_cpu: float
    bench_cpu: float
    loop_lag: lib.Stats
    server: str
    gc: lib.Stats


def run_scenario(
    name: str, url: str, folder: Path, peer: str, warp_cli: str, args: argparse.Namespace
) -> Scenario:
    port = lib.free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = lib.service_env(
        url,
        folder,
        port,
        SCHEDULER_ENABLED="true",
        STATUS_CHECK_INTERVAL_SECONDS="5",
        ACEXY_URL=peer,
        ACESTREAM_ENGINE_URL=peer,
        WARP_CLI=warp_cli,
    )
    env["BENCH_GC_LOG"] = str(folder / f"gc-{name}.json")
    with lib.running_service(
        service_command(folder), env, folder / f"service-{name}.log"
    ) as process:
        lib.wait_ready(base_url, process)
        lib.say(f"{name}: service ready on {base_url}; {args.dashboards} dashboards")
        histogram_before = server_histogram(base_url)
        cpu_before, bench_before = cpu_seconds(process.pid), time.process_time()
        wall_start = time.time()
        start = time.perf_counter()
        results, lag = asyncio.run(
            simulate(base_url, args.dashboards, args.interval, args.duration)
        )
        seconds = time.perf_counter() - start
        service_cpu = cpu_seconds(process.pid) - cpu_before
        bench_cpu = time.process_time() - bench_before
        server = server_view(histogram_before, server_histogram(base_url))
        wall_end = time.time()
    gc = gc_pauses(folder / f"gc-{name}.json", wall_start, wall_end)
    lib.say(f"{name}: {len(results.all)} answers, {sum(results.errors.values())} errors")
    return Scenario(name, results, seconds, service_cpu, bench_cpu, lag, server, gc)


def refreshes_due(dashboards: int, interval: float, duration: float) -> int:
    """Refreshes the schedule asks for: dashboard i at i*interval/n + k*interval, k >= 0."""
    offsets = (i * interval / dashboards for i in range(dashboards))
    return sum(math.ceil((duration - offset) / interval) for offset in offsets)


def report(database: str, args: argparse.Namespace, scenarios: list[Scenario], doc: bool) -> None:
    summary_headers = ["scenario", "refreshes (due)", "requests", "errors", "req/s", "p50 ms"]
    summary_headers += ["p95 ms", "p99 ms", "max ms", "service CPU", "load generator CPU"]
    summary_headers += ["generator loop lag p99 / max ms", "as timed inside the service"]
    summary_headers += ["service full GCs: count, p50 / max ms"]
    due = refreshes_due(args.dashboards, args.interval, args.duration)
    summary, detail, targets = [], [], []
    for s in scenarios:
        stats = lib.Stats.of(s.results.all)
        errors = sum(s.results.errors.values())
        failed_calls = sum(v for k, v in s.results.errors.items() if not k.startswith("HTTP"))
        total = stats.count + failed_calls
        latency = [lib.ms(v) for v in (stats.p50, stats.p95, stats.p99, stats.max)]
        cpu = [f"{s.service_cpu / s.seconds:.0%} of a core", f"{s.bench_cpu / s.seconds:.0%}"]
        refreshes = f"{s.results.refreshes} ({due})"
        rate = f"{total / s.seconds:.0f}"
        gcs = f"{s.gc.count}, {lib.ms(s.gc.p50)} / {lib.ms(s.gc.max)}"
        inside = [f"{lib.ms(s.loop_lag.p99)} / {lib.ms(s.loop_lag.max)}", s.server, gcs]
        summary.append([s.name, refreshes, total, errors, rate, *latency, *cpu, *inside])
        for endpoint, values in s.results.latencies.items():
            e = lib.Stats.of(values)
            detail.append([s.name, endpoint, e.count, lib.ms(e.p50), lib.ms(e.p95), lib.ms(e.p99)])
        kinds = ", ".join(f"{k}: {v}" for k, v in s.results.errors.items()) or "none"
        targets.append(
            [
                f"{s.name}: p99 < 50 ms, zero errors",
                f"p99 {lib.ms(stats.p99)} ms, errors {kinds}",
                lib.verdict(stats.p99 < 50 and errors == 0),
            ]
        )
    detail_headers = ["scenario", "endpoint", "answers", "p50 ms", "p95 ms", "p99 ms"]
    title = (
        f"load, {database}, {args.rows:_} rows, {args.dashboards} dashboards every "
        f"{args.interval:g} s for {args.duration:g} s"
    )
    lib.show(title, summary_headers, summary)
    lib.show("per endpoint", detail_headers, detail)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {title.removeprefix('load, ')}\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(summary_headers, summary),
            lib.markdown_table(detail_headers, detail),
        ]
    )
    lib.update_doc(doc_key(database, args), body, enabled=doc)


def doc_key(database: str, args: argparse.Namespace) -> str:
    """One block per database for the standard run; diagnostic runs get blocks of their own."""
    if args.rows == 1_000_000 and args.dashboards == 200:
        return f"load:{database}"
    return f"load:{database}:rows={args.rows}:dashboards={args.dashboards}"


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0])
    parser.add_argument("--dashboards", type=int, default=200)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between refreshes")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per scenario")
    parser.add_argument("--scenario", choices=("unreachable", "hanging", "both"), default="both")
    args = parser.parse_args()
    scenarios = []
    with (
        lib.fresh_database(args.database) as url,
        tempfile.TemporaryDirectory(prefix="acestream-load-") as temp,
    ):
        folder = Path(temp)
        prepare_database(url, args.rows)
        if args.scenario in ("unreachable", "both"):
            missing = str(folder / "no-warp-cli")
            closed = f"http://127.0.0.1:{lib.free_port()}"
            scenarios.append(run_scenario("unreachable", url, folder, closed, missing, args))
        if args.scenario in ("hanging", "both"):
            with hanging_server() as peer:
                warp = sleeping_warp_cli(folder)
                scenarios.append(run_scenario("hanging", url, folder, peer, warp, args))
    report(args.database, args, scenarios, not args.no_doc)


if __name__ == "__main__":
    main()
