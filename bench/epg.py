"""Benchmark 7: an EPG refresh of a 1 000 000-channel XMLTV guide, memory and SQLite's lock.

Generates a gzip XMLTV guide of N channels (default 1 000 000, ~5 MB gzipped) with ten
programmes for each of the first 1 000, serves it from a loopback HTTP server, and seeds 300
scraped channels whose names match guide channels spread over the whole guide. Each variant
then runs `EpgService.refresh(now)` (the `epg_refresh` task) in a fresh subprocess on a fresh
database, and reports:

- the peak RSS above idle: the child resets its high-water mark (`/proc/self/clear_refs`, 5)
  once the service is built, then reads `VmHWM` after the refresh, minus `VmRSS` before it;
- the duration of the refresh;
- on SQLite, a status check's write every second during the refresh (`BEGIN IMMEDIATE` with
  the service's busy timeout, 5 s): how many were refused with "database is locked".

`--before REF` also runs the same refresh on the code of git commit REF (its `v2/backend`
exported to a temporary folder), side by side in the same run.

Targets: peak RSS above idle <= 100 MB; no status-check write refused.
"""

import gzip
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import benchlib as lib
from sqlalchemy.orm import Session

MB = 1_000_000
MATCHED = 300
WITH_PROGRAMMES = 1_000
PROGRAMMES_EACH = 10
STATUS_CHECK_PAUSE = 1.0
# The service's busy timeout (core/db.py): a status check waits this long for the lock.
BUSY_TIMEOUT_SECONDS = 5.0
TARGET_PEAK_MB = 100


def write_guide(path: Path, channels: int) -> None:
    """The guide, gzip-compressed: channels first, then programmes, as XMLTV's DTD orders them."""
    with gzip.open(path, "wb", compresslevel=6) as guide:
        guide.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<tv generator-info-name="bench">\n')
        for start in range(0, channels, 10_000):
            guide.write(
                "".join(
                    f'<channel id="c{i}.tv"><display-name>Channel {i}</display-name></channel>\n'
                    for i in range(start, min(start + 10_000, channels))
                ).encode()
            )
        for i in range(min(WITH_PROGRAMMES, channels)):
            guide.write(
                "".join(
                    f'<programme start="20261124{hour:02d}0000 +0000" channel="c{i}.tv">'
                    f"<title>Show {hour}</title></programme>\n"
                    for hour in range(PROGRAMMES_EACH)
                ).encode()
            )
        guide.write(b"</tv>\n")


