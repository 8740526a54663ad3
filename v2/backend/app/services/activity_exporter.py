"""The OpenTelemetry span exporter that stores activity spans in `activity_log`.

Only spans carrying `activity.type` are stored; HTTP request spans and the like pass by.
A failed write never reaches the caller: the rows wait (bounded) for the next export, and
what no longer fits is counted as dropped.
"""

import json
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import StatusCode
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.repositories import activity as activity_repository
from app.utils.activity import (
    ATTR_DETAILS,
    ATTR_LEVEL,
    ATTR_MESSAGE,
    ATTR_TYPE,
    ATTR_USER,
    ActivityLevel,
    ActivityType,
)
from app.utils.redaction import redact, redact_text

logger = logging.getLogger(__name__)

DEFAULT_MAX_PENDING_ROWS = 10_000
_USER_MAX_LENGTH = 255


def _span_time(nanoseconds: int | None) -> datetime:
    seconds, remainder = divmod(nanoseconds or 0, 1_000_000_000)
    return datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=remainder // 1000)


# PostgreSQL text and jsonb cannot hold NUL; one such character would fail its whole batch
# (and, kept for retry, every batch after it). It is shown as U+FFFD on both databases.
_NUL, _NUL_SHOWN = "\x00", "\ufffd"


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(_NUL, _NUL_SHOWN)
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _decode_details(raw: object) -> dict[str, Any]:
    if not isinstance(raw, str):
        return {}
    try:
        decoded = json.loads(raw)
    except ValueError:
        return {"raw": _without_nul(raw)}
    if "\\u0000" in raw:  # JSON text always escapes NUL: nothing to walk otherwise
        decoded = _without_nul(decoded)
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
    message = _without_nul(str(attributes.get(ATTR_MESSAGE, "")))
    level = str(attributes.get(ATTR_LEVEL, ActivityLevel.INFO))
    details = _decode_details(attributes.get(ATTR_DETAILS))
    exception = _without_nul(_recorded_exception(span))

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
        "user": _without_nul(str(user)[:_USER_MAX_LENGTH]) if user is not None else None,
        "trace_id": format(context.trace_id, "032x") if context else None,
        "span_id": format(context.span_id, "016x") if context else None,
    }


class ActivitySpanExporter(SpanExporter):
    """Writes activity spans to the database, one transaction per batch."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        max_pending_rows: int = DEFAULT_MAX_PENDING_ROWS,
    ) -> None:
        self._session_factory = session_factory
        self._max_pending_rows = max_pending_rows
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.rows_written = 0
        self._written_listeners: list[Callable[[list[str]], None]] = []
        self.rows_dropped = 0
        self.write_failures = 0

    def on_rows_written(self, listener: Callable[[list[str]], None]) -> None:
        """Call `listener(types)` with the type of every row after each stored batch."""
        self._written_listeners.append(listener)

    @property
    def rows_pending(self) -> int:
        return len(self._pending)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        rows = [row for span in spans if (row := span_to_row(span)) is not None]
        with self._lock:
            batch = self._pending + rows
            self._pending = []
            if not batch:
                return SpanExportResult.SUCCESS
            try:
                with self._session_factory.begin() as session:
                    activity_repository.insert_rows(session, batch)
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
            self.rows_written += len(batch)
        types = [row["type"] for row in batch]
        for listener in self._written_listeners:
            listener(types)
        return SpanExportResult.SUCCESS

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
