"""Benchmark 7: `kill -9` during a stream of config changes; does every 200 keep its audit row?

Starts the service as production does (`python -m app`, uvicorn, `ACTIVITY_EXPORT=batch`) in a
subprocess on a free 127.0.0.1 port, streams `PUT /api/v1/config/dashboard` requests one after
the other (each changes `refresh_interval_seconds`, so each is a change to audit), and SIGKILLs
the service `--seconds` after the first 200. It then opens the database the killed service left
and counts the `user_action` rows of those changes against the 200s the client received.

A change whose request was cut by the kill may have committed without its 200 reaching the
client, so rows may exceed the 200s by one; a 200 without its row is lost.

Target: 0 lost.
"""

import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import benchlib as lib
import httpx
from sqlalchemy import func, select

from app.core.db import create_db_engine
from app.models import ActivityLog

MESSAGE = "Dashboard configuration changed: refresh_interval_seconds"


def stream_changes(base_url: str, first_ok: threading.Event) -> tuple[int, int]:
    """PUT changes one after the other until the service is gone; (200s, other outcomes)."""
    answered, failed = 0, 0
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for index in range(1_000_000):
            seconds = 10 + index % 590  # never the previous value: every PUT is a change
            try:
                response = client.put(
                    "/api/v1/config/dashboard", json={"refresh_interval_seconds": seconds}
                )
            except httpx.TransportError:
                return answered, failed + 1
            if response.status_code == 200:
                answered += 1
                first_ok.set()
            else:
                failed += 1
    return answered, failed


def audit_rows(url: str) -> int:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            count = select(func.count()).where(
                ActivityLog.type == "user_action", ActivityLog.message == MESSAGE
            )
            return int(connection.execute(count).scalar_one())
    finally:
        engine.dispose()


def run(database: str, seconds: float) -> dict[str, float]:
    with lib.fresh_database(database) as url, tempfile.TemporaryDirectory() as folder:
        port = lib.free_port()
        closed = f"http://127.0.0.1:{lib.free_port()}"
        base_url = f"http://127.0.0.1:{port}"
        log = Path(folder) / "service.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "app"],
                cwd=folder,
                env=lib.service_env(
                    url,
                    Path(folder),
                    port,
                    ACTIVITY_EXPORT="batch",
                    SCHEDULER_ENABLED="false",
                    ACEXY_URL=closed,
                    ACESTREAM_ENGINE_URL=closed,
                    WARP_CLI=str(Path(folder) / "no-warp-cli"),
                ),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                lib.wait_ready(base_url, process)
                first_ok = threading.Event()
                outcome: list[tuple[int, int]] = []
                client = threading.Thread(
                    target=lambda: outcome.append(stream_changes(base_url, first_ok))
                )
                client.start()
                if not first_ok.wait(60):
                    raise RuntimeError("no PUT succeeded within 60 s")
                time.sleep(seconds)
                lib.say(f"kill -9 {process.pid}")
                process.send_signal(signal.SIGKILL)
                process.wait()
                client.join(60)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        answered, failed = outcome[0]
        rows = audit_rows(url)
    return {"answered": answered, "failed": failed, "rows": rows, "lost": max(0, answered - rows)}


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--seconds", type=float, default=5.0, help="kill after this long")
    args = parser.parse_args()
    header = lib.run_header()
    lib.say(f"{args.database}: streaming config changes, kill -9 after {args.seconds} s")
    result = run(args.database, args.seconds)
    headers = ("PUTs answered 200", "cut by the kill", "audit rows stored", "lost", "verdict")
    row = (
        result["answered"],
        result["failed"],
        result["rows"],
        result["lost"],
        lib.verdict(result["lost"] == 0),
    )
    lib.show(f"{args.database}: kill -9 during config PUTs", headers, [row])
    body = f"{header}\n{lib.markdown_table(headers, [row])}\n"
    lib.update_doc(f"kill_audit {args.database}", body, enabled=not args.no_doc)


if __name__ == "__main__":
    main()
