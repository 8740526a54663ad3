"""The service-wide conditions notified like an entity's state: an error spike and dropped
activity rows, with the conditions of the Prometheus alerts of the same name."""

from collections import deque
from datetime import datetime, timedelta

from app.domain.notifications import ERROR_SPIKE, ROWS_DROPPED, SERVICE_KIND, Change

# The Prometheus alerts' conditions (prometheus/rules/acestream.yml): more than 5 error rows a
# minute over 5 minutes; any activity row dropped within 10 minutes.
ERROR_SPIKE_WINDOW = timedelta(minutes=5)
ERROR_SPIKE_ROWS = 25
DROPPED_WINDOW = timedelta(minutes=10)


class ServiceConditions:
    """The error spike and dropped activity rows, as state changes of `service` entities.

    Kept in memory by the replica that runs the task: a replica that takes the task over
    starts from "normal", and the dropped rows it sees are its own (as the alert's are per
    instance).
    """

    def __init__(self) -> None:
        self._changes: dict[str, deque[Change]] = {}
        self._dropped: deque[tuple[datetime, int]] = deque()

    def observe(self, now: datetime, *, errors: int, dropped_total: int) -> None:
        self._set(ERROR_SPIKE, errors > ERROR_SPIKE_ROWS, now,
                  f"{errors} error rows in the activity log in the last 5 minutes")  # fmt: skip
        self._dropped.append((now, dropped_total))
        while self._dropped[0][0] < now - DROPPED_WINDOW:
            self._dropped.popleft()
        dropped = dropped_total - self._dropped[0][1]
        self._set(ROWS_DROPPED, dropped > 0, now,
                  f"{dropped} activity rows dropped in the last 10 minutes")  # fmt: skip

    def changes(self) -> list[Change]:
        return [change for changes in self._changes.values() for change in changes]

    def _set(self, name: str, bad: bool, now: datetime, reason: str) -> None:
        state = ("spiking" if name == ERROR_SPIKE else "dropping") if bad else "normal"
        history = self._changes.setdefault(name, deque(maxlen=50))
        current = history[-1].to_state if history else "normal"
        if state != current:
            history.append(Change(SERVICE_KIND, name, current, state, now, reason))
