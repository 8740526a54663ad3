"""Lighthouse on the built page: performance and accessibility scores, CLS and blocking time,
desktop and mobile, and the page's JavaScript (gzip) as the build ships it.

The service runs as in production (`python -m app`, SQLite) with a week of seeded activity,
fake acexy/engine peers (one stream playing) and a fake warp-cli, so every section has data.
Lighthouse 12.2.3 (pinned in bench/lighthouse/package.json; 13 needs Node 22) is installed
there on first use with `npm ci`, and drives Debian's Chromium (CHROMIUM, default
/usr/bin/chromium). Its throttling is simulated (Lantern), so a busy machine still inflates the
measured CPU work: each form factor runs `--runs` times and the median is reported.

Build the page first: `cd v2/frontend && npm run build`.
"""

import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchlib as lib

from tests.fakes.http_peer import FakeStream, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli

RUNNER = lib.REPO / "bench" / "lighthouse"
DIST = lib.REPO / "v2" / "frontend" / "dist"
SEEDED_ROWS = 5_000
# Targets of issue #18.
PERFORMANCE_TARGET = {"desktop": 90, "mobile": 80}
CLS_LIMIT = 0.1
JS_BUDGET_KB = 350


def ensure_lighthouse() -> str:
    """The `node` binary, once Lighthouse is installed beside run.mjs."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        sys.exit("node and npm are needed (Node 20.19 or later)")
    if not (RUNNER / "node_modules" / "lighthouse").is_dir():
        lib.say("installing Lighthouse into bench/lighthouse (npm ci)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=RUNNER, check=True)  # noqa: S603
    return node


def javascript_kb() -> tuple[float, float]:
    """(KB gzip of the scripts index.html loads at once, KB gzip of all scripts) in the build."""
    index = (DIST / "index.html").read_text(encoding="utf-8")
    scripts = sorted((DIST / "assets").glob("*.js"))
    sizes = {path.name: len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in scripts}
    initial = sum(size for name, size in sizes.items() if name in index)
    return initial / 1024, sum(sizes.values()) / 1024


def lighthouse(node: str, url: str, form_factor: str, report: Path | None) -> dict[str, Any]:
    env = dict(os.environ, **({"LIGHTHOUSE_REPORT": str(report)} if report else {}))
    done = subprocess.run(  # noqa: S603 - our own script
        [node, "run.mjs", url, form_factor],
        cwd=RUNNER,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Lighthouse failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(run[key]) for run in runs)


def main() -> None:
    parser = lib.base_parser(__doc__ or "", rows=None)
    parser.add_argument("--runs", type=int, default=3, help="runs per form factor (median)")
    parser.add_argument(
        "--reports",
        type=Path,
        help="a folder to keep each run's whole Lighthouse report in (JSON): where time goes",
    )
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        sys.exit("the page is not built: cd v2/frontend && npm run build")
    node = ensure_lighthouse()
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    initial_kb, total_kb = javascript_kb()

    results: dict[str, list[dict[str, Any]]] = {}
    with (
        lib.fresh_database("sqlite") as db_url,
        tempfile.TemporaryDirectory(prefix="acestream-lighthouse-") as folder,
        serve_fake_peer("acexy") as acexy,
        serve_fake_peer("engine") as engine,
    ):
        lib.seed_rows(
            db_url,
            lib.activity_rows(SEEDED_ROWS, newest=lib.utc_now(), span=timedelta(days=7)),
        )
        acexy.streams = [FakeStream("a" * 40, "b" * 40, 2)]
        data = Path(folder)
        port = lib.free_port()
        env = lib.service_env(
            db_url,
            data,
            port,
            ACEXY_URL=acexy.base_url,
            ACESTREAM_ENGINE_URL=engine.base_url,
            WARP_CLI=make_fake_warp_cli(data, "text-connected-network"),
            FRONTEND_DIST=str(DIST),
            LOG_LEVEL="WARNING",
        )
        base_url = f"http://127.0.0.1:{port}"
        with lib.running_service([sys.executable, "-m", "app"], env, data / "service.log") as app:
            lib.wait_ready(base_url, app)
            for form_factor in ("desktop", "mobile"):
                results[form_factor] = []
                for run in range(args.runs):
                    lib.say(f"Lighthouse {form_factor} run {run + 1}/{args.runs}")
                    name = f"{form_factor}-{run + 1}.json"
                    report = args.reports / name if args.reports else None
                    results[form_factor].append(
                        lighthouse(node, base_url + "/", form_factor, report)
                    )

    rows = []
    for form_factor, runs in results.items():
        performance = median(runs, "performance")
        cls = median(runs, "cls")
        accessibility = min(run["accessibility"] for run in runs)
        failed = sorted({audit for run in runs for audit in run["failedAccessibility"]})
        rows.append(
            (
                form_factor,
                f"{performance:.0f} (runs: {', '.join(str(run['performance']) for run in runs)})",
                f">= {PERFORMANCE_TARGET[form_factor]}: "
                + lib.verdict(performance >= PERFORMANCE_TARGET[form_factor]),
                f"{accessibility}" + (f" ({', '.join(failed)})" if failed else ""),
                f"{cls:.3f}: " + lib.verdict(cls < CLS_LIMIT),
                f"{median(runs, 'tbtMs'):.0f}",
                f"{median(runs, 'fcpMs'):.0f}",
                f"{median(runs, 'lcpMs'):.0f}",
                f"{median(runs, 'speedIndexMs'):.0f}",
            )
        )
    headers = (
        "form factor",
        "performance (median)",
        "target",
        "accessibility (lowest)",
        "CLS (< 0.1)",
        "TBT ms",
        "FCP ms",
        "LCP ms",
        "Speed Index ms",
    )
    lib.show("Lighthouse 12.2.3, Debian Chromium", headers, rows)
    script_line = (
        f"JavaScript: {initial_kb:.0f} KB gzip loaded at first, {total_kb:.0f} KB gzip in all "
        f"(budget {JS_BUDGET_KB} KB: {lib.verdict(total_kb <= JS_BUDGET_KB)})."
    )
    sys.stdout.write(f"\n{script_line}\n")
    lib.update_doc(
        "lighthouse",
        "\n".join(
            (
                "### Lighthouse (the page)",
                "",
                lib.run_header(),
                f"Chromium: {os.environ.get('CHROMIUM', '/usr/bin/chromium')}; {args.runs} runs "
                f"per form factor, {SEEDED_ROWS:_} activity rows over 7 days, one stream playing.",
                "",
                lib.markdown_table(headers, rows),
                "",
                script_line,
            )
        ),
        enabled=not args.no_doc,
    )


if __name__ == "__main__":
    main()
