"""Benchmark 4: `GET /metrics` latency as the activity table grows (0, 100 000, 1 000 000 rows).

The whole app in process: `create_app(Settings(...))` under Starlette's TestClient (so the
lifespan runs: migrations, services, first peer check), with the scheduler off and every
peer pointing at a closed port on 127.0.0.1. Rows are added between the measurements with
bulk inserts, while the app keeps running. Prometheus scrapes every 15-30 s; a scrape that
grew with the table would also grow every dashboard's alert evaluation.

Targets: p50 and p95 < 10 ms at every size, and flat: p50 at the largest size within
20 % (or 0.5 ms) of p50 on an empty table.
"""

import socket
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchlib as lib
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app

CALLS = 300
SIZES = (0, 100_000, 1_000_000)


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (a port just released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        data_dir=data_dir,
        scheduler_enabled=False,
        acexy_url=closed_port_url(),
        acestream_engine_url=closed_port_url(),
        warp_cli=str(data_dir / "no-warp-cli"),
        otel_exporter_otlp_endpoint=None,
        log_level="WARNING",
    )


def sizes_up_to(rows: int) -> list[int]:
    return sorted({size for size in SIZES if size < rows} | {rows})


def measure(client: TestClient) -> lib.Stats:
    def scrape() -> None:
        response = client.get("/metrics")
        assert response.status_code == 200, response.text

    return lib.time_calls(scrape, times=CALLS, warmup=50)


def run(url: str, rows: int) -> list[tuple[int, lib.Stats, int]]:
    """(rows in the table, latency, body bytes) per size."""
    results = []
    with tempfile.TemporaryDirectory(prefix="acestream-bench-") as folder:
        app = create_app(settings_for(url, Path(folder)))
        with TestClient(app) as client:
            present = 0
            for size in sizes_up_to(rows):
                if size > present:
                    lib.say(f"adding {size - present:_} rows")
                    newest = lib.utc_now() - timedelta(minutes=1)
                    batch = lib.activity_rows(
                        size - present, newest=newest, span=timedelta(days=6), seed=size
                    )
                    lib.seed_rows(url, batch)
                    present = size
                stats = measure(client)
                body = len(client.get("/metrics").content)
                lib.say(f"{size:_} rows: p50 {lib.ms(stats.p50)} ms")
                results.append((size, stats, body))
    return results


def report(database: str, results: list[tuple[int, lib.Stats, Any]], doc: bool) -> None:
    headers = ["activity rows", "calls", "p50 ms", "p95 ms", "p99 ms", "body bytes"]
    table = [
        [f"{size:_}", s.count, lib.ms(s.p50), lib.ms(s.p95), lib.ms(s.p99), body]
        for size, s, body in results
    ]
    first, last = results[0][1], results[-1][1]
    worst = max(max(s.p50, s.p95) for _, s, _ in results)
    flat = last.p50 <= max(first.p50 * 1.2, first.p50 + 0.5)
    targets = [
        ["p50 and p95 < 10 ms at every size", f"worst {lib.ms(worst)} ms", lib.verdict(worst < 10)],
        [
            "flat (p50 at the largest size vs empty)",
            f"{lib.ms(last.p50)} vs {lib.ms(first.p50)} ms ({last.p50 / first.p50:.2f} x)",
            lib.verdict(flat),
        ],
    ]
    lib.show(f"GET /metrics, {database}", headers, table)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {database}\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(headers, table),
        ]
    )
    lib.update_doc(f"metrics:{database}", body, enabled=doc)


def main() -> None:
    args = lib.base_parser(__doc__.splitlines()[0]).parse_args()
    with lib.fresh_database(args.database) as url:
        results = run(url, args.rows)
    report(args.database, results, not args.no_doc)


if __name__ == "__main__":
    main()
