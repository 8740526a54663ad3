"""Benchmark 3: purging 1 000 000 expired rows while the dashboard keeps reading.

Seeds N expired rows (default 1 000 000, 8 to 38 days old; retention is the default 7 days)
and 50 000 fresh ones, then runs `RetentionService.purge(now)` (the `activity_cleanup` task:
batches of 5 000, one transaction each) while a reader thread calls
`ActivityService.recent()` (the dashboard's default first page) every 5 ms. The reader is
also timed for 3 s before and after the purge, for contrast. Each batch also subtracts its
rows from the hourly counts the histogram reads, in the same transaction.

Targets: purge < 30 s; reader p99 < 50 ms during the purge.
"""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

import benchlib as lib
import psycopg
from activity_paging import build_activity_service
from opentelemetry.sdk.trace import TracerProvider

from app.core.db import create_db_engine, create_session_factory
from app.observability.telemetry import TRACER_NAME
from app.services.activity import ActivityService
from app.services.config import ConfigService
from app.services.retention import DEFAULT_BATCH_SIZE, RetentionService
from app.services.state_changes import StateChangeRecorder, unknown_after
from app.services.stream_sessions import StreamSessionService
from app.utils.activity import ActivityRecorder

FRESH_ROWS = 50_000
READER_PAUSE = 0.005
CONTRAST_SECONDS = 3.0


@dataclass
class Reader:
    """Calls the dashboard's first page in a loop on its own thread, timing each call."""

    service: ActivityService
    samples: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="bench-reader", daemon=True)
        self._thread.start()

    def stop(self) -> lib.Stats:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(timeout=30)
        return lib.Stats.of(self.samples)

    def _loop(self) -> None:
        while not self._stop.is_set():
            start = time.perf_counter()
            try:
                page = self.service.recent(
                    days=None, types=None, limit=50, cursor=None, now=lib.utc_now()
                )
                assert len(page.items) == 50
            except Exception as exc:
                self.errors.append(repr(exc))
            self.samples.append(time.perf_counter() - start)
            self._stop.wait(READER_PAUSE)


def seed(url: str, expired: int) -> None:
    """Expired rows first (older ids), then fresh ones, as they would have been written."""
    lib.say(f"seeding {expired:_} expired + {FRESH_ROWS:_} fresh rows")
    newest = lib.utc_now() - timedelta(days=8)  # 8 to 38 days old: past the 7-day retention
    lib.seed_rows(
        url, lib.activity_rows(expired, newest=newest, span=timedelta(days=30)), analyze=False
    )
    fresh = lib.activity_rows(FRESH_ROWS, newest=lib.utc_now(), span=timedelta(days=6), seed=7)
    lib.seed_rows(url, fresh)


def read_for(service: ActivityService, seconds: float) -> lib.Stats:
    reader = Reader(service)
    reader.start()
    time.sleep(seconds)
    return reader.stop()


def wal_size(url: str) -> str:
    if not url.startswith("sqlite"):
        return "n/a"
    path = lib.sqlite_path(url) + "-wal"
    return f"{os.path.getsize(path) / 2**20:.0f} MiB" if os.path.exists(path) else "0"


def dead_tuples(url: str) -> str:
    if url.startswith("sqlite"):
        return "n/a"
    with psycopg.connect(lib.psycopg_dsn(url)) as connection:
        row = connection.execute(
            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'activity_log'"
        ).fetchone()
    return f"{row[0]:_}" if row else "?"


@dataclass
class Purge:
    """One purge under a reader: how long it took and what the reader saw meanwhile."""

    name: str
    seconds: float
    deleted: int
    during: lib.Stats
    errors: list[str]
    wal: str
    dead: str


