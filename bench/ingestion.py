"""Benchmark 2: how fast activity gets into the table, and what recording costs the caller.

The real path: `ActivityRecorder.record()` -> span -> `BatchSpanProcessor` (attached by
`app.observability.telemetry.attach_exporters`, as the service does in its default "batch" mode) ->
`ActivitySpanExporter` -> `activity_log`, with the service's default settings. N events
(default 50 000) are recorded in a burst, then `provider.force_flush()`; the clock stops when
every row the queue kept is in the table (rows it refused are counted, as the service's
metric counts them). The baseline inserts the same rows with a raw DBAPI `executemany`, in
transactions of 512 rows (the processor's batch size): the ratio is the overhead of spans,
conversion and SQLAlchemy. Rounds alternate (the machine is noisy); the best of each kind
counts. A breakdown then times each stage per row on spans recorded in advance; its
"exporter" line is the drain rate of the background half of the path (spans already
recorded -> table).

Per-call cost is timed around every `record()` of the burst, and again at a steady 2 000
events/s, when the export thread is mostly idle.

Targets: real path >= 50 % of raw rows/s; cost per `record()` <= 50 us (p50 and mean).
"""

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import benchlib as lib
import psycopg
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.db import create_db_engine, create_session_factory
from app.observability.activity_exporter import ActivitySpanExporter, span_to_row
from app.observability.telemetry import (
    TRACER_NAME,
    ActivityQueue,
    attach_exporters,
    build_tracer_provider,
)
from app.repositories import activity as activity_repository
from app.utils import redaction
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType

ROUNDS = 2
RAW_BATCH = 512  # BatchSpanProcessor's default max_export_batch_size
PACED_EVENTS = 4_000
PACED_RATE = 2_000  # events per second
BREAKDOWN_EVENTS = 10_240
REAL = "real path (service defaults)"
RAW = "raw executemany"
EXPORT_STAGE = "ActivitySpanExporter.export, 512/call"
RAW_STAGE = "raw DBAPI executemany, 512/tx"


@dataclass(frozen=True)
class Event:
    type: ActivityType
    message: str
    details: dict[str, Any]
    user: str | None
    level: ActivityLevel


@dataclass(frozen=True)
class Round:
    name: str
    seconds: float
    stored: int
    refused: int = 0

    @property
    def rate(self) -> float:
        return self.stored / self.seconds


def make_events(count: int) -> list[Event]:
    """The seeding mix, as the arguments a caller would pass to `record()`."""
    rows = lib.activity_rows(count, newest=lib.utc_now(), span=timedelta(hours=1))
    events = [
        Event(ActivityType(kind), message, json.loads(details), user, ActivityLevel(level))
        for _ts, kind, level, message, details, user, _trace, _span in rows
    ]
    for index, event in enumerate(events):
        if event.type is ActivityType.ERROR:
            # Each error raised on a line of its own, so that none folds into another
            # (app.observability.activity_folding): this measures storing rows, not counting
            # repeats.
            event.details["exception"]["stacktrace"] += f'  File "x.py", line {index}, in f\n'
    return events


def raw_rows(events: Sequence[Event]) -> list[tuple[Any, ...]]:
    """The rows the exporter would write, pre-encoded: the floor of what storing costs."""
    now = datetime.now(UTC)
    return [
        (
            *(now, e.type.value, e.level.value, e.message, json.dumps(e.details), e.user),
            f"{i:032x}",
            f"{i:016x}",
        )
        for i, e in enumerate(events)
    ]


def raw_insert(url: str, rows: list[tuple[Any, ...]]) -> float:
    """Insert `rows` with the DBAPI's executemany, RAW_BATCH rows per transaction."""
    columns = ", ".join(f'"{c}"' for c in lib.SEED_COLUMNS)
    start = time.perf_counter()
    if url.startswith("sqlite"):
        statement = f"INSERT INTO activity_log ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"  # noqa: S608
        connection = sqlite3.connect(lib.sqlite_path(url))
        connection.execute("PRAGMA synchronous = NORMAL")  # as the service's engine sets it
        stamp = rows[0][0].strftime("%Y-%m-%d %H:%M:%S.%f")
        for first in range(0, len(rows), RAW_BATCH):
            with connection:
                batch = [(stamp, *r[1:]) for r in rows[first : first + RAW_BATCH]]
                connection.executemany(statement, batch)
        connection.close()
    else:
        values = "%s, %s, %s, %s, %s::jsonb, %s, %s, %s"
        statement = f"INSERT INTO activity_log ({columns}) VALUES ({values})"  # noqa: S608
        with psycopg.connect(lib.psycopg_dsn(url)) as connection:
            for first in range(0, len(rows), RAW_BATCH):
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.executemany(statement, rows[first : first + RAW_BATCH])
    return time.perf_counter() - start