def seed_scraped_channels(url: str, channels: int) -> None:
    """MATCHED scraped channels named after guide channels spread over the whole guide."""
    from app.core.db import create_db_engine
    from app.repositories import channels as channels_repository

    now = lib.utc_now()
    step = max(channels // MATCHED, 1)
    rows = [
        {
            "content_id": f"{n:040x}",
            "name": f"Channel {n * step} HD",
            "tvg_id": None,
            "tvg_logo": None,
            "group_title": None,
            "source_url": "http://bench/list.m3u",
            "first_seen": now,
            "last_seen": now,
        }
        for n in range(MATCHED)
    ]
    engine = create_db_engine(url)
    with Session(engine) as session, session.begin():
        channels_repository.upsert_channels(session, rows)
    engine.dispose()


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A loopback HTTP server for `folder`; yields its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class StatusChecks:
    """A status check's write every STATUS_CHECK_PAUSE seconds on the SQLite file."""

    path: str
    tried: int = 0
    refused: int = 0
    longest_wait: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> "StatusChecks":
        self._thread = threading.Thread(target=self._loop, name="bench-status-check", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        while not self._stop.wait(STATUS_CHECK_PAUSE):
            self.tried += 1
            start = time.perf_counter()
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
            except sqlite3.OperationalError:
                self.refused += 1
            self.longest_wait = max(self.longest_wait, time.perf_counter() - start)
        connection.close()


def backend_of(ref: str, into: Path) -> Path:
    """`v2/backend` as it is at git commit `ref`, exported under `into`."""
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", "--format=tar", ref, "v2/backend/app"],  # noqa: S607
        cwd=lib.REPO,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "v2" / "backend"


def run_variant(database: str, guide_url: str, channels: int, backend: Path) -> dict[str, Any]:
    """One refresh in a fresh child process on a fresh, seeded database."""
    with lib.fresh_database(database) as url:
        seed_scraped_channels(url, channels)
        checks = StatusChecks(lib.sqlite_path(url)) if database == "sqlite" else None
        command = [sys.executable, __file__, "--child", url, guide_url]
        env = {"PYTHONPATH": f"{backend}:{Path(__file__).parent}", "PATH": "/usr/bin:/bin"}
        if checks is None:
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=580)  # noqa: S603
        else:
            with checks:
                done = subprocess.run(  # noqa: S603
                    command, env=env, capture_output=True, text=True, timeout=580
                )
        if done.returncode != 0:
            raise SystemExit(f"child failed:\n{done.stderr}")
        figures: dict[str, Any] = json.loads(done.stdout)
        if checks is not None:
            figures["checks"] = (checks.tried, checks.refused, checks.longest_wait)
        return figures


def child(url: str, guide_url: str) -> None:
    """Runs in the subprocess: build the service, reset the RSS peak, refresh, report."""
    from opentelemetry.sdk.trace import TracerProvider

    from app.core.db import create_db_engine, create_session_factory
    from app.observability.telemetry import TRACER_NAME
    from app.peers.fetch import Fetcher
    from app.services.epg import EpgService
    from app.utils.activity import ActivityRecorder
    from app.utils.cancel import CancelToken

    engine = create_db_engine(url)
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
    # The guide is served from this machine: the deadline only guards against a hung server.
    fetcher = Fetcher(deadline_seconds=600)
    service = EpgService(create_session_factory(engine), recorder, [guide_url], fetcher)
    Path("/proc/self/clear_refs").write_text("5")
    idle = _status_kb("VmRSS")
    start = time.perf_counter()
    result = service.refresh(lib.utc_now(), CancelToken())
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    engine.dispose()
    print(json.dumps({"idle_kb": idle, "peak_kb": peak, "seconds": seconds, "result": result}))


def _status_kb(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise LookupError(name)


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--channels", type=int, default=1_000_000, help="default 1_000_000")
    parser.add_argument("--before", metavar="REF", help="also run the code of git commit REF")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="acestream-bench-epg-") as folder:
        guide = Path(folder) / "guide.xml.gz"
        lib.say(f"writing a guide of {args.channels:_} channels")
        write_guide(guide, args.channels)
        size = guide.stat().st_size
        variants = [("this commit", lib.REPO / "v2" / "backend")]
        if args.before:
            variants.insert(0, (args.before, backend_of(args.before, Path(folder) / "before")))
        rows = []
        with serve_folder(Path(folder)) as base:
            for name, backend in variants:
                lib.say(f"refreshing with the code of {name}")
                figures = run_variant(args.database, f"{base}/guide.xml.gz", args.channels, backend)
                rows.append((name, figures))
    render(args, size, rows)


def render(args: Any, size: int, rows: list[tuple[str, dict[str, Any]]]) -> None:
    table = []
    for name, figures in rows:
        above = (figures["peak_kb"] - figures["idle_kb"]) / 1000
        result = figures["result"]
        checks = figures.get("checks")
        table.append(
            (
                name,
                f"{above:.0f} MB",
                f"{figures['idle_kb'] / 1000:.0f} MB",
                f"{figures['seconds']:.1f} s",
                f"{result['channels']:_} / {result['programs']:_} / {result['matched']}",
                "-" if checks is None else f"{checks[0]} / {checks[1]} / {checks[2]:.2f} s",
            )
        )
    headers = (
        "code",
        "peak RSS above idle",
        "idle RSS",
        "refresh",
        "channels / programmes / matched",
        "status checks tried / refused / longest wait",
    )
    lib.show(f"EPG refresh, {args.database}", headers, table)
    *_, (_, current) = rows
    above_mb = (current["peak_kb"] - current["idle_kb"]) / 1000
    verdicts = [
        (
            f"peak RSS above idle <= {TARGET_PEAK_MB} MB",
            f"{above_mb:.0f} MB",
            lib.verdict(above_mb <= TARGET_PEAK_MB),
        )
    ]
    if "checks" in current:  # SQLite only: PostgreSQL writers lock rows, not the database
        refused = current["checks"][1]
        verdicts.append(
            ("no status-check write refused", f"{refused} refused", lib.verdict(refused == 0))
        )
    body = (
        f"#### {args.database}, {args.channels:_} channels, guide {size / MB:.1f} MB gzipped\n\n"
        f"{lib.run_header()}\n"
        f"{lib.markdown_table(('target', 'measured', 'verdict'), verdicts)}\n\n"
        f"{lib.markdown_table(headers, table)}\n"
    )
    lib.update_doc(f"epg:{args.database}", body, enabled=not args.no_doc)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
