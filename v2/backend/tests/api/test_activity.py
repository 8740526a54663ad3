import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import RunTask
from tests.factories import make_activity
from tests.runs import RunWatcher

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _cursor(stamp: str, row_id: int) -> str:
    """A cursor in the API's own encoding, holding any key (also ones it never hands out)."""
    return base64.urlsafe_b64encode(json.dumps([stamp, row_id]).encode()).decode().rstrip("=")


def _messages(client: TestClient, **params: object) -> list[str]:
    response = client.get("/api/v1/activity/recent", params=params)
    assert response.status_code == 200, response.text
    return [item["message"] for item in response.json()["items"]]


def test_recent_answers_items_newest_first_in_the_documented_shape(
    client: TestClient, session: Session
) -> None:
    older = make_activity(
        session, message="older", timestamp=datetime(2026, 11, 24, 8, 0, 1, 500, tzinfo=UTC)
    )
    newer = make_activity(
        session,
        type="scrape",
        message="newer",
        details={"channels_found": 3, "name": "Deportes ⚽"},
        user="api-token",
        timestamp=datetime.now(UTC),
    )

    response = client.get("/api/v1/activity/recent", params={"type": ["scrape"]})

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": newer.id,
                "timestamp": newer.timestamp.isoformat().replace("+00:00", "Z"),
                "type": "scrape",
                "level": "info",
                "message": "newer",
                "details": {"channels_found": 3, "name": "Deportes ⚽"},
                "user": "api-token",
                "trace_id": None,
                "span_id": None,
            }
        ],
        "next_cursor": None,
    }
    assert _messages(client, days=1)[0] == "newer"
    assert older.id < newer.id


def test_recent_filters_by_several_types(client: TestClient, session: Session) -> None:
    make_activity(session, type="scrape", message="s")
    make_activity(session, type="error", message="e")
    make_activity(session, type="user_action", message="u")

    assert _messages(client, type=["scrape", "error"]) == ["e", "s"]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, ["today 11:00"]),
        (1, ["today 11:00", "yesterday 23:00"]),
        (None, ["today 11:00", "yesterday 23:00", "3 days ago"]),  # retention default: 7
        (30, ["today 11:00", "yesterday 23:00", "3 days ago"]),
    ],
)
def test_recent_limits_to_the_days_asked(
    client: TestClient, session: Session, days: int | None, expected: list[str]
) -> None:
    for message, when in [
        ("today 11:00", NOW - timedelta(hours=1)),
        ("yesterday 23:00", NOW - timedelta(hours=13)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("40 days ago", NOW - timedelta(days=40)),
    ]:
        make_activity(session, type="scrape", message=message, timestamp=when)
    params: dict[str, object] = {"type": "scrape"} | ({} if days is None else {"days": days})

    with time_machine.travel(NOW, tick=False):
        assert _messages(client, **params) == expected


def test_recent_default_window_follows_the_retention_setting(
    client: TestClient, session: Session
) -> None:
    make_activity(session, type="scrape", message="3 days ago", timestamp=NOW - timedelta(days=3))
    client.put("/api/v1/config/dashboard", json={"retention_days": 2})

    with time_machine.travel(NOW, tick=False):
        assert _messages(client, type="scrape") == []


def test_recent_pages_with_the_cursor_until_none(client: TestClient, session: Session) -> None:
    stamp = datetime.now(UTC) - timedelta(minutes=5)
    for index in range(5):
        # Two rows share each timestamp: the id breaks the tie.
        make_activity(
            session,
            type="scrape",
            message=str(index),
            timestamp=stamp + timedelta(seconds=index // 2),
        )

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: dict[str, object] = {"type": "scrape", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/activity/recent", params=params).json()
        seen += [item["message"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == ["4", "3", "2", "1", "0"]


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"days": 31}, "days", "less than or equal to 30"),
        ({"days": -1}, "days", "greater than or equal to 0"),
        ({"days": "week"}, "days", "valid integer"),
        ({"limit": 0}, "limit", "greater than or equal to 1"),
        ({"limit": 201}, "limit", "less than or equal to 200"),
        ({"type": "stream_of_consciousness"}, "type", "Input should be"),
        ({"min_level": "debug"}, "min_level", "Input should be 'info', 'warning' or 'error'"),
        ({"min_level": "WARNING"}, "min_level", "Input should be 'info', 'warning' or 'error'"),
        ({"cursor": "not-a-cursor"}, "cursor", "not a cursor returned by this API"),
        ({"cursor": "W10"}, "cursor", "not a cursor returned by this API"),
        ({"cursor": "x" * 513}, "cursor", "at most 512 characters"),
        ({"cursor": _cursor("2026-11-24T12:00:00+00:00", 2**63)}, "cursor", "not a cursor"),
        ({"cursor": _cursor("2026-11-24T12:00:00+00:00", 0)}, "cursor", "not a cursor"),
        ({"cursor": _cursor("9999-12-31T23:59:59-14:00", 1)}, "cursor", "not a cursor"),
        ({"cursor": _cursor("0001-01-01T00:00:00+14:00", 1)}, "cursor", "not a cursor"),
    ],
)
def test_recent_rejects_bad_query_with_422_naming_the_field(
    client: TestClient, params: dict[str, object], field: str, reason: str
) -> None:
    response = client.get("/api/v1/activity/recent", params=params)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][0] == "query"
    assert error["loc"][1] == field
    assert reason in error["msg"]


