"""The state changes parsed once per replica and kept in memory, for the uptime reads.

A 90-day read of every change took most of the uptime view's time (docs/performance.md §15),
and the history only grows at its end: writers draw ids under the state-change lock and
commit before releasing it, so rows become visible in id order. Each read therefore asks only
for the rows above the highest id held, then checks that the rows it holds are all still
there (the lowest id and the count up to the highest): retention (`delete_before`) or any
other delete makes them disagree, and the next read starts again from nothing.
"""

import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain import uptime
from app.repositories import state_changes as state_changes_repository

EntityKey = tuple[str, str]  # (kind, name)


@dataclass
class _Entity:
    """One entity's changes in time order (equal times in id order), with their times
    alongside for bisecting."""

    times: list[datetime] = field(default_factory=list)
    changes: list[uptime.Change] = field(default_factory=list)

    def add(self, change: uptime.Change) -> None:
        if not self.times or change.at >= self.times[-1]:
            self.times.append(change.at)
            self.changes.append(change)
            return
        index = bisect_right(self.times, change.at)
        self.times.insert(index, change.at)
        self.changes.insert(index, change)

    def since(self, moment: datetime) -> list[uptime.Change]:
        """The changes after `moment` and the last one at or before it (the state then)."""
        first = max(0, bisect_right(self.times, moment) - 1)
        return self.changes[first:]


class StateHistory:
    """Every stored state change by entity, brought up to date at each `read`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entities: dict[EntityKey, _Entity] = {}
        self._lowest_id: int | None = None
        self._highest_id = 0
        self._count = 0
        self.generation = 0  # how many times the history was read again from nothing

    def read(self, session: Session, *, since: datetime) -> dict[EntityKey, list[uptime.Change]]:
        """Each entity's changes after `since` and its last one at or before it, oldest
        first, reading from `session` only what was written (or deleted) since last time."""
        with self._lock:
            self._catch_up(session)
            return {
                key: changes
                for key, entity in self._entities.items()
                if (changes := entity.since(since))
            }

    def _catch_up(self, session: Session) -> None:
        rows = state_changes_repository.rows_after(session, self._highest_id)
        up_to = rows[-1].id if rows else self._highest_id
        lowest, count = state_changes_repository.extent(session, up_to_id=up_to)
        first = self._lowest_id if self._lowest_id is not None or not rows else rows[0].id
        if (lowest, count) != (first, self._count + len(rows)):
            self._reset()
            rows = state_changes_repository.rows_after(session, 0)
        for row in rows:
            self._entities.setdefault((row.kind, row.name), _Entity()).add(
                uptime.Change(row.to_state, row.changed_at, row.reason)
            )
        if rows:
            self._lowest_id = self._lowest_id or rows[0].id
            self._highest_id = rows[-1].id
            self._count += len(rows)

    def _reset(self) -> None:
        self.generation += 1
        self._entities = {}
        self._lowest_id = None
        self._highest_id = 0
        self._count = 0
