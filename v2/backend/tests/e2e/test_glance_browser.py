"""The page's status at a glance in real Chromium: a live service whose only scrape source answers
404 and whose acexy is down (the engine up) names both problems at the top and in the tab title;
once the service cannot be reached, the page says so once, not once per section."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import live_settings, run_script
from tests.fakes.http_peer import closed_port_url, serve_fake_peer
from tests.fakes.web import serve_pages
from tests.live import serve_app


@pytest.fixture
def failing_url(tmp_path: Path) -> Iterator[str]:
    """A live service: scrape fails (its one source is missing), acexy is down, the engine up."""
    with serve_pages({}) as site, serve_fake_peer("engine") as engine:
        settings = live_settings(
            tmp_path,
            scrape_urls=site.url("/missing.m3u"),
            acexy_url=closed_port_url(),
            acestream_engine_url=engine.base_url,
        )
        with serve_app(settings) as url:
            yield url


def test_the_summary_names_the_problems_and_one_banner_tells_a_lost_connection(
    failing_url: str, tmp_path: Path
) -> None:
    run_script("glance.mjs", failing_url, tmp_path)

    assert (tmp_path / "glance-problems-1440.png").stat().st_size > 10_000
    assert (tmp_path / "glance-lost-1440.png").stat().st_size > 10_000
