"""GET /api/v1/activity/export: the activity log as a CSV or NDJSON file, streamed."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from app.main import create_app
from app.repositories import activity as activity_repository
from tests.conftest import SettingsFactory, build_test_settings
from tests.factories import make_activity

NOW = datetime(2026, 12, 2, 8, 30, 15, tzinfo=UTC)
URL = "/api/v1/activity/export"
HEADER = ["id", "timestamp", "type", "level", "message", "details", "user", "trace_id", "span_id"]


def _csv_rows(response_text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response_text, newline="")))


def _export(client: TestClient, **params: object) -> str:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: str = response.text
    return body


def test_csv_export_has_the_header_and_every_row_newest_first_with_safe_cells(
    client: TestClient, session: Session
) -> None:
    older = make_activity(
        session,
        type="error",
        level="error",
        message='=HYPERLINK("http://evil.example")',
        details={"exception": {"type": "ValueError", "stacktrace": "line 1\nline 2"}},
        user="@ops",
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
        span_id="00f067aa0ba902b7",
        timestamp=NOW - timedelta(hours=2),
    )
    newer = make_activity(
        session,
        type="scrape",
        message='Scraped 3 sources, "Deportes ⚽"; total, 120',
        details={"channels_found": 120, "new": 4},
        timestamp=NOW - timedelta(hours=1),
    )
    for index, message in enumerate(["+1", "-3 °C", "\tindented", "\rreturned", "plain = fine"]):
        make_activity(
            session,
            type="user_action",
            message=message,
            timestamp=NOW - timedelta(hours=3, minutes=index),
        )

    # Not the app's own start-up events (system_event): those are stored at the real time.
    params = {"format": "csv", "type": ["scrape", "error", "user_action"]}
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, params=params)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="activity-2026-12-02T0830Z.csv"'
    )
    rows = _csv_rows(response.text)
    assert rows[0] == HEADER
    # Details as JSON text (PostgreSQL's JSONB keeps its keys in an order of its own).
    details = [json.loads(row.pop(5)) for row in rows[1:3]]
    assert details == [newer.details, older.details]
    assert older.details == {"exception": {"type": "ValueError", "stacktrace": "line 1\nline 2"}}
    assert rows[1] == [
        str(newer.id),
        (NOW - timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        "scrape",
        "info",
        'Scraped 3 sources, "Deportes ⚽"; total, 120',
        "",
        "",
        "",
    ]
    assert rows[2] == [
        str(older.id),
        (NOW - timedelta(hours=2)).isoformat().replace("+00:00", "Z"),
        "error",
        "error",
        '\'=HYPERLINK("http://evil.example")',
        "'@ops",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
    ]
    assert [row[4] for row in rows[3:]] == [
        "'+1",
        "'-3 °C",
        "'\tindented",
        "'\rreturned",
        "plain = fine",
    ]


def test_ndjson_export_writes_each_row_as_recent_does_one_per_line(
    client: TestClient, session: Session
) -> None:
    for minutes, kind, level in [
        (5, "scrape", "info"),
        (3, "error", "error"),
        (1, "scrape", "warning"),
    ]:
        make_activity(
            session,
            type=kind,
            level=level,
            message=f"{kind} {minutes}",
            details={"minutes": minutes, "nested": {"ok": True}},
            timestamp=NOW - timedelta(minutes=minutes),
        )

    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, params={"format": "ndjson", "type": ["scrape", "error"]})
        recent = client.get("/api/v1/activity/recent", params={"type": ["scrape", "error"]})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["content-disposition"] == (
        'attachment; filename="activity-2026-12-02T0830Z.ndjson"'
    )
    assert response.text.endswith("\n")
    lines = response.text.splitlines()
    assert [json.loads(line) for line in lines] == recent.json()["items"]
    assert [json.loads(line)["message"] for line in lines] == ["scrape 1", "error 3", "scrape 5"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["u-e 1h", "s-w 2h", "u-i 3h", "u-w 2d"]),
        ({"days": 1}, ["u-e 1h", "s-w 2h", "u-i 3h"]),
        ({"type": "user_action"}, ["u-e 1h", "u-i 3h", "u-w 2d"]),
        ({"min_level": "warning"}, ["u-e 1h", "s-w 2h", "u-w 2d"]),
        ({"min_level": "error"}, ["u-e 1h"]),
        ({"min_level": "warning", "type": "user_action", "days": 1}, ["u-e 1h"]),
    ],
)
def test_export_applies_the_filters_of_recent(
    client: TestClient, session: Session, params: dict[str, object], expected: list[str]
) -> None:
    for message, kind, level, age in [
        ("u-w 2d", "user_action", "warning", timedelta(days=2)),
        ("u-i 3h", "user_action", "info", timedelta(hours=3)),
        ("s-w 2h", "scrape", "warning", timedelta(hours=2)),
        ("u-e 1h", "user_action", "error", timedelta(hours=1)),
        ("u-i 9d", "user_action", "info", timedelta(days=9)),  # beyond the retention: 7 days
    ]:
        make_activity(session, type=kind, level=level, message=message, timestamp=NOW - age)
    # Not the app's own start-up events: those are stored at the real time.
    scope = {"type": ["user_action", "scrape"]} | params

    with time_machine.travel(NOW, tick=False):
        exported = [row[4] for row in _csv_rows(_export(client, **scope))[1:]]
        recent = client.get("/api/v1/activity/recent", params=scope).json()["items"]

    assert exported == expected
    assert [item["message"] for item in recent] == expected


def test_export_of_many_rows_crosses_its_batches_without_losing_or_repeating_one(
    client: TestClient, session: Session
) -> None:
    # 2 500 rows read in batches of 1 000; pairs share a timestamp, so the id breaks ties at
    # the batch boundaries as well.
    rows = [
        {
            "timestamp": NOW - timedelta(hours=1) + timedelta(seconds=index // 2),
            "type": "scrape",
            "level": "info",
            "message": f"row {index}",
            "details": {"index": index},
            "user": None,
        }
        for index in range(2_500)
    ]
    activity_repository.insert_rows(session, rows)
    session.commit()

    with time_machine.travel(NOW, tick=False):
        csv_rows = _csv_rows(_export(client, type="scrape"))[1:]
        ndjson = [
            json.loads(line)
            for line in _export(client, type="scrape", format="ndjson").splitlines()
        ]

    expected = [f"row {index}" for index in reversed(range(2_500))]
    assert [row[4] for row in csv_rows] == expected
    assert [item["message"] for item in ndjson] == expected
    ids = [int(row[0]) for row in csv_rows]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 2_500


def test_export_with_no_rows_is_the_header_alone_or_empty(client: TestClient) -> None:
    with time_machine.travel(NOW, tick=False):
        assert _export(client, type="user_action") == ",".join(HEADER) + "\r\n"
        assert _export(client, type="user_action", format="ndjson") == ""


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"format": "xlsx"}, "format", "Input should be 'csv' or 'ndjson'"),
        ({"format": "CSV"}, "format", "Input should be 'csv' or 'ndjson'"),
        ({"min_level": "debug"}, "min_level", "Input should be 'info', 'warning' or 'error'"),
        ({"type": "stream_of_consciousness"}, "type", "Input should be"),
        ({"days": 31}, "days", "less than or equal to 30"),
    ],
)
def test_export_rejects_bad_query_with_422_naming_the_field(
    client: TestClient, params: dict[str, object], field: str, message: str
) -> None:
    response = client.get(URL, params=params)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][:2] == ["query", field]
    assert message in error["msg"]


def test_head_gives_the_file_s_headers_without_reading_the_log(client: TestClient) -> None:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, ...)

    event.listen(engine, "before_cursor_execute", note)
    try:
        with time_machine.travel(NOW, tick=False):
            response = client.head(URL, params={"format": "ndjson"})
    finally:
        event.remove(engine, "before_cursor_execute", note)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["content-disposition"] == (
        'attachment; filename="activity-2026-12-02T0830Z.ndjson"'
    )
    assert response.content == b""
    assert not [statement for statement in statements if "activity" in statement]


def test_export_needs_the_token_with_api_read_auth(make_settings: SettingsFactory) -> None:
    token = "s3cret-token-0123456789"
    settings = make_settings(api_token=token, api_read_auth=True)
    with TestClient(create_app(settings)) as client:
        refused = client.get(URL)
        allowed = client.get(URL, headers={"Authorization": f"Bearer {token}"})

    assert refused.status_code == 401
    assert allowed.status_code == 200
    assert allowed.text.startswith(",".join(HEADER))


def test_export_answers_503_not_a_broken_file_when_the_database_is_unreadable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "acestream.db"
    with TestClient(create_app(build_test_settings(f"sqlite:///{path}", tmp_path))) as client:
        engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        with path.open("r+b") as file:
            file.seek(4096)  # the header stays valid; every table page after it is garbage
            file.write(b"\xff" * (path.stat().st_size - 4096))
        engine.dispose()

        response = client.get(URL)

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "detail": "The database is unavailable right now; try again shortly."
    }
