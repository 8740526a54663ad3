"""SQL for run-time settings (key/value rows)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AppSetting
from app.repositories.upsert import upsert


def get_values(session: Session, keys: Iterable[str]) -> dict[str, Any]:
    """Return the stored value of each key that has one; absent keys are left out."""
    rows = session.execute(select(AppSetting.key, AppSetting.value).where(AppSetting.key.in_(keys)))
    return {row.key: row.value for row in rows}


def upsert_values(session: Session, values: dict[str, Any], *, now: datetime) -> None:
    """Insert or overwrite each key in one statement, so concurrent writers never collide."""
    upsert(
        session,
        AppSetting,
        [{"key": key, "value": value, "updated_at": now} for key, value in values.items()],
        keys=[AppSetting.key],
        on_conflict=lambda excluded: {"value": excluded.value, "updated_at": excluded.updated_at},
    )