def purge_under_reader(
    name: str, url: str, service: ActivityService, purge: Callable[[], int]
) -> Purge:
    reader = Reader(service)
    reader.start()
    start = time.perf_counter()
    deleted = purge()
    seconds = time.perf_counter() - start
    during = reader.stop()
    lib.say(f"{name}: {seconds:.1f} s, deleted {deleted:_}, reader p99 {lib.ms(during.p99)} ms")
    return Purge(name, seconds, deleted, during, reader.errors, wal_size(url), dead_tuples(url))


def run(url: str, expired: int) -> dict[str, Any]:
    """The product's purge under the reader, with the reader alone before and after."""
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
    streams = StreamSessionService(
        sessions,
        recorder,
        StateChangeRecorder(unknown_after=unknown_after(15)),
        acexy_url="http://127.0.0.1:9",
        sample_seconds=15,
    )
    retention = RetentionService(
        sessions, ConfigService(sessions, recorder), recorder, streams, uptime_retention_days=90
    )
    service = build_activity_service(sessions)
    before = read_for(service, CONTRAST_SECONDS)
    product = purge_under_reader(
        "RetentionService.purge",
        url,
        service,
        lambda: int(cast(int, retention.purge(lib.utc_now())["deleted"])),
    )
    left = lib.count_rows(engine)
    after = read_for(service, CONTRAST_SECONDS)
    engine.dispose()
    return {"purges": [product], "before": before, "after": after, "left": left}


def report(database: str, rows: int, result: dict[str, Any], doc: bool) -> None:
    product: Purge = result["purges"][0]
    purge_headers = ["purge", "seconds", "rows deleted", "rows/s", "ms per 5 000-row batch"]
    purge_headers += ["reader calls", "reader p50 ms", "p95 ms", "p99 ms", "max ms"]
    purge_table = []
    for p in result["purges"]:
        batches = max(1, -(-p.deleted // DEFAULT_BATCH_SIZE))
        s = p.during
        speed = [f"{p.deleted / p.seconds:,.0f}", f"{p.seconds / batches * 1000:.0f}"]
        reader = [s.count, *(lib.ms(v) for v in (s.p50, s.p95, s.p99, s.max))]
        purge_table.append([p.name, f"{p.seconds:.1f}", f"{p.deleted:_}", *speed, *reader])
    facts = [
        ["rows left after the product's purge", f"{result['left']:_} (the fresh ones)"],
        ["SQLite WAL file after the product's purge", product.wal],
        ["PostgreSQL dead tuples after the product's purge", product.dead],
        ["reader errors during the purges", sum(len(p.errors) for p in result["purges"]) or "none"],
    ]
    reader_headers = ["reader (first page), no purge", "calls", "p50 ms", "p95 ms", "p99 ms"]
    reader_table = [
        [name, s.count, lib.ms(s.p50), lib.ms(s.p95), lib.ms(s.p99)]
        for name, s in (("before the purges", result["before"]), ("after", result["after"]))
    ]
    ok_rows = product.deleted == rows and not product.errors
    p99 = product.during.p99
    targets = [
        ["purge < 30 s", f"{product.seconds:.1f} s", lib.verdict(product.seconds < 30 and ok_rows)],
        ["reader p99 < 50 ms during the purge", f"{lib.ms(p99)} ms", lib.verdict(p99 < 50)],
    ]
    lib.show(f"cleanup, {database}, {rows:_} expired rows", purge_headers, purge_table)
    lib.show("facts", ["", ""], facts)
    lib.show("reader without a purge", reader_headers, reader_table)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {database}, {rows:_} expired rows\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(purge_headers, purge_table),
            lib.markdown_table(["", ""], facts),
            lib.markdown_table(reader_headers, reader_table),
        ]
    )
    lib.update_doc(f"cleanup:{database}", body, enabled=doc)


def main() -> None:
    args = lib.base_parser(__doc__.splitlines()[0]).parse_args()
    with lib.fresh_database(args.database) as url:
        seed(url, args.rows)
        result = run(url, args.rows)
    report(args.database, args.rows, result, not args.no_doc)


if __name__ == "__main__":
    main()