def build_pipeline(
    url: str, engine: Engine
) -> tuple[TracerProvider, ActivityRecorder, ActivityQueue]:
    """The provider, processor and exporter exactly as `app.main.lifespan` wires them."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        activity_export="batch",
        otel_exporter_otlp_endpoint=None,
    )
    provider = build_tracer_provider(settings)
    exporter = ActivitySpanExporter(create_session_factory(engine))
    queue = attach_exporters(provider, settings, exporter)
    assert queue is not None  # "batch" mode
    return provider, ActivityRecorder(provider.get_tracer(TRACER_NAME)), queue


def record_all(
    recorder: ActivityRecorder, events: Sequence[Event], pace: float | None = None
) -> list[float]:
    """Record every event; returns each `record()` call's duration in seconds.

    With `pace` (events/s) the calls are spread out in time instead of fired in a burst.
    """
    durations = []
    clock = time.perf_counter
    begin = clock()
    for index, e in enumerate(events):
        if pace is not None:
            delay = begin + index / pace - clock()
            if delay > 0:
                time.sleep(delay)
        start = clock()
        recorder.record(e.type, e.message, details=e.details, user=e.user, level=e.level)
        durations.append(clock() - start)
    return durations


def real_round(url: str, engine: Engine, events: Sequence[Event]) -> tuple[Round, list[float]]:
    """Burst through the real path; the clock runs until force_flush has stored everything."""
    provider, recorder, queue = build_pipeline(url, engine)
    start = time.perf_counter()
    durations = record_all(recorder, events)
    provider.force_flush()
    seconds = time.perf_counter() - start
    stored = lib.count_rows(engine)
    provider.shutdown()
    return Round(REAL, seconds, stored, queue.spans_refused), durations


def paced_costs(url: str, engine: Engine, events: Sequence[Event]) -> list[float]:
    provider, recorder, _queue = build_pipeline(url, engine)
    durations = record_all(recorder, events, pace=PACED_RATE)
    provider.force_flush()
    provider.shutdown()
    return durations


def bare_costs(events: Sequence[Event]) -> list[float]:
    """Cost of `record()` with no processor at all: span creation and attributes only."""
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
    return record_all(recorder, events)


def empty_table(url: str, engine: Engine) -> None:
    """Start every round on an empty table (and, on PostgreSQL, without dead tuples)."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM activity_log"))
    if engine.dialect.name == "postgresql":
        with psycopg.connect(lib.psycopg_dsn(url), autocommit=True) as connection:
            connection.execute("VACUUM activity_log")


# -- breakdown: each stage of the exporter, per row ----------------------------------------


def recorded_spans(events: Sequence[Event]) -> list[ReadableSpan]:
    memory = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(memory))
    record_all(ActivityRecorder(provider.get_tracer(TRACER_NAME)), events)
    return list(memory.get_finished_spans())


def per_row(
    rows: int, work: Callable[[], object], setup: Callable[[], object] | None = None
) -> float:
    """Best of 3 runs of `work` (each after `setup`, untimed), in microseconds per row."""
    best = float("inf")
    for _ in range(3):
        if setup is not None:
            setup()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best / rows * 1e6


def insert_in_batches(
    sessions: sessionmaker[Session], rows: list[dict[str, Any]], insert: Callable[..., object]
) -> None:
    for first in range(0, len(rows), RAW_BATCH):
        with sessions.begin() as session:
            insert(session, rows[first : first + RAW_BATCH])


def take_id_order_lock(sessions: sessionmaker[Session], rows: int) -> None:
    """What `insert_rows` adds on PostgreSQL so that ids commit in order (the live stream's
    tailer relies on it): one advisory-lock statement in each transaction. Taken once per
    512 rows inside one open transaction, so only that statement is timed."""
    with sessions.begin() as session:
        for _ in range(0, rows, RAW_BATCH):
            session.execute(text("SELECT pg_advisory_xact_lock(1)"))


def breakdown(url: str, engine: Engine, events: Sequence[Event]) -> list[list[str]]:
    """Microseconds per row of each stage, on the same spans; best of 3 runs each."""
    spans = recorded_spans(events)
    sessions = create_session_factory(engine)
    rows = [row for span in spans if (row := span_to_row(span)) is not None]
    details = [json.loads(str((span.attributes or {})["activity.details"])) for span in spans]
    exporter = ActivitySpanExporter(sessions)
    raw = raw_rows(events)

    def clear() -> None:
        empty_table(url, engine)

    def export_all() -> None:
        for first in range(0, len(spans), RAW_BATCH):
            exporter.export(spans[first : first + RAW_BATCH])

    n = len(spans)
    lock = []
    if engine.dialect.name == "postgresql":
        lock_us = per_row(n, lambda: take_id_order_lock(sessions, n))
        lock = [("↳ of which the id-order lock, 1 statement per 512 rows", lock_us)]
    stages = [
        ("record(): span only, no processor", per_row(n, lambda: bare_costs(events))),
        ("span_to_row (all of it)", per_row(n, lambda: [span_to_row(s) for s in spans])),
        ("↳ of which redact(details)", per_row(n, lambda: [redaction.redact(d) for d in details])),
        ("insert_rows (SQLite: INSERT; PostgreSQL: COPY), 512/tx", per_row(n, lambda: insert_in_batches(sessions, rows, activity_repository.insert_rows), clear)),  # noqa: E501
        *lock,
        (RAW_STAGE, per_row(n, lambda: raw_insert(url, raw), clear)),
        (EXPORT_STAGE, per_row(n, export_all, clear)),
    ]  # fmt: skip
    empty_table(url, engine)
    return [[name, f"{us:.1f}", f"{1e6 / us:,.0f}"] for name, us in stages]


