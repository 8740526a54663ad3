"""SQL for the peers' latest checks (one row per peer)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import PeerStatus
from app.repositories.upsert import upsert


def latest(session: Session) -> list[PeerStatus]:
    """Every peer's latest stored check; empty before the first one."""
    return list(session.scalars(select(PeerStatus).order_by(PeerStatus.peer)))


def store(session: Session, checks: Sequence[PeerStatus]) -> None:
    """Insert or overwrite each peer's row in one statement, so replicas checking at the
    same time (each one checks at start) never collide."""
    upsert(
        session,
        PeerStatus,
        [
            {
                "peer": check.peer,
                "checked_at": check.checked_at,
                "state": check.state,
                "last_up_at": check.last_up_at,
            }
            for check in checks
        ],
        keys=[PeerStatus.peer],
        on_conflict=lambda excluded: {
            "checked_at": excluded.checked_at,
            "state": excluded.state,
            "last_up_at": excluded.last_up_at,
        },
    )
