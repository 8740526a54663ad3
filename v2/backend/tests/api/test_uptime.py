"""GET /api/v1/uptime and acestream_uptime_ratio over a scripted history; retention."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import StateChange
from app.repositories import channels as channels_repository
from app.repositories import state_changes as state_changes_repository
from tests.conftest import SettingsFactory

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _script(session: Session, rows: Sequence[tuple[str, str, str, datetime, str | None]]) -> None:
    """Replace the history with `rows` (kind, name, to_state, at, reason), watched until NOW."""
    session.execute(delete(StateChange))
    previous: dict[tuple[str, str], str] = {}
    for kind, name, state, at, reason in rows:
        session.add(
            StateChange(
                kind=kind,
                name=name,
                from_state=previous.get((kind, name)),
                to_state=state,
                changed_at=at,
                reason=reason,
            )
        )
        previous[(kind, name)] = state
    _watched(session, NOW)


def _watched(session: Session, now: datetime) -> None:
    state_changes_repository.lock_heartbeat(session, now=now)
    state_changes_repository.beat(session, now=now)
    session.commit()


HISTORY = [
    ("peer", "acexy", "up", NOW - 40 * DAY, None),
    # Down across midnight into 9 Jan, for an hour and a half.
    ("peer", "acexy", "down", datetime(2027, 1, 8, 23, 30, tzinfo=UTC), "Connection refused"),
    ("peer", "acexy", "up", datetime(2027, 1, 9, 1, 0, tzinfo=UTC), None),
    ("task", "scrape", "ok", NOW - 3 * DAY, None),
    ("task", "scrape", "failing", NOW - timedelta(minutes=12), "HTTP 500"),
]


def test_uptime_answers_each_entity_with_days_and_incidents(
    client: TestClient, session: Session
) -> None:
    _script(session, HISTORY)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/api/v1/uptime", params={"days": 3})

    assert response.status_code == 200
    body = response.json()
    assert body["bucket_seconds"] == 86400
    assert [(e["kind"], e["id"], e["name"]) for e in body["entities"]] == [
        ("peer", "acexy", "acexy"),
        ("task", "scrape", "scrape"),
    ]
    acexy, scrape = body["entities"]
    assert (acexy["state"], acexy["since"]) == ("up", "2027-01-09T01:00:00Z")
    assert acexy["uptime_ratio"] == pytest.approx(1 - 1.5 / 72)
    assert acexy["days"] == [
        {
            "date": "2027-01-08T00:00:00Z",
            "uptime_ratio": pytest.approx(23.5 / 24),
            "incidents": 1,
            "worst": "down",
        },
        {
            "date": "2027-01-09T00:00:00Z",
            "uptime_ratio": pytest.approx(23 / 24),
            "incidents": 1,
            "worst": "down",
        },
        {"date": "2027-01-10T00:00:00Z", "uptime_ratio": 1.0, "incidents": 0, "worst": "up"},
    ]
    assert acexy["incidents"] == [
        {
            "state": "down",
            "from": "2027-01-08T23:30:00Z",
            "to": "2027-01-09T01:00:00Z",
            "duration_seconds": 5400.0,
            "reason": "Connection refused",
        }
    ]
    assert acexy["windows"]["90d"] == pytest.approx(1 - 1.5 / (40 * 24))
    assert (scrape["state"], scrape["since"]) == ("failing", "2027-01-10T11:48:00Z")
    assert scrape["incidents"] == [
        {
            "state": "failing",
            "from": "2027-01-10T11:48:00Z",
            "to": None,
            "duration_seconds": 720.0,
            "reason": "HTTP 500",
        }
    ]
    # Seen first 3 days ago: the 90 days before count as unknown, not as up.
    assert scrape["windows"]["90d"] == pytest.approx(1 - 12 / (3 * 24 * 60))


def test_two_days_or_fewer_answer_hourly_buckets(client: TestClient, session: Session) -> None:
    _script(session, HISTORY)
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        _watched(session, NOW + timedelta(minutes=30))
        body = client.get("/api/v1/uptime", params={"days": 1}).json()

    assert body["bucket_seconds"] == 3600
    days = body["entities"][1]["days"]
    assert len(days) == 24
    assert days[-2:] == [
        {
            "date": "2027-01-10T11:00:00Z",
            "uptime_ratio": pytest.approx(0.8),
            "incidents": 1,
            "worst": "failing",
        },
        # This hour, up to now.
        {"date": "2027-01-10T12:00:00Z", "uptime_ratio": 0.0, "incidents": 1, "worst": "failing"},
    ]


def test_time_after_the_last_watch_counts_as_unknown(client: TestClient, session: Session) -> None:
    _script(session, HISTORY)
    # Nobody has watched for two hours (the status check stopped, or the service is down).
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        body = client.get("/api/v1/uptime", params={"days": 1}).json()

    scrape = body["entities"][1]
    assert scrape["state"] == "unknown"
    assert scrape["days"][-1]["worst"] == "unknown"


@pytest.mark.parametrize("days", ["0", "91", "week"])
def test_uptime_rejects_days_outside_1_to_90_with_422(client: TestClient, days: str) -> None:
    response = client.get("/api/v1/uptime", params={"days": days})

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "days"]


def test_metrics_report_the_same_ratios_as_the_api(client: TestClient, session: Session) -> None:
    _script(session, HISTORY)
    with time_machine.travel(NOW, tick=False):
        api = client.get("/api/v1/uptime", params={"days": 90}).json()
        metrics = client.get("/metrics").text

    [family] = [
        f for f in text_string_to_metric_families(metrics) if f.name == "acestream_uptime_ratio"
    ]
    scraped = {
        (s.labels["kind"], s.labels["entity"], s.labels["window"]): s.value for s in family.samples
    }
    served = {
        (e["kind"], e["name"], window): e["windows"][window]
        for e in api["entities"]
        for window in ("1d", "7d", "30d")
    }
    assert scraped == served
    assert scraped[("peer", "acexy", "1d")] == 1.0
    assert scraped[("task", "scrape", "1d")] == pytest.approx(1 - 12 / (24 * 60))


def test_cleanup_deletes_state_changes_past_uptime_retention_keeping_each_start(
    make_settings: SettingsFactory, run_task: Callable[[TestClient, str], dict[str, object]]
) -> None:
    now = datetime.now(UTC)
    rows = [
        ("peer", "engine", "up", now - 200 * DAY, None),  # its only row: kept
        ("peer", "acexy", "up", now - 100 * DAY, None),  # superseded before the cutoff
        ("peer", "acexy", "down", now - 95 * DAY, "refused"),  # the state at the cutoff
        ("peer", "acexy", "up", now - 10 * DAY, None),
    ]
    # The activity log keeps 7 days; state changes their own 90.
    with TestClient(create_app(make_settings(uptime_retention_days=90))) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        with Session(engine) as session:
            _script(session, rows)
        result = run_task(client, "activity_cleanup")["last_result"]
        with Session(engine) as session:
            kept = session.execute(
                select(StateChange.name, StateChange.to_state)
                .where(StateChange.kind == "peer")  # the run adds the tasks' first sight
                .order_by(StateChange.changed_at)
            ).all()

    assert result["state_changes_deleted"] == 1  # type: ignore[index]
    assert [tuple(row) for row in kept] == [("engine", "up"), ("acexy", "down"), ("acexy", "up")]


def test_cleanup_deletes_a_stream_that_ended_before_the_uptime_retention(
    make_settings: SettingsFactory, run_task: Callable[[TestClient, str], dict[str, object]]
) -> None:
    now = datetime.now(UTC)
    rows = [
        ("stream", GONE, "playing", now - 100 * DAY, None),
        ("stream", GONE, "ended", now - 99 * DAY, None),  # nothing left to keep
        ("stream", LA1, "playing", now - 100 * DAY, None),  # still playing at the cutoff
        ("stream", LA1, "ended", now - 1 * DAY, None),
    ]
    with TestClient(create_app(make_settings(uptime_retention_days=90))) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        with Session(engine) as session:
            _script(session, rows)
        result = run_task(client, "activity_cleanup")["last_result"]
        with Session(engine) as session:
            kept = session.execute(
                select(StateChange.name, StateChange.to_state)
                .where(StateChange.kind == "stream")
                .order_by(StateChange.changed_at)
            ).all()

    assert result["state_changes_deleted"] == 2  # type: ignore[index]
    assert [tuple(row) for row in kept] == [(LA1, "playing"), (LA1, "ended")]


LA1 = "a" * 40
UNLISTED = "b" * 40
GONE = "c" * 40
STREAMS = [
    # Ended before the 3-day window: left out.
    ("stream", GONE, "playing", NOW - 10 * DAY, None),
    ("stream", GONE, "ended", NOW - 9 * DAY, "acexy no longer serves it"),
    # Played for 2 h yesterday, stalled 30 min of them, then ended.
    ("stream", LA1, "playing", NOW - DAY, None),
    ("stream", LA1, "stalled", NOW - DAY + timedelta(minutes=60), "No peers"),
    ("stream", LA1, "playing", NOW - DAY + timedelta(minutes=90), None),
    ("stream", LA1, "ended", NOW - DAY + timedelta(minutes=120), "acexy no longer serves it"),
    ("stream", UNLISTED, "playing", NOW - timedelta(hours=1), None),
]


def _add_channel(session: Session, content_id: str, name: str) -> None:
    row = {
        "content_id": content_id,
        "id_kind": "content_id",
        "name": name,
        "group_title": None,
        "tvg_logo": None,
        "tvg_id": None,
        "source_url": "http://list",
        "first_seen": NOW,
        "last_seen": NOW,
    }
    channels_repository.upsert_channels(session, [row])
    session.commit()


def test_streams_seen_in_the_window_come_last_named_by_their_channel(
    client: TestClient, session: Session
) -> None:
    _add_channel(session, LA1, "La 1 HD")
    _script(session, HISTORY + STREAMS)
    with time_machine.travel(NOW, tick=False):
        body = client.get("/api/v1/uptime", params={"days": 3}).json()
        metrics = client.get("/metrics").text

    assert [(e["kind"], e["id"], e["name"]) for e in body["entities"]] == [
        ("peer", "acexy", "acexy"),
        ("task", "scrape", "scrape"),
        ("stream", LA1, "La 1 HD"),
        ("stream", UNLISTED, UNLISTED),
    ]
    la1 = body["entities"][2]
    assert (la1["state"], la1["since"]) == ("ended", "2027-01-09T14:00:00Z")
    # An ended stream is no outage: 90 min playing, 30 min stalled.
    assert la1["uptime_ratio"] == pytest.approx(0.75)
    assert [i["state"] for i in la1["incidents"]] == ["stalled"]
    assert [d["worst"] for d in la1["days"]] == ["unknown", "stalled", "ended"]
    # /metrics leaves the streams out (a label per stream would grow without bound).
    assert f'entity="{LA1}"' not in metrics
    assert 'acestream_uptime_ratio{entity="acexy"' in metrics


def test_the_view_follows_rows_written_and_deleted_after_an_earlier_read(
    client: TestClient, session: Session
) -> None:
    _script(session, HISTORY)
    with time_machine.travel(NOW, tick=False):
        before = client.get("/api/v1/uptime", params={"days": 3}).json()
        session.add(
            StateChange(
                kind="peer",
                name="acexy",
                from_state="up",
                to_state="down",
                changed_at=NOW - timedelta(minutes=6),
                reason="refused",
            )
        )
        session.commit()
        written = client.get("/api/v1/uptime", params={"days": 3}).json()
        session.execute(delete(StateChange).where(StateChange.kind == "task"))
        session.commit()
        deleted = client.get("/api/v1/uptime", params={"days": 3}).json()

    assert before["entities"][0]["state"] == "up"
    assert (written["entities"][0]["state"], written["entities"][0]["since"]) == (
        "down",
        "2027-01-10T11:54:00Z",
    )
    assert [e["name"] for e in written["entities"]] == ["acexy", "scrape"]
    # Today's bucket follows the new row; the settled days before it stay as they were.
    assert [d["worst"] for d in before["entities"][0]["days"]] == ["down", "down", "up"]
    assert [d["worst"] for d in written["entities"][0]["days"]] == ["down", "down", "down"]
    assert [e["name"] for e in deleted["entities"]] == ["acexy"]
    assert deleted["entities"][0]["state"] == "down"
