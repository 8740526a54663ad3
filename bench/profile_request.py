"""Where one request's time goes: cProfile over the app's ASGI callable, in process.

The app is built with `create_app` and its lifespan runs, as under uvicorn; each request is
one ASGI call with the scope uvicorn would build (no socket, so what remains is the app's own
work: middleware, tracing, routing, dependencies, the endpoint, the database, serialisation).
Worker-thread hops are made inline (`anyio.to_thread.run_sync` runs the function at once) so
that cProfile, which sees one thread, sees the endpoint too; the hops' own cost is therefore
not in the profile (the HTTP benchmark, `bench/http_path.py`, includes it).

    PYTHONPATH=v2/backend .venv/bin/python bench/profile_request.py --path /healthz
"""

import asyncio
import cProfile
import pstats
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
import benchlib as lib
from metrics import settings_for

from app.main import create_app


async def _inline(func: Any, *args: Any, **_kwargs: Any) -> Any:
    return func(*args)


async def call(app: Any, path: str) -> bytes:
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
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")],
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


async def profile(app: Any, path: str, times: int, top: int) -> None:
    async with app.router.lifespan_context(app):
        # After the start-up, whose peer check runs its own event loop in a worker thread.
        anyio.to_thread.run_sync = _inline  # type: ignore[assignment]
        for _ in range(50):
            await call(app, path)
        samples = []
        for _ in range(times):
            start = time.perf_counter()
            await call(app, path)
            samples.append(time.perf_counter() - start)
        lib.say(f"{path}: median {statistics.median(samples) * 1e6:.0f} µs per call unprofiled")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(times):
            await call(app, path)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=100_000)
    parser.add_argument("--path", default="/api/v1/activity/recent?limit=50&days=30")
    parser.add_argument("--times", type=int, default=1000)
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    with lib.fresh_database(args.database) as url, tempfile.TemporaryDirectory() as folder:
        lib.seed_rows(url, lib.activity_rows(args.rows, newest=lib.utc_now(), span=timedelta(29)))
        app = create_app(settings_for(url, Path(folder)))
        asyncio.run(profile(app, args.path, args.times, args.top))


if __name__ == "__main__":
    main()
