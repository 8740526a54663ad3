"""The state changes parsed once per replica and kept in memory, for the uptime reads.

A 90-day read of every change took most of the uptime view's time (docs/performance.md §15),
and the history only grows at its end: writers draw ids under the state-change lock and
commit before releasing it, so rows become visible in id order. Each read therefore asks only
for the rows above the highest id held, then checks that the rows it holds are all still
there (the lowest id and the count up to the highest): retention (`delete_before`) or any
other delete makes them disagree, and the next read starts again from nothing.

Each entity's changes are kept as a `uptime.Timeline`, whose closed periods and running
totals grow with them: what a read computes from them is the open end only.
"""

from sqlalchemy.orm import Session

from app.domain import uptime
from app.repositories import state_changes as state_changes_repository

EntityKey = tuple[str, str]  # (kind, name)


class StateHistory:
    """Every stored state change by entity, brought up to date at each `read`. Not locked:
    the timelines it answers change at the next `read`, so its caller reads one at a time."""

    def __init__(self) -> None:
        self._timelines: dict[EntityKey, uptime.Timeline] = {}
        self._lowest_id: int | None = None
        self._highest_id = 0
        self._count = 0
        # How many times the history changed other than at its end (rows deleted, read again
        # from nothing, or a change older than its entity's latest): figures kept because
        # they could no longer change may have, from then on.
        self.generation = 0

    def read(self, session: Session) -> dict[EntityKey, uptime.Timeline]:
        """Each entity's timeline, reading from `session` only what was written (or
        deleted) since last time."""
        rows = state_changes_repository.rows_after(session, self._highest_id)
        up_to = rows[-1].id if rows else self._highest_id
        lowest, count = state_changes_repository.extent(session, up_to_id=up_to)
        first = self._lowest_id if self._lowest_id is not None or not rows else rows[0].id
        if (lowest, count) != (first, self._count + len(rows)):
            self._reset()
            rows = state_changes_repository.rows_after(session, 0)
        for row in rows:
            timeline = self._timelines.setdefault((row.kind, row.name), uptime.Timeline())
            if not timeline.add(uptime.Change(row.to_state, row.changed_at, row.reason)):
                self.generation += 1
        if rows:
            self._lowest_id = self._lowest_id or rows[0].id
            self._highest_id = rows[-1].id
            self._count += len(rows)
        return self._timelines

    def _reset(self) -> None:
        self.generation += 1
        self._timelines = {}
        self._lowest_id = None
        self._highest_id = 0
        self._count = 0
