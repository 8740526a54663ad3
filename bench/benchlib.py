"""Shared pieces of the benchmarks: databases, fast seeding, timing, tables and the doc.

Every benchmark runs against a fresh database it owns: an SQLite file in a temporary folder,
or the PostgreSQL database `acestream_bench` (dropped and created again; override the server
with BENCH_POSTGRES_URL, the name with BENCH_POSTGRES_DB). Both are migrated with the
service's own `upgrade_to_head`, so the schema and indexes are exactly what production runs on.
"""

import argparse
import contextlib
import json
import os
import platform
import random
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, create_engine, make_url, text

# Starlette's TestClient (bench/metrics.py) still runs on httpx and says so on every import.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "performance.md"
# Another name lets two benchmarks share the server without dropping each other's database.
BENCH_DB_NAME = os.environ.get("BENCH_POSTGRES_DB", "acestream_bench")
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASES = ("sqlite", "postgresql")
# 1, 5 and 15 minute load averages when the benchmark started: how busy the machine was.
_LOAD_AT_START = os.getloadavg()

# A realistic mix: most rows are task runs and peer state changes, few are people's actions.
TYPE_MIX: tuple[tuple[str, float], ...] = (
    ("background_task", 0.55),
    ("system_event", 0.20),
    ("scrape", 0.12),
    ("error", 0.10),
    ("user_action", 0.03),
)
SEED_COLUMNS = ("timestamp", "type", "level", "message", "details", "user", "trace_id", "span_id")
SeedRow = tuple[datetime, str, str, str, str, str | None, str, str]


# -- command line and output -------------------------------------------------------------


def base_parser(description: str, *, rows: int | None = 1_000_000) -> argparse.ArgumentParser:
    """`--database`, `--rows` (when the benchmark seeds rows) and `--no-doc`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=DATABASES, default="sqlite")
    if rows is not None:
        parser.add_argument("--rows", type=int, default=rows, help=f"default {rows:_}")
    parser.add_argument(
        "--no-doc", action="store_true", help="print only; leave docs/performance.md alone"
    )
    return parser


def command_line() -> str:
    """The exact command that ran this benchmark, as someone would type it at the repo root."""
    script = Path(sys.argv[0]).resolve()
    try:
        script_arg = str(script.relative_to(REPO))
    except ValueError:
        script_arg = str(script)
    return "PYTHONPATH=v2/backend .venv/bin/python " + shlex.join([script_arg, *sys.argv[1:]])


def say(message: str) -> None:
    """Progress to stderr, so stdout holds only the result tables."""
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def text_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A fixed-width table for the terminal."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def show(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    sys.stdout.write(f"\n{title}\n{text_table(headers, rows)}\n")
    sys.stdout.flush()


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


# -- timing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Latency summary in milliseconds."""

    count: int
    p50: float
    p95: float
    p99: float
    mean: float
    max: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> "Stats":
        ordered = sorted(seconds)
        if not ordered:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"), float("nan"))

        def pick(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

        return cls(
            count=len(ordered),
            p50=statistics.median(ordered) * 1000,
            p95=pick(0.95),
            p99=pick(0.99),
            mean=statistics.fmean(ordered) * 1000,
            max=ordered[-1] * 1000,
        )


def ms(value: float) -> str:
    """A millisecond figure with sensible precision."""
    if value != value:  # NaN
        return "n/a"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def time_calls(call: Callable[[], object], *, times: int, warmup: int = 5) -> Stats:
    """Call `call` `warmup` times untimed (caches, prepared statements), then `times` timed."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return Stats.of(samples)


# -- databases ------------------------------------------------------------------------------


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """Yield the URL of an empty, migrated database of `kind`; remove it afterwards."""
    from app.core.db import create_db_engine
    from app.core.migrations import upgrade_to_head

    with _empty_database(kind) as url:
        engine = create_db_engine(url)
        upgrade_to_head(engine)
        engine.dispose()
        yield url


@contextmanager
def _empty_database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="acestream-bench-") as folder:
            yield f"sqlite:///{folder}/acestream.db"
        return
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{BENCH_DB_NAME}" WITH (FORCE)')
    with admin.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f'CREATE DATABASE "{BENCH_DB_NAME}"'))
    try:
        yield make_url(ADMIN_URL).set(database=BENCH_DB_NAME).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()


def psycopg_dsn(url: str) -> str:
    """The libpq form of a `postgresql+psycopg://` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def sqlite_path(url: str) -> str:
    database = make_url(url).database
    assert database is not None
    return database


# -- seeding --------------------------------------------------------------------------------

_STACK = "".join(
    f'  File "/app/v2/backend/app/services/scraper.py", line {n}, in fetch\n'
    "    response = client.get(url, timeout=timeout)\n"
    for n in range(100, 112)
)
_TEMPLATES: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "background_task": [
        (
            "info",
            f"Task {task} finished",
            {"task": task, "trigger": "schedule", "duration_seconds": 0.042, "result": {"ok": 1}},
        )
        for task in ("status_check", "playlist_generation", "epg_refresh", "activity_cleanup")
    ],
    "system_event": [
        ("warning", "acexy is not reachable", {"peer": "acexy", "reason": "ConnectError"}),
        ("info", "acexy is reachable", {"peer": "acexy", "reason": None}),
        ("info", "WARP is connected", {"peer": "WARP", "reason": None}),
        ("info", "Service started", {"version": "2.0.0", "database": "sqlite"}),
    ],
    "scrape": [
        (
            "info",
            f"Scraped {n} sources",
            {"sources": n, "channels_found": 40 * n, "new": n % 7, "urls": ["https://e.org/l"]},
        )
        for n in range(1, 6)
    ],
    "error": [
        (
            "error",
            "Task scrape failed: ConnectTimeout: timed out",
            {
                "activity_type": "background_task",
                "task": "scrape",
                "exception": {
                    "type": "httpx.ConnectTimeout",
                    "message": "timed out",
                    "stacktrace": "Traceback (most recent call last):\n" + _STACK,
                },
            },
        )
    ],
    "user_action": [
        (
            "info",
            "Dashboard configuration changed: retention_days",
            {"changes": {"retention_days": {"old": 7, "new": 14}}},
        ),
        ("info", "Task scrape run requested", {"task": "scrape", "trigger": "manual"}),
    ],
}
_ENCODED = {
    kind: [(level, message, json.dumps(details)) for level, message, details in templates]
    for kind, templates in _TEMPLATES.items()
}


