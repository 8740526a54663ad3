"""The built page in real Chromium, checked by axe-core at 1440 and 375 px in the light and the
dark scheme and once in Spanish (zero violations), with its focus ring and its first paint."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import live_settings, run_script
from tests.fakes.http_peer import FakeStream, serve_fake_peer
from tests.live import serve_app


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    with (
        serve_fake_peer("acexy") as acexy,
        serve_fake_peer("engine") as engine,
    ):
        acexy.streams = [FakeStream("a" * 40, "b" * 40, 2)]
        settings = live_settings(
            tmp_path, acexy_url=acexy.base_url, acestream_engine_url=engine.base_url
        )
        with serve_app(settings) as url:
            yield url


def test_the_page_has_no_axe_violations_in_either_scheme_width_or_language(
    live_url: str, tmp_path: Path
) -> None:
    run_script("a11y.mjs", live_url, tmp_path)

    for width in (1440, 375):
        for scheme in ("light", "dark"):
            assert (tmp_path / f"a11y-{width}-{scheme}-en.png").stat().st_size > 10_000
    assert (tmp_path / "a11y-1440-light-es.png").stat().st_size > 10_000
    assert (tmp_path / "first-paint-dark.png").stat().st_size > 1_000
