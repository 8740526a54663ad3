from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.services.retention import RetentionService
from tests.conftest import RunTask
from tests.factories import all_activity, make_activity
from tests.runs import RunWatcher

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
AGES = {
    "1 hour": timedelta(hours=1),
    "13 hours": timedelta(hours=13),  # yesterday 23:00
    "2 days": timedelta(days=2),
    "31 days": timedelta(days=31),
}


@pytest.mark.parametrize(
    ("retention", "kept"),
    [
        (0, ["1 hour"]),
        (1, ["1 hour", "13 hours"]),
        (30, ["1 hour", "13 hours", "2 days"]),
    ],
)
def test_cleanup_deletes_what_is_older_than_the_retention(
    client: TestClient, session: Session, run_task: RunTask, retention: int, kept: list[str]
) -> None:
    for label, age in AGES.items():
        make_activity(session, type="scrape", message=label, timestamp=NOW - age)
    runs = RunWatcher.on(client)

    with time_machine.travel(NOW, tick=False):
        client.put("/api/v1/config/dashboard", json={"retention_days": retention})
        # Changing the retention starts a cleanup straight away.
        assert runs.wait_for_runs("activity_cleanup", 1, timeout=30)

    messages = [row.message for row in all_activity(session) if row.type == "scrape"]
    assert messages == kept
    tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
    [cleanup] = [task for task in tasks if task["task_name"] == "activity_cleanup"]
    result = cleanup["last_result"]
    assert result["deleted"] == len(AGES) - len(kept)
    assert result["retention_days"] == retention


def test_cleanup_deletes_in_batches_until_done(client: TestClient, session: Session) -> None:
    for index in range(12):
        make_activity(
            session, type="scrape", message=str(index), timestamp=NOW - timedelta(days=40)
        )
    services = client.app.state.services  # type: ignore[attr-defined]
    retention = RetentionService(
        sessionmaker(session.get_bind()),
        services.config,
        services.recorder,
        services.stream_sessions,
        uptime_retention_days=90,
        batch_size=5,
    )

    result = retention.purge(NOW)

    assert result["deleted"] == 12
    assert [row for row in all_activity(session) if row.type == "scrape"] == []


def _cleanup_rows(client: TestClient, session: Session) -> list[tuple[str, dict[str, object]]]:
    """Run a scheduled cleanup now; the background task rows it left."""
    client.app.state.tasks.engine.run_scheduled("activity_cleanup")  # type: ignore[attr-defined]
    return [
        (row.message, row.details) for row in all_activity(session) if row.type == "background_task"
    ]


def test_a_cleanup_that_deletes_nothing_writes_no_row(client: TestClient, session: Session) -> None:
    make_activity(session, type="scrape", timestamp=datetime.now(UTC) - timedelta(hours=1))

    assert _cleanup_rows(client, session) == []


def test_a_cleanup_that_deletes_rows_writes_one_row_saying_how_many(
    client: TestClient, session: Session
) -> None:
    for _ in range(3):
        make_activity(session, type="scrape", timestamp=datetime.now(UTC) - timedelta(days=40))

    [(message, details)] = _cleanup_rows(client, session)

    assert message == "Deleted 3 activity rows older than 7 days"
    assert (details["deleted"], details["retention_days"]) == (3, 7)