# -- the run ---------------------------------------------------------------------------------


def microseconds(samples: Sequence[float]) -> tuple[float, float, float]:
    stats = lib.Stats.of(samples)
    return stats.p50 * 1000, stats.mean * 1000, stats.p99 * 1000


def run(url: str, count: int) -> dict[str, Any]:
    engine = create_db_engine(url)
    events = make_events(count)
    rows = raw_rows(events)
    rounds: list[Round] = []
    burst: list[float] = []
    for number in range(1, ROUNDS + 1):
        empty_table(url, engine)
        rounds.append(Round(RAW, raw_insert(url, rows), len(rows)))
        empty_table(url, engine)
        real, durations = real_round(url, engine, events)
        rounds.append(real)
        burst = burst or durations
        lib.say(f"round {number}: " + ", ".join(f"{r.name} {r.rate:,.0f}/s" for r in rounds[-2:]))
    empty_table(url, engine)
    paced = paced_costs(url, engine, events[:PACED_EVENTS])
    bare = bare_costs(events[:PACED_EVENTS])
    stages = breakdown(url, engine, events[:BREAKDOWN_EVENTS])
    engine.dispose()
    return {"rounds": rounds, "burst": burst, "paced": paced, "bare": bare, "stages": stages}


def best(rounds: list[Round], name: str) -> Round:
    return max((r for r in rounds if r.name == name), key=lambda r: r.rate)


def report(database: str, count: int, result: dict[str, Any], doc: bool) -> None:
    rounds: list[Round] = result["rounds"]
    raw, real = best(rounds, RAW), best(rounds, REAL)
    lost = max(count - r.stored for r in rounds if r.name == REAL)
    refused = max(r.refused for r in rounds)
    round_table = [
        [r.name, f"{r.seconds:.2f}", f"{r.stored:_}", f"{count - r.stored:_}", f"{r.rate:,.0f}"]
        for r in rounds
    ]
    stage_us = {name: float(us) for name, us, _rate in result["stages"]}
    drain = stage_us[RAW_STAGE] / stage_us[EXPORT_STAGE]
    burst_p50, burst_mean, _ = microseconds(result["burst"])
    cost_table = [
        ["burst (first real round above)", *(f"{v:.1f}" for v in microseconds(result["burst"]))],
        [f"steady {PACED_RATE}/s", *(f"{v:.1f}" for v in microseconds(result["paced"]))],
        ["no processor (span only)", *(f"{v:.1f}" for v in microseconds(result["bare"]))],
    ]
    targets = [
        [
            "real path >= 50 % of raw rows/s",
            f"{real.rate / raw.rate:.0%} ({real.rate:,.0f} vs {raw.rate:,.0f} rows/s); "
            f"background half alone (exporter): {drain:.0%}",
            lib.verdict(real.rate >= 0.5 * raw.rate and lost == 0),
        ],
        [
            "no row lost in the burst",
            f"{lost:_} of {count:_} lost ({refused:_} refused by a full queue, counted)",
            lib.verdict(lost == 0),
        ],
        [
            "record() <= 50 us (burst p50 and mean)",
            f"p50 {burst_p50:.1f} us, mean {burst_mean:.1f} us",
            lib.verdict(burst_p50 <= 50 and burst_mean <= 50),
        ],
    ]
    round_headers = ["run", "seconds", "rows stored", "rows lost", "rows/s"]
    cost_headers = ["record() cost", "p50 us", "mean us", "p99 us"]
    stage_headers = ["stage (per row)", "us/row", "rows/s alone"]
    lib.show(f"ingestion, {database}, {count:_} events", round_headers, round_table)
    lib.show("cost per record()", cost_headers, cost_table)
    lib.show("breakdown", stage_headers, result["stages"])
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {database}, {count:_} events\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(round_headers, round_table),
            lib.markdown_table(cost_headers, cost_table),
            f"Breakdown on {BREAKDOWN_EVENTS:_} pre-recorded spans (best of 3):",
            lib.markdown_table(stage_headers, result["stages"]),
        ]
    )
    lib.update_doc(f"ingestion:{database}", body, enabled=doc)


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--events", type=int, default=50_000, help="default 50_000")
    args = parser.parse_args()
    with lib.fresh_database(args.database) as url:
        result = run(url, args.events)
    report(args.database, args.events, result, not args.no_doc)


if __name__ == "__main__":
    main()
