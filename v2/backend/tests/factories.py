"""Test data with sensible defaults; override only what a test is about."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ActivityLog


def make_activity(session: Session, **overrides: Any) -> ActivityLog:
    values: dict[str, Any] = {
        "timestamp": datetime.now(UTC),
        "type": "system_event",
        "level": "info",
        "message": "Something happened",
        "details": {},
        "user": None,
        **overrides,
    }
    row = ActivityLog(**values)
    session.add(row)
    session.commit()
    return row


def all_activity(session: Session) -> list[ActivityLog]:
    """Every row, oldest first (by id)."""
    session.expire_all()
    return list(session.scalars(select(ActivityLog).order_by(ActivityLog.id)))
