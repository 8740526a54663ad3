"""Benchmark 9: exporting the activity log over HTTP, 100 000 and 1 000 000 rows, CSV and NDJSON.

Seeds N rows (default 1 000 000 over 30 days, the production mix), starts the service as
production does (`python -m app`, uvicorn) in a subprocess on a free 127.0.0.1 port, and
downloads `GET /api/v1/activity/export` with httpx, reading the body as it arrives:
`days=3` (about a tenth of the rows) and `days=30` (all of them), in each format. For each
download: rows received (lines, less the CSV header), seconds, rows/s, the service's CPU
seconds, and its peak RSS growth: the kernel's high-water mark (`VmHWM`) is reset through
`/proc/<pid>/clear_refs` before the request, and read after it, against `VmRSS` before it.
A small export first warms the service up (imports, first connections).

Targets: constant memory, i.e. the peak RSS growth of 1 000 000 rows at most 1.5 x that of
~100 000 rows, or within 8 MiB of it (a small figure moves by allocator noise); every row
arrives (the service's own start-up events, stored meanwhile, may come along).
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import benchlib as lib
import httpx

from app.core.db import create_db_engine

CHUNK = 64 * 1024
DOWNLOADS = (("csv", 3), ("csv", 30), ("ndjson", 3), ("ndjson", 30))


@dataclass(frozen=True)
class Download:
    file_format: str
    days: int
    rows: int
    megabytes: float
    seconds: float
    service_cpu: float
    rss_before_mib: float
    peak_growth_mib: float


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def running_service(url: str, folder: Path) -> Iterator[tuple[str, int]]:
    """The service on a free port, scheduler off, peers on a closed port; (base URL, pid)."""
    port = lib.free_port()
    closed = f"http://127.0.0.1:{lib.free_port()}"
    env = lib.service_env(
        url,
        folder,
        port,
        SCHEDULER_ENABLED="false",
        ACEXY_URL=closed,
        ACESTREAM_ENGINE_URL=closed,
        WARP_CLI=str(folder / "no-warp-cli"),
        LOG_LEVEL="WARNING",
    )
    with (folder / "service.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            lib.wait_ready(base_url, process)
            yield base_url, process.pid
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def download(base_url: str, pid: int, file_format: str, days: int) -> Download:
    """One export, read to its end as it arrives; the service's memory and CPU around it."""
    rss_before = _status_kib(pid, "VmRSS")
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
    cpu_before = cpu_seconds(pid)
    lines = size = 0
    params: dict[str, str | int] = {"format": file_format, "days": days}
    start = time.perf_counter()
    with (
        httpx.Client(timeout=120) as client,
        client.stream("GET", f"{base_url}/api/v1/activity/export", params=params) as response,
    ):
        response.raise_for_status()
        for chunk in response.iter_raw(CHUNK):
            lines += chunk.count(b"\n")
            size += len(chunk)
    seconds = time.perf_counter() - start
    peak = _status_kib(pid, "VmHWM")
    return Download(
        file_format=file_format,
        days=days,
        rows=lines - (1 if file_format == "csv" else 0),
        megabytes=size / 1e6,
        seconds=seconds,
        service_cpu=cpu_seconds(pid) - cpu_before,
        rss_before_mib=rss_before / 1024,
        peak_growth_mib=(peak - rss_before) / 1024,
    )


def run(url: str, rows: int) -> tuple[list[Download], int]:
    """Every download of DOWNLOADS, after a warm-up; and the rows the log held at the end
    (the seeded ones and the service's own events since it started)."""
    lib.say(f"seeding {rows:_} rows")
    newest = lib.utc_now() - timedelta(minutes=1)
    lib.seed_rows(url, lib.activity_rows(rows, newest=newest, span=timedelta(days=29, hours=23)))
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="acestream-export-") as temp,
        running_service(url, Path(temp)) as (base_url, pid),
    ):
        for file_format in ("csv", "ndjson"):
            download(base_url, pid, file_format, 0)  # warm-up: today's rows
        for file_format, days in DOWNLOADS:
            result = download(base_url, pid, file_format, days)
            lib.say(
                f"{file_format} days={days}: {result.rows:_} rows in {result.seconds:.1f} s,"
                f" peak RSS +{result.peak_growth_mib:.1f} MiB"
            )
            results.append(result)
    engine = create_db_engine(url)
    held = lib.count_rows(engine)
    engine.dispose()
    return results, held


def report(database: str, rows: int, results: list[Download], held: int, doc: bool) -> None:
    headers = ["format", "days", "rows", "MB", "s", "rows/s", "service CPU s"]
    headers += ["service RSS before MiB", "peak RSS growth MiB"]
    table = [
        [
            r.file_format,
            r.days,
            f"{r.rows:_}",
            f"{r.megabytes:.0f}",
            f"{r.seconds:.1f}",
            f"{r.rows / r.seconds:,.0f}",
            f"{r.service_cpu:.1f}",
            f"{r.rss_before_mib:.0f}",
            f"{r.peak_growth_mib:.1f}",
        ]
        for r in results
    ]
    targets = []
    for file_format in ("csv", "ndjson"):
        small, large = (r for r in results if r.file_format == file_format)
        # A ratio of two figures under 1 MiB says nothing but allocator noise.
        ratio = (
            f" ({large.peak_growth_mib / small.peak_growth_mib:.2f} x)"
            if small.peak_growth_mib >= 1
            else ""
        )
        flat = large.peak_growth_mib <= max(1.5 * small.peak_growth_mib, small.peak_growth_mib + 8)
        targets.append(
            [
                f"{file_format}: constant memory ({large.rows:_} vs {small.rows:_} rows)",
                f"+{large.peak_growth_mib:.1f} vs +{small.peak_growth_mib:.1f} MiB{ratio}",
                lib.verdict(flat),
            ]
        )
        targets.append(
            [
                f"{file_format}: every row arrives (the seeded ones, and some of the service's"
                " own events stored meanwhile)",
                f"{large.rows:_} (seeded {rows:_}, held at the end {held:_})",
                lib.verdict(rows <= large.rows <= held),
            ]
        )
    title = f"export, {database}, {rows:_} rows"
    lib.show(title, headers, table)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {title.removeprefix('export, ')}\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(headers, table),
        ]
    )
    lib.update_doc(f"export:{database}", body, enabled=doc)


def main() -> None:
    args = lib.base_parser(__doc__.splitlines()[0]).parse_args()
    with lib.fresh_database(args.database) as url:
        results, held = run(url, args.rows)
    report(args.database, args.rows, results, held, not args.no_doc)


if __name__ == "__main__":
    main()
