"""The retention cleanup's part for streams: raw samples older than a day become 5-minute
averages, older than a week hourly ones; what is older than the retention goes."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import StreamSample, StreamSession
from app.repositories import stream_sessions as sessions_repository
from app.repositories.stream_sessions import NewSession

NOW = datetime(2026, 12, 1, 12, 0, 7, tzinfo=UTC)
RETENTION_CUTOFF = NOW - timedelta(days=30)


def _raw(session_id: int, at: datetime, **figures: Any) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "at": at,
        "resolution_seconds": 15,
        "clients": 1,
        "engine_status": "dl",
        "peers": 10,
        "speed_down_kbps": 100.0,
        "speed_up_kbps": 10.0,
        "downloaded_bytes": 1000,
        "uploaded_bytes": 100,
        "stalled": False,
        **figures,
    }


def _open(session: Session, content_id: str, started_at: datetime) -> int:
    session_id = sessions_repository.open_session(
        session, NewSession((content_id, "content_id"), started_at, None, None)
    )
    assert session_id is not None
    return session_id


def test_samples_are_averaged_as_they_age_and_deleted_past_the_retention(
    client: TestClient, session: Session
) -> None:
    two_days_ago = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    ten_days_ago = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    with session.begin():
        playing = _open(session, "a" * 40, ten_days_ago)
        old = _open(session, "b" * 40, NOW - timedelta(days=40))
        sessions_repository.end_session(session, old)
        rows = [_raw(old, NOW - timedelta(days=40))]
        # Ten days ago: 8 samples, 4 minutes apart, in six 5-minute buckets of one hour.
        rows += [
            _raw(playing, ten_days_ago + timedelta(minutes=4 * n), clients=n, speed_down_kbps=n)
            for n in range(8)
        ]
        # Two days ago: 10 minutes of samples every 15 s; a stall in the second half.
        rows += [
            _raw(
                playing,
                two_days_ago + timedelta(seconds=15 * n),
                clients=3 if n == 7 else 1,
                peers=None if n == 0 else 10 + n,
                speed_down_kbps=None if n == 1 else 200.0 * (n % 2),
                downloaded_bytes=1000 * n,
                stalled=n == 30,
            )
            for n in range(40)
        ]
        # An hour ago: left raw.
        rows += [_raw(playing, NOW - timedelta(hours=1, seconds=15 * n)) for n in range(4)]
        sessions_repository.add_samples(session, rows)

    result = client.app.state.services.stream_sessions.compact(NOW, RETENTION_CUTOFF)  # type: ignore[attr-defined]

    session.expire_all()
    samples = list(session.scalars(select(StreamSample).order_by(StreamSample.at)))
    figures = [
        (s.at, s.resolution_seconds, s.clients, s.peers, s.speed_down_kbps, s.stalled)
        for s in samples
    ]
    first_five = [200.0 * (n % 2) for n in range(20) if n != 1]
    second_five = [200.0 * (n % 2) for n in range(20, 40)]
    # Each 5-minute average counts for its 5 minutes in the hourly one.
    five_minute_speeds = [(0 + 1) / 2, 2, 3, 4, (5 + 6) / 2, 7]
    assert figures == [
        (ten_days_ago, 3600, 7, 10, sum(five_minute_speeds) / 6, False),
        (two_days_ago, 300, 3, 29, sum(first_five) / len(first_five), False),
        (two_days_ago + timedelta(minutes=5), 300, 1, 49, sum(second_five) / 20, True),
        *[
            (NOW - timedelta(hours=1, seconds=15 * n), 15, 1, 10, 100.0, False)
            for n in (3, 2, 1, 0)
        ],
    ]
    assert [s.downloaded_bytes for s in samples[1:3]] == [19_000, 39_000]
    assert list(session.scalars(select(StreamSession.content_id))) == ["a" * 40]
    assert result == {
        # 8 raw into 6 then 1; 40 raw into 2.
        "samples_merged": (8 - 6) + (6 - 1) + (40 - 2),
        "sessions_deleted": 1,
        "samples_deleted": 1,
    }


def test_the_retention_cleanup_compacts_the_streams(client: TestClient) -> None:
    result = client.app.state.services.retention.purge(NOW)  # type: ignore[attr-defined]

    assert result["streams"] == {"samples_merged": 0, "sessions_deleted": 0, "samples_deleted": 0}
