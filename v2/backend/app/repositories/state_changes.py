"""SQL for state changes and for the heartbeat that says until when the service watched."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, and_, delete, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from app.models import AppSetting, StateChange

# The app_settings row whose `updated_at` is the last time the status check watched the
# peers and tasks; writers of state changes lock it, so they take turns across replicas.
HEARTBEAT_KEY = "uptime_heartbeat"


class HistoryRow(NamedTuple):
    id: int
    kind: str
    name: str
    to_state: str
    changed_at: datetime
    reason: str | None


def lock_heartbeat(session: Session, *, now: datetime) -> datetime | None:
    """Take the writers' lock and return the heartbeat (None before the first one).

    The row is created if missing, then locked until the transaction ends: `FOR UPDATE` on
    PostgreSQL; on SQLite the insert itself takes the one writer's lock before anything is
    read (a read first would fail with "database is locked" if another writer came between).
    """
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(AppSetting)
        .values(key=HEARTBEAT_KEY, value="never", updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalars(
        select(AppSetting).where(AppSetting.key == HEARTBEAT_KEY).with_for_update()
    ).one()
    return None if row.value == "never" else row.updated_at


def beat(session: Session, *, now: datetime) -> None:
    """Set the heartbeat to `now` (call with the lock held)."""
    row = session.get_one(AppSetting, HEARTBEAT_KEY)
    row.value, row.updated_at = "watched", now
    session.flush()


def heartbeat(session: Session) -> datetime | None:
    """The last time the status check watched; None before the first."""
    row = session.get(AppSetting, HEARTBEAT_KEY)
    return None if row is None or row.value == "never" else row.updated_at


def latest(session: Session) -> dict[tuple[str, str], StateChange]:
    """Each entity's latest change, by (kind, name). Writers take turns under the lock, so
    the highest id is the latest written."""
    newest = select(func.max(StateChange.id)).group_by(StateChange.kind, StateChange.name)
    rows = session.scalars(select(StateChange).where(StateChange.id.in_(newest)))
    return {(row.kind, row.name): row for row in rows}


def add(session: Session, changes: Sequence[StateChange]) -> None:
    session.add_all(changes)
    session.flush()


def rows_after(session: Session, after_id: int) -> list[HistoryRow]:
    """Every change with an id above `after_id`, in id order. Plain rows, not ORM objects: a
    90-day read holds thousands, and building objects took most of its time."""
    statement = (
        select(
            StateChange.id,
            StateChange.kind,
            StateChange.name,
            StateChange.to_state,
            StateChange.changed_at,
            StateChange.reason,
        )
        .where(StateChange.id > after_id)
        .order_by(StateChange.id)
    )
    return [HistoryRow(*row) for row in session.execute(statement)]


def extent(session: Session, *, up_to_id: int) -> tuple[int | None, int]:
    """The lowest id and the number of changes with an id at or below `up_to_id`: a reader
    that holds those rows compares both to learn whether any of them was deleted since."""
    lowest, count = session.execute(
        select(func.min(StateChange.id), func.count(StateChange.id)).where(
            StateChange.id <= up_to_id
        )
    ).one()
    return lowest, count


def delete_before(session: Session, cutoff: datetime) -> int:
    """Delete the changes older than `cutoff` except each entity's last one at or before it,
    which still says what state the entity was in at `cutoff` (a peer up for a year keeps
    its one row); a stream that had ended by then loses that one too (it has no state to
    keep). Return how many went."""
    newer = aliased(StateChange)
    superseded = exists().where(
        newer.kind == StateChange.kind,
        newer.name == StateChange.name,
        newer.changed_at <= cutoff,
        or_(
            newer.changed_at > StateChange.changed_at,
            and_(newer.changed_at == StateChange.changed_at, newer.id > StateChange.id),
        ),
    )
    result = cast(
        CursorResult[Any],
        session.execute(
            delete(StateChange)
            .where(
                StateChange.changed_at < cutoff,
                or_(
                    superseded,
                    and_(StateChange.kind == "stream", StateChange.to_state == "ended"),
                ),
            )
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount
