"""Benchmark 16: the HTTP request path against a bare floor serving the same bytes.

The service runs as users run it (`python -m app`: uvicorn, httptools, uvloop) on a database
of `--rows` activity rows; beside it a bare Starlette app under the same uvicorn, httptools
and uvloop answers every path with the bytes (and headers) the service answered it with.
One keep-alive connection to each (`http.client`, the leanest client at hand, so that the
client's own cost hides as little of the server's as possible); requests interleaved, service
then floor, for `--rounds` rounds:

- `/api/v1/activity/recent?limit=50` (the first page),
- the same with the cursor of the row 90 % deep (the deep page),
- `/healthz`,
- `/metrics` (the service only: its text changes with every scrape; it has its own target).

Targets (issue #19): first page ≤ 3 x its floor, deep page ≤ 1.2 x the first page,
`/healthz` ≤ 1.5 x its floor, `/metrics` ≤ 2 ms.
"""

import argparse
import http.client
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import benchlib as lib
from activity_paging import key_of_row

from app.core.db import create_db_engine, create_session_factory
from app.services.activity import encode_cursor

FIRST_PAGE = "/api/v1/activity/recent?limit=50&days=30"
# Requests per CPU measurement: /proc counts CPU in 10 ms ticks.
CPU_REQUESTS = 1000
# The service adds these itself (or the server does); everything else is copied to the floor.
_SERVER_HEADERS = frozenset({"date", "server", "content-length", "transfer-encoding"})

FLOOR_APP = """\
# Written by bench/http_path.py: the floor. A bare Starlette app under the uvicorn, httptools
# and uvloop the service runs on, answering each path with the bytes the service answered it.
import json
import os
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

with open(sys.argv[1], "rb") as answers_file:
    answers = json.loads(answers_file.read())


def route(path, body, headers):
    content = body.encode("latin-1")

    async def answer(request):
        return Response(content, headers=headers)

    return Route(path, answer)


app = Starlette(routes=[route(path, *answer) for path, answer in answers.items()])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), http="httptools", loop="uvloop",
            log_level="warning")
"""


def parse_args() -> argparse.Namespace:
    parser = lib.base_parser(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400, help="default 400")
    parser.add_argument(
        "--backend",
        type=Path,
        help="serve this copy of v2/backend instead (e.g. an earlier commit's, from "
        "`git archive`), to compare before and after",
    )
    return parser.parse_args()


