"""SQL for the activity log. Functions take a session, never commit, never raise HTTP errors."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from app.models import ActivityLog


def insert_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows in one executemany round trip."""
    if rows:
        session.execute(insert(ActivityLog), list(rows))


def list_page(
    session: Session,
    *,
    since: datetime,
    types: Sequence[str] | None,
    before: tuple[datetime, int] | None,
    limit: int,
) -> list[ActivityLog]:
    """Return up to `limit` rows at or after `since`, newest first by (timestamp, id).

    With `before`, only rows strictly older than that (timestamp, id) key: a keyset page,
    which costs the same at any depth because both indexes lead to it directly.
    """
    statement = select(ActivityLog).where(ActivityLog.timestamp >= since)
    if types:
        statement = statement.where(ActivityLog.type.in_(types))
    if before is not None:
        statement = statement.where(tuple_(ActivityLog.timestamp, ActivityLog.id) < tuple_(*before))
    statement = statement.order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc()).limit(limit)
    return list(session.scalars(statement))
