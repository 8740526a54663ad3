"""SQL for notifications: the state changes they are decided from, and the outbox."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import NotificationMessage, StateChange


def changes_since(session: Session, since: datetime) -> list[StateChange]:
    """Every state change from `since` on, and the last one before it of each entity (its
    state at `since`), oldest first."""
    latest_before = (
        select(StateChange.kind, StateChange.name, func.max(StateChange.changed_at).label("at"))
        .where(StateChange.changed_at < since)
        .group_by(StateChange.kind, StateChange.name)
        .subquery()
    )
    before = select(StateChange).join(
        latest_before,
        and_(
            StateChange.kind == latest_before.c.kind,
            StateChange.name == latest_before.c.name,
            StateChange.changed_at == latest_before.c.at,
        ),
    )
    after = select(StateChange).where(StateChange.changed_at >= since)
    rows = [*session.scalars(before), *session.scalars(after)]
    return sorted(rows, key=lambda change: (change.changed_at, change.id))


def decided_since(session: Session, since: datetime) -> list[NotificationMessage]:
    """The messages decided from `since` on."""
    return list(
        session.scalars(select(NotificationMessage).where(NotificationMessage.decided_at >= since))
    )


def insert_new(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows`, skipping those whose key is already stored (by another decision)."""
    if not rows:
        return
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(NotificationMessage)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=[NotificationMessage.key])
    )


def due_ids(session: Session, now: datetime, *, limit: int) -> list[int]:
    """Ids of pending messages whose next attempt is due, oldest first."""
    return list(
        session.scalars(
            select(NotificationMessage.id)
            .where(
                NotificationMessage.status == "pending",
                or_(
                    NotificationMessage.next_attempt_at.is_(None),
                    NotificationMessage.next_attempt_at <= now,
                ),
            )
            .order_by(NotificationMessage.id)
            .limit(limit)
        )
    )


def claim(session: Session, message_id: int, now: datetime, *, until: datetime) -> bool:
    """Claim a due message for one attempt, like a task lease: its next attempt moves to
    `until`, so that nobody else sends it meanwhile. False if someone claimed it first."""
    result = session.execute(
        update(NotificationMessage)
        .where(
            NotificationMessage.id == message_id,
            NotificationMessage.status == "pending",
            or_(
                NotificationMessage.next_attempt_at.is_(None),
                NotificationMessage.next_attempt_at <= now,
            ),
        )
        .values(next_attempt_at=until)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def get(session: Session, message_id: int) -> NotificationMessage | None:
    return session.get(NotificationMessage, message_id)


def recent(session: Session, *, limit: int) -> list[NotificationMessage]:
    """The last `limit` messages decided, newest first."""
    return list(
        session.scalars(
            select(NotificationMessage)
            .order_by(NotificationMessage.decided_at.desc(), NotificationMessage.id.desc())
            .limit(limit)
        )
    )


def delete_decided_before(session: Session, cutoff: datetime) -> int:
    """Delete the finished messages decided before `cutoff`; return how many."""
    result = session.execute(
        delete(NotificationMessage).where(
            NotificationMessage.decided_at < cutoff, NotificationMessage.status != "pending"
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
