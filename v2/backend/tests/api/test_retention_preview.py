"""`GET /config/dashboard/retention-preview`: the count a retention change would delete."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import all_activity, make_activity
from tests.runs import RunWatcher

URL = "/api/v1/config/dashboard/retention-preview"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
AGES = [timedelta(hours=1), timedelta(hours=13), timedelta(days=2), timedelta(days=31)]


def _store_ages(session: Session) -> None:
    for age in AGES:
        make_activity(session, type="scrape", message=str(age), timestamp=NOW - age)


@pytest.mark.parametrize(
    ("days", "rows", "cutoff"),
    [
        (0, 3, "2026-11-24T00:00:00Z"),  # today only: since 00:00 UTC
        (1, 2, "2026-11-23T12:00:00Z"),
        (3, 1, "2026-11-21T12:00:00Z"),
        (30, 1, "2026-10-25T12:00:00Z"),
    ],
)
def test_preview_counts_the_rows_older_than_the_cutoff(
    client: TestClient, session: Session, days: int, rows: int, cutoff: str
) -> None:
    _store_ages(session)

    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, params={"days": days})

    assert response.status_code == 200
    body = response.json()
    assert body == {"retention_days": days, "rows_to_delete": rows, "cutoff": body["cutoff"]}
    assert datetime.fromisoformat(body["cutoff"]) == datetime.fromisoformat(cutoff)


def test_preview_deletes_nothing_and_changes_no_setting(
    client: TestClient, session: Session
) -> None:
    _store_ages(session)
    before = [row.id for row in all_activity(session)]

    with time_machine.travel(NOW, tick=False):
        assert client.get(URL, params={"days": 0}).json()["rows_to_delete"] == 3

    assert [row.id for row in all_activity(session)] == before
    assert client.get("/api/v1/config/dashboard").json()["retention_days"] == 7


def test_the_cleanup_deletes_exactly_the_previewed_count(
    client: TestClient, session: Session
) -> None:
    _store_ages(session)
    runs = RunWatcher.on(client)

    with time_machine.travel(NOW, tick=False):
        previewed = client.get(URL, params={"days": 1}).json()["rows_to_delete"]
        client.put("/api/v1/config/dashboard", json={"retention_days": 1})
        assert runs.wait_for_runs("activity_cleanup", 1, timeout=30)

    tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
    [cleanup] = [task for task in tasks if task["task_name"] == "activity_cleanup"]
    assert cleanup["last_result"]["deleted"] == previewed == 2


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"days": 31}, "less than or equal to 30"),
        ({"days": -1}, "greater than or equal to 0"),
        ({"days": "week"}, "valid integer"),
        ({"days": 2.5}, "valid integer"),
        ({}, "Field required"),
    ],
)
def test_preview_refuses_a_bad_days_with_422_naming_it(
    client: TestClient, params: dict[str, object], reason: str
) -> None:
    response = client.get(URL, params=params)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "days"]
    assert reason in error["msg"]
