"""Benchmark 18: start to `/readyz`, import time, each start-up step, and idle RSS.

The service starts as users start it (`python -m app`) on an SQLite database that is already
migrated, with every peer on a closed port (refused at once) and the scheduler off: the time
from the process's start to the first `/readyz` 200 (polled every 10 ms), `--runs` times,
and the resident set size after `--idle` seconds of nothing. Then, in this process, the
import of `app.__main__` (`python -X importtime`, the largest packages by cumulative time)
and the time of each of the lifespan's steps.

`--python` runs the service and its import under another interpreter: a venv with only the
runtime dependencies (`pip install --constraint constraints.txt .`, what the image installs)
measures what users run, without the development tools' packages (httpx imports its
command-line client whenever rich and pygments, pulled in by schemathesis and pytest, are
installed). The steps are timed in this process either way.

Targets (issue #19): start to `/readyz` ≤ 1 s, idle RSS ≤ 90 MB.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import benchlib as lib
import httpx


def parse_args() -> "lib.argparse.Namespace":
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument("--runs", type=int, default=5, help="default 5")
    parser.add_argument("--idle", type=float, default=10, help="seconds; default 10")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter for the service; default this one"
    )
    return parser.parse_args()


def start_to_ready(python: str, url: str, folder: Path, idle: float) -> tuple[float, float, float]:
    """Seconds from the start of `python -m app` to its first /readyz 200, the CPU seconds
    the process had used by then (what a busy machine does not inflate much), and its RSS
    in MiB after `idle` more seconds."""
    port = lib.free_port()
    env = lib.service_env(
        url,
        folder,
        port,
        SCHEDULER_ENABLED="false",
        ACEXY_URL=closed_url(),
        ACESTREAM_ENGINE_URL=closed_url(),
        WARP_CLI=str(folder / "no-warp-cli"),
        LOG_LEVEL="WARNING",
    )
    began = time.perf_counter()
    with lib.running_service([python, "-m", "app"], env, folder / "service.log") as process:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the service exited with {process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.01)  # sync-ok: polling another process's port until it answers
        ready = time.perf_counter() - began
        cpu = lib.cpu_seconds(process.pid)
        time.sleep(idle)  # sync-ok: the idle time whose RSS is measured
        rss = rss_mib(process.pid)
    return ready, cpu, rss


def closed_url() -> str:
    return f"http://127.0.0.1:{lib.free_port()}"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def import_times(python: str, top: int = 10) -> tuple[float, list[tuple[str, float]]]:
    """`import app.__main__` in a fresh interpreter: total seconds, and the `top` top-level
    packages by the sum of their modules' own import time (share of the total)."""
    done = subprocess.run(  # noqa: S603 - an interpreter the operator named, our own module
        [python, "-X", "importtime", "-c", "import app.__main__"],
        capture_output=True,
        text=True,
        env=lib.service_env("sqlite://", Path(tempfile.gettempdir()), 0),
        check=True,
    )
    own: dict[str, float] = {}
    total = 0.0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line.removeprefix("import time:").split("|")
        if name.strip() == "app.__main__":
            total = int(cumulative) / 1e6
        package = name.strip().split(".")[0]
        own[package] = own.get(package, 0.0) + int(self_us) / 1e6
    return total, sorted(own.items(), key=lambda row: -row[1])[:top]


def step_times(url: str, folder: Path) -> list[tuple[str, float]]:
    """The lifespan once, in this process: each step's seconds (its function wrapped in a
    timer, in this benchmark only), and the whole start."""
    import asyncio

    from metrics import settings_for

    from app import wiring
    from app.main import create_app
    from app.services.peer_status import PeerStatusService
    from app.services.tasks.engine import TaskEngine

    timings: list[tuple[str, float]] = []

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings.append((name, time.perf_counter() - began))

        return run

    wiring.upgrade_to_head = timed("migrations checked (upgrade_to_head)", wiring.upgrade_to_head)  # type: ignore[attr-defined]
    wiring.build_services = timed("services built", wiring.build_services)  # type: ignore[attr-defined]
    TaskEngine.start = timed("task engine started", TaskEngine.start)  # type: ignore[method-assign]
    PeerStatusService.refresh = timed("first peer check", PeerStatusService.refresh)  # type: ignore[method-assign]
    began = time.perf_counter()
    app = create_app(settings_for(url, folder))
    timings.append(("create_app", time.perf_counter() - began))

    async def start() -> None:
        began = time.perf_counter()
        async with app.router.lifespan_context(app):
            timings.append(("lifespan start, all steps", time.perf_counter() - began))

    asyncio.run(start())
    return timings


def main() -> None:
    args = parse_args()
    with lib.fresh_database("sqlite") as url, tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        results = []
        for run in range(args.runs):
            ready, cpu, rss = start_to_ready(args.python, url, folder, args.idle)
            lib.say(f"run {run + 1}: ready after {ready:.2f} s ({cpu:.2f} s CPU), {rss:.0f} MiB")
            results.append((ready, cpu, rss))
        total, imports = import_times(args.python)
        steps = step_times(url, folder)
    readies = [ready for ready, _, _ in results]
    cpus = [cpu for _, cpu, _ in results]
    rsses = [rss for _, _, rss in results]
    rows = [
        ["start to /readyz (median of runs)", f"{statistics.median(readies):.2f} s"],
        ["start to /readyz (fastest, slowest)", f"{min(readies):.2f} / {max(readies):.2f} s"],
        ["CPU used by then (median)", f"{statistics.median(cpus):.2f} s"],
        [f"idle RSS after {args.idle:.0f} s (median)", f"{statistics.median(rsses):.0f} MiB"],
        ["import app.__main__ (-X importtime)", f"{total:.2f} s"],
        *[
            [f"  of which {name}", f"{seconds:.2f} s ({seconds / total:.0%})"]
            for name, seconds in imports
        ],
        *[[f"step: {name}", f"{seconds * 1000:.0f} ms"] for name, seconds in steps],
    ]
    lib.show("Start-up, SQLite already migrated", ["measure", "value"], rows)
    body = (
        f"{lib.run_header()}\n{lib.markdown_table(['measure', 'value'], rows)}\n\n"
        f"Load average at the start: see above; import and step times grow with the load."
    )
    lib.update_doc("startup", body, enabled=not args.no_doc)


if __name__ == "__main__":
    main()
