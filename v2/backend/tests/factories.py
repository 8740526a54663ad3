"""Test data with sensible defaults; override only what a test is about."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ActivityLog
from app.repositories import activity as activity_repository


def make_activity(session: Session, **overrides: Any) -> ActivityLog:
    """One stored activity row, written as the exporter writes it (hourly counts included)."""
    values: dict[str, Any] = {
        "timestamp": datetime.now(UTC),
        "type": "system_event",
        "level": "info",
        "message": "Something happened",
        "details": {},
        "user": None,
        **overrides,
    }
    activity_repository.insert_rows(session, [values])
    session.commit()
    return session.scalars(select(ActivityLog).order_by(ActivityLog.id.desc()).limit(1)).one()


def all_activity(session: Session) -> list[ActivityLog]:
    """Every row, oldest first (by id)."""
    session.expire_all()
    return list(session.scalars(select(ActivityLog).order_by(ActivityLog.id)))
