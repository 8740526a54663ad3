"""The OpenTelemetry span exporter that stores activity spans in `activity_log`.

Only spans carrying `activity.type` are stored; HTTP request spans and the like pass by, and
so do spans whose row their recorder stored in its own transaction (`activity.stored`).
Repeats of one error fold into one row (`app.observability.activity_folding`).
A failed write never reaches the caller: the rows wait (bounded) for the next export, and
what no longer fits is counted as dropped.
"""

import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import StatusCode
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.observability.activity_folding import ErrorFolder
from app.repositories import activity as activity_repository
from app.utils.activity import (
    ATTR_DETAILS,
    ATTR_LEVEL,
    ATTR_MESSAGE,
    ATTR_STORED,
    ATTR_TYPE,
    ATTR_USER,
    ActivityLevel,
    ActivityType,
)
from app.utils.redaction import redact, redact_text
from app.utils.text import clean_text

logger = logging.getLogger(__name__)

DEFAULT_MAX_PENDING_ROWS = 10_000
_USER_MAX_LENGTH = 255


def _span_time(nanoseconds: int | None) -> datetime:
    seconds, remainder = divmod(nanoseconds or 0, 1_000_000_000)
    return datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=remainder // 1000)


def _cleaned(value: Any) -> Any:
    """Every string of `value`, cleaned as text from outside (`app.utils.text`): PostgreSQL's
    text and jsonb cannot hold NUL, and one such character would fail its whole batch (and,
    kept for retry, every batch after it)."""
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


_C1 = re.compile("[\x80-\x9f]")


def _json_has_controls(raw: str) -> bool:
    """Whether JSON text holds a control character `clean_text` would replace: JSON escapes
    the C0 controls other than tab, LF and CR as \\u00XX, \\b or \\f, and leaves DEL and C1 as
    they are. Substring checks: one regex for all of it cost several us a row (details run to a
    kilobyte with a stack trace)."""
    return (
        "\\u00" in raw
        or "\\b" in raw
        or "\\f" in raw
        or "\x7f" in raw
        or (not raw.isascii() and _C1.search(raw) is not None)
    )


def _decode_details(raw: object) -> dict[str, Any]:
    if not isinstance(raw, str):
        return {}
    try:
        decoded = json.loads(raw)
    except ValueError:
        return {"raw": _cleaned(raw)}
    if _json_has_controls(raw):
        decoded = _cleaned(decoded)
    return decoded if isinstance(decoded, dict) else {"value": decoded}


def _recorded_exception(span: ReadableSpan) -> dict[str, str] | None:
    for event in span.events:
        if event.name == "exception":
            attributes = event.attributes or {}
            return {
                "type": str(attributes.get("exception.type", "")),
                "message": str(attributes.get("exception.message", "")),
                "stacktrace": str(attributes.get("exception.stacktrace", "")),
            }
    return None


def span_to_row(span: ReadableSpan) -> dict[str, Any] | None:
    """Turn an activity span into an `activity_log` row (None for any other span).

    A span that failed becomes an `error` row: its original type moves to
    `details.activity_type` and the exception (type, message, stack trace) to
    `details.exception`, so filtering on `error` finds every failure.
    """
    attributes = span.attributes or {}
    activity_type = attributes.get(ATTR_TYPE)
    if not isinstance(activity_type, str):
        return None
    message = _cleaned(str(attributes.get(ATTR_MESSAGE, "")))
    level = str(attributes.get(ATTR_LEVEL, ActivityLevel.INFO))
    details = _decode_details(attributes.get(ATTR_DETAILS))
    exception = _cleaned(_recorded_exception(span))

    if exception is not None or span.status.status_code is StatusCode.ERROR:
        level = ActivityLevel.ERROR
        if activity_type != ActivityType.ERROR:
            details["activity_type"] = activity_type
            activity_type = ActivityType.ERROR
            message = f"{message} failed"
        if exception is not None:
            details["exception"] = exception
            # OpenTelemetry qualifies the class with its module; people read the class name.
            short_type = exception["type"].rsplit(".", 1)[-1]
            message = f"{message}: {short_type}: {exception['message']}"

    user = attributes.get(ATTR_USER)
    context = span.get_span_context()
    return {
        "timestamp": _span_time(span.start_time),
        "type": str(activity_type),
        "level": str(level),
        # The one redaction step for activity: the message, the details and the exception
        # (its text and stack trace are in details) lose URL user-info and secret values.
        "message": redact_text(message),
        "details": redact(details),
        "user": clean_text(str(user)[:_USER_MAX_LENGTH]) if user is not None else None,
        "trace_id": format(context.trace_id, "032x") if context else None,
        "span_id": format(context.span_id, "016x") if context else None,
    }


