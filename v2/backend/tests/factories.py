"""Test data with sensible defaults; override only what a test is about."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ActivityLog
from app.repositories import activity as activity_repository
from app.repositories import channels as channels_repository


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


def make_channel(session: Session, content_id: str, name: str, **overrides: Any) -> None:
    """One scraped channel of ours (by content id unless `id_kind` says otherwise), committed."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "content_id": content_id,
        "id_kind": "content_id",
        "name": name,
        "source_url": "http://list",
        "first_seen": now,
        "last_seen": now,
        **overrides,
    }
    channels_repository.upsert_channels(session, [values])
    session.commit()


def make_page_dist(tmp_path: Path) -> Path:
    """A minimal built page (index.html and one hashed asset), for FRONTEND_DIST."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><script src="/assets/index-abc123.js">')
    (dist / "assets" / "index-abc123.js").write_text("console.log('dashboard')")
    return dist
