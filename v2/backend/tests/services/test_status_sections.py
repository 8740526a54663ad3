"""The page's live sections change value exactly when what they show changes."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.status_sections import Sections, StatusSections
from app.wiring import Services
from tests.conftest import SettingsFactory
from tests.fakes.http_peer import FakePeer, FakeStream, serve_fake_peer
from tests.fakes.warp_cli import make_fake_warp_cli


@pytest.fixture
def acexy() -> Iterator[FakePeer]:
    with serve_fake_peer("acexy") as peer:
        yield peer


@pytest.fixture
def engine() -> Iterator[FakePeer]:
    with serve_fake_peer("engine") as peer:
        yield peer


def _changed(before: Sections, after: Sections) -> list[str]:
    return [name for name in after if after[name] != before[name]]


def test_each_section_changes_with_its_own_state_and_not_with_a_check_that_finds_it_unchanged(
    make_settings: SettingsFactory, acexy: FakePeer, engine: FakePeer, tmp_path: Path
) -> None:
    warp = make_fake_warp_cli(tmp_path, "text-connected")
    settings = make_settings(
        acexy_url=acexy.base_url, acestream_engine_url=engine.base_url, warp_cli=warp
    )
    with TestClient(create_app(settings)) as client:
        services: Services = client.app.state.services  # type: ignore[attr-defined]
        sections = StatusSections(services.peer_status, client.app.state.tasks.reads)  # type: ignore[attr-defined]
        later = datetime.now(UTC) + timedelta(minutes=1)
        first = sections.read()

        # A check a minute later that finds every peer as it was: checked_at and WARP's
        # last_connected move, nothing shown changes.
        services.peer_status.refresh(later)
        unchanged = sections.read()
        acexy.streams = [FakeStream("a" * 40, "b" * 40, clients=1)]
        services.peer_status.refresh(later + timedelta(seconds=15))
        streams = sections.read()
        make_fake_warp_cli(tmp_path, "text-disconnected")
        services.peer_status.refresh(later + timedelta(seconds=30))
        warp_down = sections.read()
        assert client.post("/api/v1/background-tasks/scrape/pause").status_code == 200
        paused = sections.read()

    assert _changed(first, unchanged) == []
    assert _changed(unchanged, streams) == ["streams"]
    assert _changed(streams, warp_down) == ["warp"]
    assert _changed(warp_down, paused) == ["tasks"]
