"""The activity chart and the retention dialog in real Chromium, in Los Angeles time."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.repositories import activity as activity_repository
from tests.conftest import build_test_settings
from tests.e2e.browser import FRONTEND, run_script
from tests.live import serve_app

OLD_ROWS = 6


def _rows(moment: datetime, count: int, message: str) -> list[dict[str, object]]:
    return [
        {
            "timestamp": moment,
            "type": "system_event",
            "level": "info",
            "message": message,
            "details": {},
            "user": None,
        }
        for _ in range(count)
    ]


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    database_url = f"sqlite:///{tmp_path / 'app.db'}"
    settings = build_test_settings(database_url, tmp_path, frontend_dist=FRONTEND / "dist")
    now = datetime.now(UTC)
    with serve_app(settings) as url:
        engine = create_engine(database_url)
        try:
            with sessionmaker(engine).begin() as session:
                # This hour's rows, then the OLD_ROWS a retention of 3 days would delete.
                rows = _rows(now, 3, "now")
                rows += _rows(now - timedelta(days=4), 4, "four days ago")
                rows += _rows(now - timedelta(days=10), OLD_ROWS - 4, "ten days ago")
                activity_repository.insert_rows(session, rows)
        finally:
            engine.dispose()
        yield url


def test_the_chart_and_the_retention_dialog_in_los_angeles(live_url: str, tmp_path: Path) -> None:
    run_script("chart.mjs", live_url, tmp_path, {"OLD_ROWS": str(OLD_ROWS)})

    assert (tmp_path / "chart-1280.png").stat().st_size > 5_000
    assert (tmp_path / "chart-375.png").stat().st_size > 5_000
