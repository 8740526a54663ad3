"""Benchmark 9: how many activity rows a service left alone writes (issue 15's noise targets).

A default install (no sources, no guides) with its peers unreachable (acexy and the engine on
closed 127.0.0.1 ports, no warp-cli), measured two ways:

1. The real service (`python -m app`, scheduler on, `ACTIVITY_EXPORT=batch`) with
   `STATUS_CHECK_INTERVAL_SECONDS=5` (the lowest allowed) for `--seconds`, stopped with
   SIGINT as Ctrl-C would; then every row it wrote, by message. `--backend PATH` runs another
   checkout's `v2/backend` instead (the "before" figures).
2. The real tasks on simulated time (`v2/backend/tests/simulation.py`): 24 h of the default
   schedule (5 760 status checks) and 1 h with status checks every 5 s (720), every slot run
   in order with its follow-ups. Their rows plus the two the wiring writes around them
   ("Service started", "Service stopping") are compared with the targets; "before" is the
   old rule's count: a "started" and a "finished" row for every run, plus the same
   state-change and scrape rows.

Targets: under 50 rows in 24 h; under 10 in 1 h with checks every 5 s.
"""

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import benchlib as lib
from sqlalchemy import select

from app.core.config import Settings
from app.core.db import create_db_engine
from app.models import ActivityLog, TaskState
from tests.simulation import simulated_service, slots

START_AND_STOP_ROWS = 2
# The old rule's rows per run: "Task X started" and "Task X finished in ... s".
OLD_ROWS_PER_RUN = 2
SIMULATIONS = (
    ("24 h, default schedule", 24, 15, 50),
    ("1 h, status check every 5 s", 1, 5, 10),
)


def stored(url: str) -> tuple[Counter[str], dict[str, int]]:
    """The rows in the database at `url` by message, and the runs of each task."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            messages = Counter(connection.scalars(select(ActivityLog.message)))
            runs = dict(connection.execute(select(TaskState.task_name, TaskState.run_count)).all())
    finally:
        engine.dispose()
    return messages, runs


def real_service(database: str, seconds: float, backend: Path | None) -> dict[str, Any]:
    with lib.fresh_database(database) as url, tempfile.TemporaryDirectory() as folder:
        port = lib.free_port()
        closed = f"http://127.0.0.1:{lib.free_port()}"
        env = lib.service_env(
            url,
            Path(folder),
            port,
            ACTIVITY_EXPORT="batch",
            SCHEDULER_ENABLED="true",
            STATUS_CHECK_INTERVAL_SECONDS="5",
            ACEXY_URL=closed,
            ACESTREAM_ENGINE_URL=closed,
            WARP_CLI=str(Path(folder) / "no-warp-cli"),
        )
        if backend is not None:
            env["PYTHONPATH"] = str(backend)
        command = [sys.executable, "-m", "app"]
        with lib.running_service(command, env, Path(folder) / "service.log") as process:
            lib.wait_ready(f"http://127.0.0.1:{port}", process)
            lib.say(f"real service: ready; left alone for {seconds:g} s")
            time.sleep(seconds)
        messages, runs = stored(url)
    return {"messages": messages, "runs": runs}


def simulated_day(database: str, hours: int, status_check_seconds: int) -> dict[str, Any]:
    with lib.fresh_database(database) as url, tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url,
            data_dir=Path(folder),
            activity_export="sync",
            status_check_interval_seconds=status_check_seconds,
            acexy_url=f"http://127.0.0.1:{lib.free_port()}",
            acestream_engine_url=f"http://127.0.0.1:{lib.free_port()}",
            warp_cli=str(Path(folder) / "no-warp-cli"),
        )
        start = time.perf_counter()
        with simulated_service(settings) as service:
            service.run(slots(service.catalog, hours=hours))
            messages = service.messages()
            runs = {name: service.runs.finished(name) for name in service.catalog.names}
        lib.say(
            f"simulated {hours} h: {sum(runs.values())} runs in {time.perf_counter() - start:.0f} s"
        )
    return {"messages": messages, "runs": runs}


def by_message(messages: Counter[str]) -> list[tuple[object, ...]]:
    return [(count, message) for message, count in messages.most_common()]


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--seconds", type=float, default=120.0, help="real service: how long")
    parser.add_argument(
        "--backend", type=Path, help="real service: run this v2/backend instead (before figures)"
    )
    parser.add_argument("--real-only", action="store_true", help="skip the simulated day")
    args = parser.parse_args()
    header = lib.run_header()

    real = real_service(args.database, args.seconds, args.backend)
    real_rows = real["messages"].total()
    checks = real["runs"].get("status_check", 0)
    summary: list[tuple[object, ...]] = [
        (
            f"real service, status check every 5 s, {args.seconds:g} s",
            checks,
            sum(real["runs"].values()) - checks,
            real_rows,
            "-",
            "-",
            "-",
        )
    ]
    details = [("real service", by_message(real["messages"]))]
    if not args.real_only:
        for label, hours, status_seconds, target in SIMULATIONS:
            simulated = simulated_day(args.database, hours, status_seconds)
            runs = simulated["runs"]
            rows = simulated["messages"].total() + START_AND_STOP_ROWS
            before = rows + OLD_ROWS_PER_RUN * sum(runs.values())
            summary.append(
                (
                    f"simulated {label}",
                    runs["status_check"],
                    sum(runs.values()) - runs["status_check"],
                    rows,
                    before,
                    f"< {target}",
                    lib.verdict(rows < target),
                )
            )
            details.append((f"simulated {label}", by_message(simulated["messages"])))

    headers = (
        "run",
        "status checks",
        "other runs",
        "rows",
        "before (old rule)",
        "target",
        "verdict",
    )
    lib.show(f"{args.database}: activity rows of a service left alone", headers, summary)
    for title, rows_by_message in details:
        lib.show(title, ("rows", "message"), rows_by_message)
    body = f"{header}\n{lib.markdown_table(headers, summary)}\n"
    for title, rows_by_message in details:
        body += f"\n{title}, rows by message:\n\n"
        body += lib.markdown_table(("rows", "message"), rows_by_message) + "\n"
    lib.update_doc(f"noise {args.database}", body, enabled=not args.no_doc)


if __name__ == "__main__":
    main()
