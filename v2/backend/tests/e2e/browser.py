"""What every browser test shares: the checks that Chromium, the built page and playwright-core are
there, and running one of the page's `e2e/*.mjs` scripts against a live service."""

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from app.core.config import Settings
from tests.conftest import build_test_settings
from tests.fakes.warp_cli import make_fake_warp_cli

ROOT = Path(__file__).resolve().parents[4]
FRONTEND = ROOT / "v2" / "frontend"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def require(condition: bool, message: str) -> None:
    """Skip with `message` when `condition` fails, or fail under REQUIRE_CHROMIUM=1 (CI)."""
    if condition:
        return
    if os.environ.get("REQUIRE_CHROMIUM") == "1":
        pytest.fail(message)
    pytest.skip(f"{message}; REQUIRE_CHROMIUM=1 makes this a failure")


def require_browser() -> str:
    """The `node` binary, once Chromium, the built page and playwright-core are found."""
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    require((FRONTEND / "dist" / "index.html").is_file(), "the page is not built (make page)")
    require(
        (FRONTEND / "node_modules" / "playwright-core").is_dir(),
        "playwright-core is not installed (npm ci in v2/frontend)",
    )
    node = shutil.which("node")
    require(node is not None, "node is not installed")
    assert node is not None
    return node


def run_script(
    script: str, base_url: str, screenshots: Path, env: Mapping[str, str] | None = None
) -> None:
    """Run `v2/frontend/e2e/<script>` against `base_url`; fail with its output unless it exits 0."""
    node = require_browser()
    run = subprocess.run(
        [node, f"e2e/{script}"],
        cwd=FRONTEND,
        env={
            **os.environ,
            "BASE_URL": base_url,
            "SCREENSHOT_DIR": str(screenshots),
            "CHROMIUM": CHROMIUM,
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


# A one-channel list for the live service to scrape.
LA1_ID = "0123456789abcdef0123456789abcdef01234567"
LA1_M3U = f"""#EXTM3U
#EXTINF:-1 tvg-id="la1.es" group-title="Spain",La 1
acestream://{LA1_ID}
""".encode()


def live_settings(
    tmp_path: Path, *, warp: str = "text-connected-network", **overrides: Any
) -> Settings:
    """The settings of a live service for a browser test: SQLite in `tmp_path`, the scheduler on,
    the built page, a fake warp-cli answering `warp` (a case of tests/fakes/warp_cli.py); peers,
    sources and the rest as `overrides`."""
    return build_test_settings(
        f"sqlite:///{tmp_path / 'app.db'}",
        tmp_path,
        **{
            "scheduler_enabled": True,
            "warp_cli": make_fake_warp_cli(tmp_path, warp),
            "frontend_dist": FRONTEND / "dist",
            **overrides,
        },
    )