def is_stored_elsewhere(span: ReadableSpan) -> bool:
    """Whether the span's row was written by the code that recorded it, in the transaction of
    the change it records (`ActivityRecorder.start_stored`)."""
    return bool((span.attributes or {}).get(ATTR_STORED))


def store_span(session: Session, span: ReadableSpan) -> None:
    """Insert `span`'s row in `session`'s transaction, hourly counts included.

    For a span from `ActivityRecorder.start_stored`, which the exporter then leaves alone.
    """
    row = span_to_row(span)
    if row is None:
        raise ValueError(f"span {span.name!r} is not activity")
    activity_repository.insert_rows(session, [row])


class ActivitySpanExporter(SpanExporter):
    """Writes activity spans to the database, one transaction per batch.

    Repeats of one error are folded into the row of its first occurrence
    (`app.observability.activity_folding`); spans whose row their recorder stored already are only
    counted.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        max_pending_rows: int = DEFAULT_MAX_PENDING_ROWS,
    ) -> None:
        self._session_factory = session_factory
        self._max_pending_rows = max_pending_rows
        self._pending: list[dict[str, Any]] = []
        self._folder = ErrorFolder()
        self._lock = threading.Lock()
        self.rows_written = 0
        self._written_listeners: list[Callable[[list[str]], None]] = []
        self.rows_dropped = 0
        self.write_failures = 0

    def on_rows_written(self, listener: Callable[[list[str]], None]) -> None:
        """Call `listener(types)` with the type of every row after each stored batch, rows
        stored by their recorder included (once, when their span arrives here)."""
        self._written_listeners.append(listener)

    @property
    def rows_pending(self) -> int:
        return len(self._pending)

    @property
    def occurrences_folded(self) -> int:
        """Error repeats counted on an earlier row instead of stored, since the start."""
        return self._folder.occurrences_folded

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        stored_types: list[str] = []
        rows: list[dict[str, Any]] = []
        for span in spans:
            row = span_to_row(span)
            if row is None:
                continue
            if is_stored_elsewhere(span):
                stored_types.append(row["type"])
            else:
                rows.append(row)
        self._notify(stored_types)
        with self._lock:
            batch = self._pending + self._folder.fold(rows)
            self._pending = []
            changed = self._folder.stored_rows_changed()
            if not batch and not changed:
                return SpanExportResult.SUCCESS
            try:
                with self._session_factory.begin() as session:
                    activity_repository.insert_rows(session, batch)
                    activity_repository.update_details(session, changed)
            except SQLAlchemyError:
                self._keep_for_retry(batch)
                logger.warning(
                    "Could not store %d activity rows; %d kept for retry, %d dropped so far",
                    len(batch),
                    len(self._pending),
                    self.rows_dropped,
                    exc_info=True,
                )
                return SpanExportResult.FAILURE
            self._folder.saved()
            self.rows_written += len(batch)
        self._notify([row["type"] for row in batch])
        return SpanExportResult.SUCCESS

    def _notify(self, types: list[str]) -> None:
        if types:
            for listener in self._written_listeners:
                listener(types)

    def _keep_for_retry(self, batch: list[dict[str, Any]]) -> None:
        self.write_failures += 1
        overflow = max(0, len(batch) - self._max_pending_rows)
        self.rows_dropped += overflow
        # Keep the newest rows: they are the ones a person is about to look for.
        self._pending = batch[overflow:]

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        """Retry the rows still waiting after a failed write."""
        return self.export([]) is SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        if not self.force_flush():
            logger.error("Stopping with %d activity rows unstored", self.rows_pending)
