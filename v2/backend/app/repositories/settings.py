"""SQL for run-time settings (key/value rows)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import AppSetting


def get_values(session: Session, keys: Iterable[str]) -> dict[str, Any]:
    """Return the stored value of each key that has one; absent keys are left out."""
    rows = session.execute(select(AppSetting.key, AppSetting.value).where(AppSetting.key.in_(keys)))
    return {row.key: row.value for row in rows}


def upsert_values(session: Session, values: dict[str, Any], *, now: datetime) -> None:
    """Insert or overwrite each key in one statement, so concurrent writers never collide."""
    if not values:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(AppSetting).values(
        [{"key": key, "value": value, "updated_at": now} for key, value in values.items()]
    )
    statement = statement.on_conflict_do_update(
        index_elements=[AppSetting.key],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )
    session.execute(statement)
