"""Fold repeats of one error into the row of its first occurrence.

Every failed request or task used to write its own error row (~3 KB with the stack trace),
so one client repeating one bad request could write 120 rows a second, flood the log and
trip the error-spike alert. Now the first occurrence of an error signature is stored as
before; repeats within `FOLD_WINDOW` of it add no row but count on it:

    details.repeated      how many more times it happened (the row itself is the first)
    details.last_seen     when the latest repeat happened (ISO 8601 UTC)
    details.last_trace_id the latest repeat's trace id (the one its 500 answer carried)

The signature is what stays the same when the same fault recurs: the activity the error
interrupted, the message with numbers and ids replaced by `#`, the exception type and the
line that raised it. Only `error` rows fold; an audit entry or a scrape summary never does.

The folds live in the exporter's memory: another replica, or this one after a restart,
starts a row of its own. The rows and the hourly counts stay in step (a fold adds neither),
and so does `acestream_activity_events_total`, which counts rows; the folded occurrences are
counted apart (`acestream_activity_errors_folded_total`).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.utils.activity import ActivityType

FOLD_WINDOW = timedelta(minutes=1)
# Signatures remembered at once; the oldest is forgotten first (its next repeat starts a row).
MAX_FOLDS = 1_000

# UUIDs, hex runs with a digit in them (ids, hashes, addresses), and any other number.
_VARYING = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\b(?=[0-9a-f]*[0-9])[0-9a-f]{6,}\b"
    r"|[0-9]+",
    re.IGNORECASE,
)
_FRAME = 'File "'

Signature = tuple[str, str, str, str]


def signature(row: dict[str, Any]) -> Signature:
    """What identifies `row`'s error across repeats (see the module docstring)."""
    details = row["details"]
    exception = details.get("exception")
    if not isinstance(exception, dict):
        exception = {}
    stack = str(exception.get("stacktrace", ""))
    frame = stack.rfind(_FRAME)  # the last frame: where it was raised
    end = stack.find("\n", frame)
    raised_at = "" if frame == -1 else stack[frame:] if end == -1 else stack[frame:end]
    return (
        str(details.get("activity_type", "")),
        _VARYING.sub("#", row["message"]),
        str(exception.get("type", "")),
        raised_at,
    )


@dataclass(slots=True)
class _Fold:
    row: dict[str, Any]
    until: datetime
    # How many writes had succeeded when the row was made: any later one stored it.
    writes_before: int
    last_seen: datetime


class ErrorFolder:
    """Decides, row by row, which rows to store and which repeats to count on a stored row.

    Not thread-safe: the exporter calls it under its own lock.
    """

    def __init__(self, *, window: timedelta = FOLD_WINDOW, max_folds: int = MAX_FOLDS) -> None:
        self._window = window
        self._max_folds = max_folds
        self._folds: dict[Signature, _Fold] = {}
        self._writes = 0
        self._changed: dict[int, dict[str, Any]] = {}
        self.occurrences_folded = 0

    def fold(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the rows to insert: every row but the repeats, which count on their first."""
        fresh: list[dict[str, Any]] = []
        for row in rows:
            if row["type"] != ActivityType.ERROR or not self._folded(row):
                fresh.append(row)
        return fresh

    def _folded(self, row: dict[str, Any]) -> bool:
        moment: datetime = row["timestamp"]
        self._forget_expired(moment)
        key = signature(row)
        fold = self._folds.get(key)
        if fold is not None and moment < fold.until:
            details = fold.row["details"]
            details["repeated"] = details.get("repeated", 0) + 1
            if moment >= fold.last_seen:  # a batch need not be in time order
                fold.last_seen = moment
                details["last_seen"] = moment.isoformat().replace("+00:00", "Z")
                details["last_trace_id"] = row.get("trace_id")
            if fold.writes_before < self._writes:  # stored: the row must be updated
                self._changed[id(fold.row)] = fold.row
                if len(self._changed) > self._max_folds:  # the database has been away long
                    del self._changed[next(iter(self._changed))]
            self.occurrences_folded += 1
            return True
        self._folds.pop(key, None)
        if len(self._folds) >= self._max_folds:
            del self._folds[next(iter(self._folds))]
        self._folds[key] = _Fold(row, moment + self._window, self._writes, moment)
        return False

    def _forget_expired(self, moment: datetime) -> None:
        # Folds are kept in the order they started, so the expired ones come first.
        while self._folds:
            oldest = next(iter(self._folds))
            if self._folds[oldest].until > moment:
                return
            del self._folds[oldest]

    def stored_rows_changed(self) -> list[dict[str, Any]]:
        """Rows already stored whose repeat count grew since the last successful write."""
        return list(self._changed.values())

    def saved(self) -> None:
        """After a successful write: the new rows are stored, the changed ones up to date.

        A row that never made it (dropped from a full retry buffer) is taken as stored too:
        updating it later changes nothing.
        """
        self._writes += 1
        self._changed.clear()