@pytest.mark.parametrize(
    ("min_level", "expected"),
    [
        ("info", ["error", "warning", "info"]),
        ("warning", ["error", "warning"]),
        ("error", ["error"]),
    ],
)
def test_recent_min_level_keeps_rows_of_that_level_and_above(
    client: TestClient, session: Session, min_level: str, expected: list[str]
) -> None:
    for level in ["info", "warning", "error"]:
        make_activity(session, type="user_action", level=level, message=level)

    assert _messages(client, type="user_action", min_level=min_level) == expected


def test_recent_without_min_level_shows_every_level(client: TestClient, session: Session) -> None:
    for level in ["info", "warning", "error"]:
        make_activity(session, type="user_action", level=level, message=level)

    assert _messages(client, type="user_action") == ["error", "warning", "info"]


def test_recent_min_level_pages_with_the_type_filter_and_the_cursor(
    client: TestClient, session: Session
) -> None:
    stamp = datetime.now(UTC) - timedelta(minutes=5)
    rows = [
        ("scrape", "warning", "s-w1"),
        ("user_action", "info", "u-i1"),
        ("user_action", "warning", "u-w1"),
        ("user_action", "error", "u-e1"),
        ("error", "error", "x-e1"),
        ("user_action", "info", "u-i2"),
        ("user_action", "warning", "u-w2"),
        ("user_action", "error", "u-e2"),
        ("user_action", "warning", "u-w3"),
    ]
    for index, (kind, level, message) in enumerate(rows):
        # Two rows share each timestamp: the id breaks the tie across pages too.
        when = stamp + timedelta(seconds=index // 2)
        make_activity(session, type=kind, level=level, message=message, timestamp=when)

    pages: list[list[str]] = []
    cursor = None
    for _ in range(10):
        params: dict[str, object] = {"type": "user_action", "min_level": "warning", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/activity/recent", params=params).json()
        pages.append([item["message"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == [["u-w3", "u-e2"], ["u-w2", "u-e1"], ["u-w1"]]


def test_histogram_counts_per_hour_and_type_oldest_first(
    client: TestClient, session: Session
) -> None:
    for minutes, kind in [(70, "scrape"), (65, "scrape"), (61, "error"), (5, "scrape")]:
        make_activity(session, type=kind, timestamp=NOW - timedelta(minutes=minutes))
    make_activity(session, type="scrape", timestamp=NOW - timedelta(days=3))

    with time_machine.travel(NOW, tick=False):
        response = client.get(
            "/api/v1/activity/histogram", params={"days": 1, "type": ["scrape", "error"]}
        )

    assert response.status_code == 200
    assert response.json() == {
        "bucket_seconds": 3600,
        "buckets": [
            {"start": "2026-11-24T10:00:00Z", "counts": {"scrape": 2, "error": 1}, "levels": {}},
            {"start": "2026-11-24T11:00:00Z", "counts": {"scrape": 1}, "levels": {}},
        ],
    }


def test_histogram_uses_days_buckets_beyond_two_days(client: TestClient, session: Session) -> None:
    make_activity(session, type="scrape", timestamp=NOW - timedelta(days=3, hours=1))
    make_activity(session, type="scrape", timestamp=NOW - timedelta(hours=1))

    with time_machine.travel(NOW, tick=False):
        body = client.get("/api/v1/activity/histogram", params={"days": 7, "type": "scrape"}).json()

    assert body == {
        "bucket_seconds": 86400,
        "buckets": [
            {"start": "2026-11-21T00:00:00Z", "counts": {"scrape": 1}, "levels": {}},
            {"start": "2026-11-24T00:00:00Z", "counts": {"scrape": 1}, "levels": {}},
        ],
    }


def test_histogram_counts_only_the_part_of_its_first_hour_inside_the_window(
    client: TestClient, session: Session
) -> None:
    now = NOW + timedelta(minutes=30)  # the window starts at 12:30 yesterday
    for stamp, kind in [
        (now - timedelta(days=1, minutes=10), "scrape"),  # 12:20 yesterday: outside
        (now - timedelta(days=1), "scrape"),  # 12:30 yesterday: the first moment inside
        (now - timedelta(days=1) + timedelta(minutes=20), "error"),
        (now - timedelta(hours=23), "scrape"),  # 13:30 yesterday: the next, whole hour
    ]:
        make_activity(session, type=kind, timestamp=stamp)

    with time_machine.travel(now, tick=False):
        params = {"days": 1, "type": ["scrape", "error"]}  # not the app's own start-up events
        body = client.get("/api/v1/activity/histogram", params=params).json()

    assert body["buckets"] == [
        {"start": "2026-11-23T12:00:00Z", "counts": {"scrape": 1, "error": 1}, "levels": {}},
        {"start": "2026-11-23T13:00:00Z", "counts": {"scrape": 1}, "levels": {}},
    ]


def test_histogram_follows_the_retention_purge(
    client: TestClient, session: Session, run_task: RunTask
) -> None:
    runs = RunWatcher.on(client)
    client.put("/api/v1/config/dashboard", json={"retention_days": 1})
    assert runs.wait_for_runs("activity_cleanup", 1, timeout=30)  # the one the change starts
    make_activity(session, type="scrape", timestamp=datetime.now(UTC) - timedelta(days=3))
    make_activity(session, type="scrape", timestamp=datetime.now(UTC))

    # Another window than after the purge: answers are cached for 2 s per question.
    before = client.get("/api/v1/activity/histogram", params={"days": 30, "type": "scrape"})
    run_task(client, "activity_cleanup")
    after = client.get("/api/v1/activity/histogram", params={"days": 7, "type": "scrape"})

    assert sum(b["counts"]["scrape"] for b in before.json()["buckets"]) == 2
    assert [b["counts"] for b in after.json()["buckets"]] == [{"scrape": 1}]


def test_histogram_rejects_bad_days_with_422(client: TestClient) -> None:
    response = client.get("/api/v1/activity/histogram", params={"days": 99})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "days"]


def _problem_rows(session: Session, now: datetime) -> None:
    """Rows on both sides of the window's first, partial hour (counted from the log) and in
    whole hours (read from the stored hourly counts): the window of days=1 opens at 12:30."""
    for stamp, kind, level in [
        (now - timedelta(days=1, minutes=10), "user_action", "error"),  # outside
        (now - timedelta(days=1), "user_action", "warning"),  # 12:30, partial hour
        (now - timedelta(days=1) + timedelta(minutes=5), "user_action", "info"),
        (now - timedelta(days=1) + timedelta(minutes=10), "error", "error"),
        (now - timedelta(hours=23), "scrape", "info"),  # 13:30, a whole hour
        (now - timedelta(hours=23), "user_action", "warning"),
        (now - timedelta(hours=23), "user_action", "warning"),
        (now - timedelta(hours=22), "scrape", "error"),  # 14:30
    ]:
        make_activity(session, type=kind, level=level, timestamp=stamp)


@pytest.mark.parametrize(
    ("min_level", "expected"),
    [
        (
            None,
            [
                {
                    "start": "2026-11-23T12:00:00Z",
                    "counts": {"error": 1, "user_action": 2},
                    "levels": {"error": 1, "warning": 1},
                },
                {
                    "start": "2026-11-23T13:00:00Z",
                    "counts": {"scrape": 1, "user_action": 2},
                    "levels": {"warning": 2},
                },
                {"start": "2026-11-23T14:00:00Z", "counts": {"scrape": 1}, "levels": {"error": 1}},
            ],
        ),
        (
            "warning",
            [
                {
                    "start": "2026-11-23T12:00:00Z",
                    "counts": {"error": 1, "user_action": 1},
                    "levels": {"error": 1, "warning": 1},
                },
                {
                    "start": "2026-11-23T13:00:00Z",
                    "counts": {"user_action": 2},
                    "levels": {"warning": 2},
                },
                {"start": "2026-11-23T14:00:00Z", "counts": {"scrape": 1}, "levels": {"error": 1}},
            ],
        ),
        (
            "error",
            [
                {"start": "2026-11-23T12:00:00Z", "counts": {"error": 1}, "levels": {"error": 1}},
                {"start": "2026-11-23T14:00:00Z", "counts": {"scrape": 1}, "levels": {"error": 1}},
            ],
        ),
    ],
)
def test_histogram_counts_problem_levels_per_bucket_and_follows_min_level(
    client: TestClient, session: Session, min_level: str | None, expected: list[object]
) -> None:
    now = NOW + timedelta(minutes=30)
    _problem_rows(session, now)
    params: dict[str, object] = {"days": 1, "type": ["scrape", "error", "user_action"]}
    if min_level is not None:
        params["min_level"] = min_level

    with time_machine.travel(now, tick=False):
        body = client.get("/api/v1/activity/histogram", params=params).json()

    assert body["buckets"] == expected


def test_histogram_days_buckets_sum_the_levels_of_their_hours(
    client: TestClient, session: Session
) -> None:
    for hours, level in [(30, "warning"), (2, "warning"), (1, "error"), (1, "info")]:
        make_activity(session, type="scrape", level=level, timestamp=NOW - timedelta(hours=hours))

    with time_machine.travel(NOW, tick=False):
        params = {"days": 3, "type": "scrape", "min_level": "warning"}
        body = client.get("/api/v1/activity/histogram", params=params).json()

    assert body == {
        "bucket_seconds": 86400,
        "buckets": [
            {"start": "2026-11-23T00:00:00Z", "counts": {"scrape": 1}, "levels": {"warning": 1}},
            {
                "start": "2026-11-24T00:00:00Z",
                "counts": {"scrape": 2},
                "levels": {"warning": 1, "error": 1},
            },
        ],
    }


def test_histogram_rejects_an_unknown_min_level_with_422(client: TestClient) -> None:
    response = client.get("/api/v1/activity/histogram", params={"min_level": "critical"})

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "min_level"]
    assert error["msg"] == "Input should be 'info', 'warning' or 'error'"
