"""The tasks section and the activity log in real headless Chromium (issue #18, items 6-8):
the focus after Pause, the Run now names, the log at 375 px."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import build_test_settings
from tests.e2e.browser import FRONTEND, run_script
from tests.fakes.http_peer import serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli
from tests.fakes.web import Page, serve_pages
from tests.live import serve_app

M3U = b"""#EXTM3U
#EXTINF:-1 tvg-id="la1.es" group-title="Spain",La 1
acestream://0123456789abcdef0123456789abcdef01234567
"""


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """The service with its scheduler on: the start-up scrape and status checks fill the log."""
    with (
        serve_pages({"/list.m3u": Page(body=M3U)}) as site,
        serve_fake_peer("acexy") as acexy,
        serve_fake_peer("engine") as engine,
    ):
        settings = build_test_settings(
            f"sqlite:///{tmp_path / 'app.db'}",
            tmp_path,
            scheduler_enabled=True,
            scrape_urls=site.url("/list.m3u"),
            acexy_url=acexy.base_url,
            acestream_engine_url=engine.base_url,
            warp_cli=make_fake_warp_cli(tmp_path, "text-connected-network"),
            frontend_dist=FRONTEND / "dist",
        )
        with serve_app(settings) as url:
            yield url


def test_focus_stays_after_pause_and_the_log_fits_a_phone(live_url: str, tmp_path: Path) -> None:
    run_script("tasks.mjs", live_url, tmp_path)
