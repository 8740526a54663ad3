"""GET /streams/history and /streams/{id}/samples, over sessions and samples stored as the
status check stores them."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.models import StreamSession
from app.repositories import channels as channels_repository
from app.repositories import stream_sessions as sessions_repository
from app.repositories.stream_sessions import NewSession

ID = "a" * 40
HASH = "b" * 40
UNKNOWN = "c" * 40


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _sample(session_id: int, at: datetime, clients: int, speed: float) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "at": at,
        "resolution_seconds": 15,
        "clients": clients,
        "engine_status": "dl",
        "peers": 10,
        "speed_down_kbps": speed,
        "speed_up_kbps": 1.0,
        "downloaded_bytes": 1000,
        "uploaded_bytes": 10,
        "stalled": False,
    }


def _store(engine: Engine, now: datetime) -> tuple[datetime, datetime]:
    """Our channel played 3 h ago for 30 min (2 clients); an infohash we do not list plays
    since 20 min ago. Returns when each started."""
    earlier, recent = now - timedelta(hours=3), now - timedelta(minutes=20)
    with Session(engine) as session, session.begin():
        channels_repository.upsert_channels(
            session,
            [
                {
                    "content_id": ID,
                    "id_kind": "content_id",
                    "name": "La 1 HD",
                    "group_title": "Generalistas",
                    "tvg_logo": None,
                    "tvg_id": "La1.es",
                    "source_url": "http://list",
                    "first_seen": now,
                    "last_seen": now,
                }
            ],
        )
        ours = sessions_repository.open_session(
            session, NewSession((ID, "content_id"), earlier, None, None)
        )
        theirs = sessions_repository.open_session(
            session, NewSession((HASH, "infohash"), recent, None, None)
        )
        assert ours is not None
        assert theirs is not None
        sessions_repository.add_samples(
            session,
            [
                _sample(ours, earlier, 2, 800.0),
                _sample(ours, earlier + timedelta(minutes=30), 1, 600.0),
                _sample(theirs, recent, 3, 500.0),
            ],
        )
        row = session.get(StreamSession, ours)
        assert row is not None
        row.last_seen_at = earlier + timedelta(minutes=30)
        row.peak_clients, row.speed_down_sum, row.speed_samples = 2, 1400.0, 2
        session.flush()
        assert sessions_repository.end_session(session, ours)
    return earlier, recent


def test_history_lists_the_sessions_and_the_most_at_once_per_hour(
    client: TestClient, engine: Engine
) -> None:
    now = datetime.now(UTC)
    earlier, recent = _store(engine, now)

    body = client.get("/api/v1/streams/history").json()

    assert body["bucket_seconds"] == 3600
    theirs, ours = body["sessions"]
    assert theirs["infohash"] == HASH
    assert (theirs["id"], theirs["ended_at"]) == (None, None)
    assert theirs["channel"] is None
    assert ours == {
        "id": ID,
        "infohash": None,
        "channel": {"name": "La 1 HD", "group": "Generalistas", "logo": None, "tvg_id": "La1.es"},
        "started_at": _iso(earlier),
        "ended_at": _iso(earlier + timedelta(minutes=30)),
        "duration_seconds": 1800.0,
        "peak_clients": 2,
        "avg_speed_down_kbps": 700.0,
    }
    expected: dict[str, dict[str, int]] = {}
    for at, clients in [(earlier, 2), (earlier + timedelta(minutes=30), 1), (recent, 3)]:
        start = _iso(_hour(at))
        most = expected.setdefault(start, {"streams": 0, "clients": 0})
        most.update(streams=1, clients=max(most["clients"], clients))
    assert body["concurrent"] == [
        {"start": start, **most} for start, most in sorted(expected.items())
    ]


def test_history_over_more_than_two_days_is_daily(client: TestClient, engine: Engine) -> None:
    now = datetime.now(UTC)
    _store(engine, now)

    body = client.get("/api/v1/streams/history", params={"days": 3}).json()

    assert body["bucket_seconds"] == 86400
    assert {bucket["start"][11:] for bucket in body["concurrent"]} == {"00:00:00Z"}
    assert sum(1 for _ in body["sessions"]) == 2


def test_samples_of_one_stream_oldest_first_by_either_case(
    client: TestClient, engine: Engine
) -> None:
    earlier, _ = _store(engine, datetime.now(UTC))

    body = client.get(f"/api/v1/streams/{ID.upper()}/samples", params={"hours": 4}).json()
    recent_only = client.get(f"/api/v1/streams/{ID}/samples").json()

    assert body["id"] == ID
    assert body["channel"]["name"] == "La 1 HD"
    assert [(s["at"], s["clients"], s["speed_down_kbps"]) for s in body["samples"]] == [
        (_iso(earlier), 2, 800.0),
        (_iso(earlier + timedelta(minutes=30)), 1, 600.0),
    ]
    assert recent_only["samples"] == []


def test_samples_of_a_channel_that_never_played_are_empty(
    client: TestClient, engine: Engine
) -> None:
    _store(engine, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        sessions_repository.delete_before(session, datetime.now(UTC) + timedelta(days=1))

    response = client.get(f"/api/v1/streams/{ID}/samples")

    assert response.status_code == 200
    assert response.json()["samples"] == []


def test_samples_of_an_id_neither_seen_nor_ours_is_404(client: TestClient) -> None:
    response = client.get(f"/api/v1/streams/{UNKNOWN}/samples")

    assert response.status_code == 404
    assert response.json() == {"detail": f"No stream or channel has the id {UNKNOWN}"}


@pytest.mark.parametrize(
    ("path", "params", "loc", "reason"),
    [
        ("/api/v1/streams/history", {"days": 0}, ["query", "days"], "greater than or equal to 1"),
        ("/api/v1/streams/history", {"days": 31}, ["query", "days"], "less than or equal to 30"),
        ("/api/v1/streams/history", {"days": "x"}, ["query", "days"], "valid integer"),
        (f"/api/v1/streams/{ID}/samples", {"hours": 0}, ["query", "hours"], "greater than"),
        (f"/api/v1/streams/{ID}/samples", {"hours": 721}, ["query", "hours"], "less than"),
        ("/api/v1/streams/xyz/samples", {}, ["path", "stream_id"], "String should match"),
        (f"/api/v1/streams/{ID}0/samples", {}, ["path", "stream_id"], "String should match"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(
    client: TestClient, path: str, params: dict[str, object], loc: list[str], reason: str
) -> None:
    response = client.get(path, params=params)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == loc
    assert reason in error["msg"]