def deep_cursor(url: str, rows: int) -> str:
    """The cursor of the row 90 % deep, newest first (what a person scrolling would send)."""
    engine = create_db_engine(url)
    key = key_of_row(create_session_factory(engine), rows * 9 // 10)
    engine.dispose()
    return encode_cursor(*key)


class Connection:
    """One keep-alive HTTP/1.1 connection; `get` returns (status, headers, body)."""

    def __init__(self, port: int) -> None:
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            return self._get(path)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closes a connection idle for its keep-alive time (uvicorn: 5 s).
            self._connection.close()
            return self._get(path)

    def _get(self, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        self._connection.request("GET", path)
        response = self._connection.getresponse()
        body = response.read()
        return response.status, response.getheaders(), body

    def close(self) -> None:
        self._connection.close()


# name -> (the service's path, the floor's path or None when the floor has no twin)
Paths = dict[str, tuple[str, str | None]]


@dataclass
class Result:
    name: str
    service: lib.Stats
    floor: lib.Stats | None
    body_bytes: int
    # CPU milliseconds per request (the process's user + system time over a block of them).
    service_cpu: float = float("nan")
    floor_cpu: float = float("nan")


def measure(service: Connection, floor: Connection, paths: Paths, rounds: int) -> list[Result]:
    """Each round asks every path of the service, then of the floor (where it has one)."""
    own: dict[str, list[float]] = {name: [] for name in paths}
    bare: dict[str, list[float]] = {name: [] for name in paths}
    sizes: dict[str, int] = {}

    def ask(connection: Connection, path: str) -> tuple[float, int, bytes]:
        start = time.perf_counter()
        status, _headers, body = connection.get(path)
        return time.perf_counter() - start, status, body

    for index in range(-20, rounds):  # 20 warm-up rounds: caches, prepared statements
        for name, (path, floor_path) in paths.items():
            seconds, status, body = ask(service, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
            if index >= 0:
                own[name].append(seconds)
            sizes[name] = len(body)
            if floor_path is not None:
                seconds, status, _body = ask(floor, floor_path)
                assert status == 200
                if index >= 0:
                    bare[name].append(seconds)
    return [
        Result(
            name,
            lib.Stats.of(own[name]),
            lib.Stats.of(bare[name]) if bare[name] else None,
            sizes[name],
        )
        for name in paths
    ]


def floor_answers(service: Connection, paths: Paths) -> dict[str, list[object]]:
    """The floor's answer per path: the service's body and headers, as the service sent them."""
    answers: dict[str, list[object]] = {}
    for path, floor_path in paths.values():
        if floor_path is None:
            continue
        status, headers, body = service.get(path)
        assert status == 200, body
        kept = {k: v for k, v in headers if k.lower() not in _SERVER_HEADERS}
        answers[floor_path] = [body.decode("latin-1"), kept]
    return answers


def cpu_per_request(connection: Connection, path: str, pid: int, count: int) -> float:
    """CPU milliseconds the process at `pid` spent per request, over `count` requests in a
    row: unlike latency, barely moved by other processes on a busy machine."""
    before = lib.cpu_seconds(pid)
    for _ in range(count):
        connection.get(path)
    return (lib.cpu_seconds(pid) - before) * 1000 / count


def run(args: argparse.Namespace) -> tuple[list[Result], str]:
    with lib.fresh_database(args.database) as url, tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        lib.say(f"seeding {args.rows:_} rows")
        lib.seed_rows(
            url, lib.activity_rows(args.rows, newest=lib.utc_now(), span=timedelta(days=29))
        )
        paths: Paths = {
            "first page": (FIRST_PAGE, "/first"),
            "deep page": (f"{FIRST_PAGE}&cursor={deep_cursor(url, args.rows)}", "/deep"),
            "healthz": ("/healthz", "/healthz"),
            "metrics": ("/metrics", None),
        }
        port, floor_port = lib.free_port(), lib.free_port()
        env = lib.service_env(url, folder, port, SCHEDULER_ENABLED="false", LOG_LEVEL="WARNING")
        if args.backend is not None:
            env["PYTHONPATH"] = str(args.backend.resolve())
        with lib.running_service(
            [sys.executable, "-m", "app"], env, folder / "service.log"
        ) as process:
            lib.wait_ready(f"http://127.0.0.1:{port}", process)
            service = Connection(port)
            answers = folder / "answers.json"
            answers.write_text(json.dumps(floor_answers(service, paths)), encoding="utf-8")
            (folder / "floor.py").write_text(FLOOR_APP, encoding="utf-8")
            floor_command = [
                sys.executable,
                str(folder / "floor.py"),
                str(answers),
                str(floor_port),
            ]
            with lib.running_service(floor_command, env, folder / "floor.log") as bare:
                floor = _wait_port(floor_port)
                lib.say(f"{args.rounds} rounds")
                results = measure(service, floor, paths, args.rounds)
                lib.say(f"CPU per request, {CPU_REQUESTS} requests each")
                for result in results:
                    path, floor_path = paths[result.name]
                    result.service_cpu = cpu_per_request(service, path, process.pid, CPU_REQUESTS)
                    if floor_path is not None:
                        result.floor_cpu = cpu_per_request(
                            floor, floor_path, bare.pid, CPU_REQUESTS
                        )
            rss = _rss_mib(process.pid)
        return results, rss


def _wait_port(port: int) -> Connection:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = Connection(port)
            connection.get("/healthz")
            return connection
        except OSError:
            time.sleep(0.1)  # sync-ok: polling a subprocess's port until it listens
    raise RuntimeError("the floor app did not start")


def _rss_mib(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return f"{int(line.split()[1]) / 1024:.0f} MiB"
    return "?"


def main() -> None:
    args = parse_args()
    results, rss = run(args)
    first = next(r for r in results if r.name == "first page")
    deep = next(r for r in results if r.name == "deep page")
    rows = []
    for result in results:
        floor = result.floor
        rows.append(
            [
                result.name,
                f"{result.body_bytes:_}",
                lib.ms(result.service.p50),
                lib.ms(result.service.p99),
                lib.ms(floor.p50) if floor else "-",
                f"{result.service.p50 / floor.p50:.2f} x" if floor else "-",
                lib.ms(result.service_cpu),
                lib.ms(result.floor_cpu) if floor else "-",
                f"{result.service_cpu / result.floor_cpu:.2f} x" if floor else "-",
            ]
        )
    headers = [
        "request",
        "bytes",
        "service p50",
        "service p99",
        "floor p50",
        "p50 service / floor",
        "service CPU per request",
        "floor CPU per request",
        "CPU service / floor",
    ]
    title = f"HTTP path, {args.database}, {args.rows:_} rows, {args.rounds} rounds"
    if args.backend is not None:
        title += f", service from {args.backend}"
    lib.show(title, headers, rows)
    summary = (
        f"Deep page / first page (p50): {deep.service.p50 / first.service.p50:.2f} x; "
        f"service RSS after the run: {rss}."
    )
    sys.stdout.write(summary + "\n")
    body = (
        f"{lib.run_header()}\n**{title}** (milliseconds)\n\n"
        f"{lib.markdown_table(headers, rows)}\n\n{summary}"
    )
    key = f"http_path-{args.database}" + ("-before" if args.backend is not None else "")
    lib.update_doc(key, body, enabled=not args.no_doc)


if __name__ == "__main__":
    main()
