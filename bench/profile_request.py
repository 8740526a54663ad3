"""Where one request's time goes: cProfile over the app's ASGI callable, in process.

The app is built with `create_app` and its lifespan runs, as under uvicorn; each request is
one ASGI call with the scope uvicorn would build (no socket, so what remains is the app's own
work: middleware, tracing, routing, dependencies, the endpoint, the database, serialisation).
Worker-thread hops are made inline (`anyio.to_thread.run_sync` runs the function at once) so
that cProfile, which sees one thread, sees the endpoint too; the hops' own cost is therefore
not in the profile (the HTTP benchmark, `bench/http_path.py`, includes it).

`--streams` plays 50 streams first, as `bench/bench_stream_status.py` does: the fake acexy and
engine in a process of their own, 2 000 channels, a redirect to each of the 50, one status
check (the sessions opened, their samples stored).

    PYTHONPATH=v2/backend .venv/bin/python bench/profile_request.py --path /healthz
    PYTHONPATH=v2/backend .venv/bin/python bench/profile_request.py --path /metrics --streams
"""

import asyncio
import contextlib
import cProfile
import multiprocessing
import pstats
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
import bench_stream_status as playing
import benchlib as lib
from fastapi import FastAPI
from metrics import settings_for
from pydantic import HttpUrl
from sqlalchemy.orm import Session

from app.main import create_app


async def _inline(func: Any, *args: Any, **_kwargs: Any) -> Any:
    return func(*args)


async def call(app: Any, path: str, accept: str = "*/*") -> bytes:
    """One GET through the ASGI app; the body it sent."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", accept.encode())],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    body: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(body)


@contextlib.contextmanager
def fake_peers() -> Iterator[tuple[str, str]]:
    """acexy and the engine with 50 streams playing, in a process of their own."""
    ours, theirs = multiprocessing.Pipe()
    fakes = multiprocessing.get_context("spawn").Process(
        target=playing.serve_fakes, args=(theirs,), daemon=True
    )
    fakes.start()
    try:
        yield ours.recv()
    finally:
        ours.send("stop")
        fakes.join()


async def play(app: FastAPI) -> None:
    """The 50 streams redirected to and found playing by one status check."""
    services = app.state.services
    now = datetime.now(UTC)
    with Session(app.state.engine) as session:
        playing.seed(session, now)
    await asyncio.to_thread(services.peer_status.refresh, now)
    acexy = services.peer_status.current().acexy
    tracked = await asyncio.to_thread(services.stream_sessions.track, now, acexy)
    assert tracked["playing"] == playing.PLAYING, tracked


async def profile(app: Any, path: str, times: int, top: int, *, streams: bool, accept: str) -> None:
    async with app.router.lifespan_context(app):
        if streams:
            await play(app)
        # After the start-up, whose peer check runs its own event loop in a worker thread.
        anyio.to_thread.run_sync = _inline  # type: ignore[assignment]
        for _ in range(50):
            await call(app, path, accept)
        samples = []
        cpu_start = time.process_time()
        for _ in range(times):
            start = time.perf_counter()
            await call(app, path, accept)
            samples.append(time.perf_counter() - start)
        cpu = (time.process_time() - cpu_start) / times
        lib.say(
            f"{path}: median {statistics.median(samples) * 1e6:.0f} µs per call unprofiled,"
            f" {cpu * 1e6:.0f} µs of CPU per call"
        )
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(times):
            await call(app, path, accept)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=100_000)
    parser.add_argument("--path", default="/api/v1/activity/recent?limit=50&days=30")
    parser.add_argument("--times", type=int, default=1000)
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--streams", action="store_true", help="with 50 streams playing")
    parser.add_argument(
        "--accept",
        default="*/*",
        help="the Accept header; Prometheus's own asks for OpenMetrics first:"
        " 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3'",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(lib.fresh_database(args.database))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        lib.seed_rows(url, lib.activity_rows(args.rows, newest=lib.utc_now(), span=timedelta(29)))
        settings = settings_for(url, folder)
        if args.streams:
            acexy, engine = stack.enter_context(fake_peers())
            settings = settings.model_copy(
                update={"acexy_url": HttpUrl(acexy), "acestream_engine_url": HttpUrl(engine)}
            )
        app = create_app(settings)
        asyncio.run(
            profile(app, args.path, args.times, args.top, streams=args.streams, accept=args.accept)
        )


if __name__ == "__main__":
    main()
