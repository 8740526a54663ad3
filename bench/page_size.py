"""Benchmark 6: how much JavaScript the dashboard page makes a browser download.

Sums the `gzip -9` size of every .js file in `v2/frontend/dist/assets` (what a server that
compresses sends; the service itself serves the files as they are, see the doc). Without a
build there, it says so. `--build` builds the page first into a temporary folder with
`vite build --outDir <temp>` (`v2/frontend/dist` is left alone) when `node_modules` exists.

Target: total < 350 KB gzipped (KB = 1000 bytes).
"""

import gzip
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import benchlib as lib
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app

FRONTEND = lib.REPO / "v2" / "frontend"
DIST_ASSETS = FRONTEND / "dist" / "assets"
TARGET_BYTES = 350_000


def gzip9_size(path: Path) -> int:
    """Bytes of `gzip -9 -c path`; Python's gzip at level 9 if the binary is missing."""
    binary = shutil.which("gzip")
    if binary:
        done = subprocess.run([binary, "-9", "-c", str(path)], capture_output=True, check=True)  # noqa: S603
        return len(done.stdout)
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def build_into(folder: Path) -> Path | None:
    """`vite build` into `folder`; None (and why, on stderr) if it cannot run."""
    vite = FRONTEND / "node_modules" / ".bin" / "vite"
    if not vite.exists():
        lib.say("no v2/frontend/node_modules: run `npm ci` there to build the page")
        return None
    command = [str(vite), "build", "--outDir", str(folder), "--emptyOutDir"]
    command += ["--configLoader", "runner", "--logLevel", "warn"]
    lib.say("building the page: " + " ".join(command[1:]))
    done = subprocess.run(command, cwd=FRONTEND, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        lib.say(f"the build failed:\n{done.stdout}{done.stderr}")
        return None
    return folder / "assets"


def measure(assets: Path) -> list[tuple[str, int, int]]:
    """(file, raw bytes, gzip -9 bytes) for each .js file, largest first."""
    rows = [(p.name, p.stat().st_size, gzip9_size(p)) for p in sorted(assets.glob("*.js"))]
    return sorted(rows, key=lambda row: -row[2])


def bytes_served(dist: Path, names: list[str]) -> tuple[int, str]:
    """What the service itself sends for these files to a browser that accepts gzip:
    (bytes on the wire, Content-Encoding). Only the static mount runs, no lifespan."""
    with tempfile.TemporaryDirectory(prefix="acestream-page-") as data:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(data),
            frontend_dist=dist,
            otel_exporter_otlp_endpoint=None,
        )
        client = TestClient(create_app(settings))
        total, encodings = 0, set()
        for name in names:
            response = client.get(f"/assets/{name}", headers={"Accept-Encoding": "gzip"})
            response.raise_for_status()
            total += response.num_bytes_downloaded
            encodings.add(response.headers.get("content-encoding", "none"))
    return total, ", ".join(sorted(encodings))


def report(source: str, dist: Path, rows: list[tuple[str, int, int]], doc: bool) -> None:
    total_raw = sum(raw for _, raw, _ in rows)
    total_gz = sum(gz for _, _, gz in rows)
    served, encoding = bytes_served(dist, [name for name, _, _ in rows])
    headers = ["file", "bytes", "gzip -9 bytes"]
    table = [[name, f"{raw:_}", f"{gz:_}"] for name, raw, gz in rows]
    table.append(["**total**", f"{total_raw:_}", f"{total_gz:_}"])
    targets = [
        [
            "JS gzip -9 total < 350 KB",
            f"{total_gz / 1000:.1f} KB ({total_gz / 1024:.1f} KiB) in {len(rows)} files",
            lib.verdict(total_gz < TARGET_BYTES),
        ],
        [
            "what the service sends (Accept-Encoding: gzip)",
            f"{served / 1000:.1f} KB, Content-Encoding: {encoding}",
            "info",
        ],
    ]
    lib.show(f"page size ({source})", headers, table)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"{lib.run_header()}\nMeasured on: {source}.",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(headers, table),
        ]
    )
    lib.update_doc("page_size", body, enabled=doc)


def main() -> None:
    parser = lib.base_parser(__doc__.splitlines()[0], rows=None)
    parser.add_argument(
        "--build", action="store_true", help="build the page into a temporary folder first"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="acestream-page-") as temp:
        assets: Path | None = DIST_ASSETS
        source = "v2/frontend/dist/assets"
        if args.build:
            assets = build_into(Path(temp) / "dist")
            source = "a fresh `vite build` of the working tree into a temporary folder"
        if assets is None or not assets.is_dir():
            sys.stdout.write(
                f"\npage size: {DIST_ASSETS.relative_to(lib.REPO)} does not exist; build the "
                "page (`make page`) or pass --build. Nothing measured.\n"
            )
            return
        report(source, assets.parent, measure(assets), not args.no_doc)


if __name__ == "__main__":
    main()