def activity_rows(
    count: int, *, newest: datetime, span: timedelta, seed: int = 42
) -> Iterator[SeedRow]:
    """`count` activity rows, oldest first, spread evenly over `span` up to `newest`.

    Oldest first means ids grow with time, as they do when the exporter writes them. Types
    follow TYPE_MIX; error rows carry a stack trace, like real ones (rows are ~200-1100 bytes).
    """
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    kinds = [kind for kind, _ in TYPE_MIX]
    weights = [weight for _, weight in TYPE_MIX]
    types = rng.choices(kinds, weights, k=count)
    step = span / max(count, 1)
    oldest = newest - span
    for index, kind in enumerate(types):
        level, message, details = rng.choice(_ENCODED[kind])
        user = "api-token" if kind == "user_action" else None
        yield (
            oldest + step * (index + 1),
            kind,
            level,
            message,
            details,
            user,
            f"{rng.getrandbits(128):032x}",
            f"{rng.getrandbits(64):016x}",
        )


def seed_rows(url: str, rows: Iterable[SeedRow], *, analyze: bool = True) -> int:
    """Bulk-insert `rows` into `activity_log` (COPY on PostgreSQL, executemany on SQLite).

    The hourly counts the histogram reads are then rebuilt (the rows went around the
    repository that keeps them). On PostgreSQL the tables are then VACUUM ANALYZEd, as
    autovacuum would soon do on its own; SQLite is left without ANALYZE because the service
    never runs it.
    """
    from app.core.db import create_db_engine, create_session_factory
    from app.repositories import activity as activity_repository

    if make_url(url).get_backend_name() == "sqlite":
        count = _seed_sqlite(sqlite_path(url), rows)
    else:
        count = _seed_postgresql(url, rows)
    engine = create_db_engine(url)
    with create_session_factory(engine).begin() as session:
        activity_repository.rebuild_hourly_counts(session)
    engine.dispose()
    if analyze and make_url(url).get_backend_name() == "postgresql":
        with psycopg.connect(psycopg_dsn(url), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE activity_log")
            connection.execute("VACUUM ANALYZE activity_hourly_counts")
    return count


def _seed_sqlite(path: str, rows: Iterable[SeedRow], chunk: int = 50_000) -> int:
    """One transaction per `chunk` rows, so a running app's writer never waits long."""
    columns = ", ".join(f'"{c}"' for c in SEED_COLUMNS)
    statement = f"INSERT INTO activity_log ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"  # noqa: S608
    count = 0
    connection = sqlite3.connect(path, timeout=30)
    try:
        batch: list[tuple[object, ...]] = []
        for row in rows:
            # The service's UTCDateTime stores naive UTC text in this exact format.
            batch.append((row[0].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), *row[1:]))
            if len(batch) == chunk:
                with connection:
                    connection.executemany(statement, batch)
                count += len(batch)
                batch.clear()
        with connection:
            connection.executemany(statement, batch)
        count += len(batch)
    finally:
        connection.close()
    return count


