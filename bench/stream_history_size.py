"""Benchmark 13: how big the streams' history grows: 30 days x 10 streams playing all the
time, on SQLite, with the daily retention cleanup downsampling it.

Each simulated day stores a raw sample of each stream every 15 s (STATUS_CHECK_INTERVAL_
SECONDS' default: 5 760 a stream a day), then runs `StreamSessionService.compact` as the
daily `activity_cleanup` does (30-day retention). At the end: rows by resolution and the
bytes the two tables and their indexes take (SQLite's `dbstat`, after VACUUM). The worst
case for the size: ten streams that never stop.
"""

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import benchlib as lib
from opentelemetry.sdk.trace import TracerProvider

from app.core.db import create_db_engine, create_session_factory
from app.observability.telemetry import TRACER_NAME
from app.repositories import stream_sessions as sessions_repository
from app.repositories.stream_sessions import NewSession
from app.services.state_changes import StateChangeRecorder, unknown_after
from app.services.stream_sessions import StreamSessionService
from app.utils.activity import ActivityRecorder

STREAMS = 10
DAYS = 30
INTERVAL_SECONDS = 15
START = datetime(2026, 11, 1, tzinfo=UTC)


def day_of_samples(session_ids: list[int], day: int) -> list[dict[str, Any]]:
    first = START + timedelta(days=day)
    return [
        {
            "session_id": session_id,
            "at": first + timedelta(seconds=INTERVAL_SECONDS * n),
            "resolution_seconds": INTERVAL_SECONDS,
            "clients": 1 + n % 3,
            "engine_status": "dl",
            "peers": 10 + n % 40,
            "speed_down_kbps": 500.0 + n % 300,
            "speed_up_kbps": 40.0 + n % 60,
            "downloaded_bytes": 600_000 * n,
            "uploaded_bytes": 50_000 * n,
            "stalled": False,
        }
        for session_id in session_ids
        for n in range(86_400 // INTERVAL_SECONDS)
    ]


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    args = parser.parse_args()
    header = lib.run_header()
    with lib.fresh_database("sqlite") as url:
        db = create_db_engine(url)
        sessions = create_session_factory(db)
        recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
        streams = StreamSessionService(
            sessions,
            recorder,
            StateChangeRecorder(unknown_after=unknown_after(INTERVAL_SECONDS)),
            acexy_url="http://127.0.0.1:9",
            sample_seconds=INTERVAL_SECONDS,
        )
        with sessions.begin() as session:
            ids = [
                sessions_repository.open_session(
                    session, NewSession((f"{n:040x}", "content_id"), START, None, None)
                )
                for n in range(STREAMS)
            ]
        session_ids = [session_id for session_id in ids if session_id is not None]
        compact_seconds = []
        for day in range(DAYS):
            with sessions.begin() as session:
                sessions_repository.add_samples(session, day_of_samples(session_ids, day))
            end_of_day = START + timedelta(days=day + 1)
            start = time.perf_counter()
            streams.compact(end_of_day, end_of_day - timedelta(days=30))
            compact_seconds.append(time.perf_counter() - start)
            lib.say(f"day {day + 1}: compacted in {compact_seconds[-1]:.2f} s")
        db.dispose()
        connection = sqlite3.connect(lib.sqlite_path(url))
        connection.execute("VACUUM")
        by_resolution = connection.execute(
            "SELECT resolution_seconds, COUNT(*) FROM stream_samples "
            "GROUP BY resolution_seconds ORDER BY resolution_seconds"
        ).fetchall()
        sizes = dict(
            connection.execute(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE '%stream_s%' GROUP BY name"
            ).fetchall()
        )
        connection.close()

    total_rows = sum(count for _, count in by_resolution)
    total_bytes = sum(sizes.values())
    rows = [
        *[(f"samples at {resolution} s", f"{count:_}") for resolution, count in by_resolution],
        ("samples, all", f"{total_rows:_}"),
        *[(f"bytes: {name}", f"{size:_}") for name, size in sorted(sizes.items())],
        ("bytes, all (tables and indexes)", f"{total_bytes:_} ({total_bytes / 2**20:.1f} MiB)"),
        ("daily compaction, slowest", f"{max(compact_seconds):.2f} s"),
    ]
    headers = ("measure", f"{DAYS} days x {STREAMS} streams playing all the time")
    lib.show("stream history on SQLite", headers, rows)
    lib.update_doc(
        "stream history size",
        f"{header}\n{lib.markdown_table(headers, rows)}\n",
        enabled=not args.no_doc,
    )


if __name__ == "__main__":
    main()
