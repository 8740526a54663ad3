"""Each peer keeps one row: a later check overwrites it, whichever replica stores it."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine
from app.models import PeerStatus
from app.repositories import peer_status as peer_status_repository

NOW = datetime(2026, 12, 4, 10, 0, 0, 250_000, tzinfo=UTC)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def _check(peer: str, at: datetime, state: dict[str, object], up: datetime | None) -> PeerStatus:
    return PeerStatus(peer=peer, checked_at=at, state=state, last_up_at=up)


def test_a_later_check_overwrites_each_peers_row(sessions: sessionmaker[Session]) -> None:
    earlier = NOW - timedelta(seconds=15)
    with sessions.begin() as session:
        peer_status_repository.store(
            session,
            [
                _check("warp", earlier, {"status": "connected"}, earlier),
                _check("acexy", earlier, {"reachable": True}, earlier),
            ],
        )
    with sessions.begin() as session:
        peer_status_repository.store(
            session, [_check("warp", NOW, {"status": "disconnected"}, earlier)]
        )

    with sessions() as session:
        rows = [
            (row.peer, row.checked_at, row.state, row.last_up_at)
            for row in peer_status_repository.latest(session)
        ]
    assert rows == [
        ("acexy", earlier, {"reachable": True}, earlier),
        ("warp", NOW, {"status": "disconnected"}, earlier),
    ]


def test_nothing_is_stored_before_the_first_check(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert peer_status_repository.latest(session) == []