def _seed_postgresql(url: str, rows: Iterable[SeedRow]) -> int:
    columns = ", ".join(f'"{c}"' for c in SEED_COLUMNS)
    count = 0
    with (
        psycopg.connect(psycopg_dsn(url)) as connection,
        connection.cursor() as cursor,
        cursor.copy(f"COPY activity_log ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def count_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM activity_log")).scalar_one())


# -- explain -----------------------------------------------------------------------------------


def explain(engine: Engine, statement: str, parameters: Any) -> str:
    """The plan of a statement exactly as SQLAlchemy sent it (SQL text and parameters).

    SQLite: EXPLAIN QUERY PLAN. PostgreSQL: EXPLAIN (ANALYZE, BUFFERS), which runs it and
    shows actual rows and time next to the estimates.
    """
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return _sqlite_plan(cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return "\n".join(row[0] for row in cursor.fetchall())
    finally:
        connection.rollback()
        connection.close()


def _sqlite_plan(rows: Sequence[tuple[int, int, int, str]]) -> str:
    depth = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return "\n".join(lines)


def one_line_sql(statement: str) -> str:
    return " ".join(statement.split())


# -- the document -----------------------------------------------------------------------------


def machine() -> str:
    """`nproc`, `free -h` and the CPU model, as the doc records them beside each result."""
    cpus = os.cpu_count()
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    free = shutil.which("free")
    memory = "?"
    if free:
        done = subprocess.run([free, "-h"], capture_output=True, text=True, check=False)  # noqa: S603
        for line in done.stdout.splitlines():
            if line.startswith("Mem:"):
                memory = line.split()[1]
    return (
        f"nproc {cpus}, RAM {memory} (`free -h`), CPU {model}, Python {platform.python_version()}"
    )


def code_version() -> str:
    """The commit measured, and whether v2/ had uncommitted changes (read-only git calls)."""
    git = shutil.which("git")
    if git is None:
        return "unknown code version"
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # never write the index
    head = subprocess.run(  # noqa: S603
        [git, "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, env=env
    ).stdout.strip()
    changes = subprocess.run(  # noqa: S603
        [git, "status", "--porcelain", "--untracked-files=no", "--", "v2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    return f"commit {head or '?'}" + (" with uncommitted changes in v2/" if changes else "")


def run_header() -> str:
    """The date, code, machine and command lines every result block in the doc starts with."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{value:.2f}" for value in _LOAD_AT_START)
    return (
        f"Measured {stamp}, {code_version()}, on {machine()}; load average before the run "
        f"{load}.\n\n```sh\n{command_line()}\n```\n"
    )


def update_doc(key: str, body: str, *, enabled: bool = True) -> None:
    """Replace the block between `<!-- BEGIN key -->` and `<!-- END key -->` in the doc.

    A block that is not there yet is appended at the end; the rest of the doc is untouched,
    so the hand-written parts survive every run.
    """
    if not enabled:
        return
    begin, end = f"<!-- BEGIN {key} -->", f"<!-- END {key} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        _old, tail = rest.split(end, 1)
        updated = head + block + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(updated, encoding="utf-8")
    say(f"updated {DOC.relative_to(REPO)} [{key}]")


def code_block(content: str, language: str = "text") -> str:
    return f"```{language}\n{content.rstrip()}\n```"


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- the service in a subprocess (load.py, kill_audit.py, activity_stream.py) -------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def service_env(url: str, data_dir: Path, port: int, **settings: str) -> dict[str, str]:
    """The environment `python -m app` starts with: our shell's settings left out, the
    database and folder given, and `settings` (e.g. ACEXY_URL="...") on top."""
    from app.core.config import Settings  # benchlib loads nothing of the app at import

    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(
        PYTHONPATH=str(REPO / "v2" / "backend"),
        HOST="127.0.0.1",
        PORT=str(port),
        DATA_DIR=str(data_dir),
        DATABASE_URL=url,
        **settings,
    )
    return env


@contextmanager
def running_service(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run the service until the block ends; SIGINT (as Ctrl-C), then SIGKILL after 20 s."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, our own script
            command,
            cwd=log.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Return once the service at `base_url` answers /readyz with 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}; see its log")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the service was not ready within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
