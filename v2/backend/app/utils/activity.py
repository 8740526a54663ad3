"""How code records activity: an OpenTelemetry span marked with `activity.*` attributes.

This module knows OpenTelemetry, not the database. The span exporter that stores activity
spans in `activity_log` lives in `app.observability.activity_exporter`; the two meet only through
the tracer provider, so recording costs the caller what ending a span costs.

    with recorder.activity(ActivityType.SCRAPE, "Scraped example.org") as act:
        act.add_details(channels=12)

An exception raised inside `activity()` is recorded on the span with its stack trace and
becomes an `error` row; it is then re-raised unchanged.
"""

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from opentelemetry.sdk.trace import Span as RecordingSpan
from opentelemetry.trace import Span, Status, StatusCode, Tracer

ATTR_TYPE = "activity.type"
ATTR_MESSAGE = "activity.message"
ATTR_DETAILS = "activity.details"
ATTR_USER = "activity.user"
ATTR_LEVEL = "activity.level"
# Set on a span whose row its recorder wrote in its own transaction (`start_stored`): the
# activity exporter counts it but does not store it again.
ATTR_STORED = "activity.stored"


class ActivityType(StrEnum):
    SCRAPE = "scrape"
    BACKGROUND_TASK = "background_task"
    ERROR = "error"
    USER_ACTION = "user_action"
    SYSTEM_EVENT = "system_event"
    STREAM = "stream"
    NOTIFICATION = "notification"


class ActivityLevel(StrEnum):
    """How serious an activity is; the members are declared from the least to the most."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def levels_at_least(minimum: ActivityLevel) -> tuple[ActivityLevel, ...]:
    """The levels as serious as `minimum` or more (info < warning < error): what a
    `min_level` filter keeps."""
    levels = list(ActivityLevel)
    return tuple(levels[levels.index(minimum) :])


def encode_details(details: Mapping[str, Any]) -> str:
    """Span attributes cannot hold nested maps, so details travel as JSON text."""
    return json.dumps(details, default=str, ensure_ascii=False)


def _attributes(
    type: ActivityType,
    message: str,
    details: Mapping[str, Any],
    user: str | None,
    level: ActivityLevel,
) -> dict[str, str]:
    """The `activity.*` attributes, given to the span when it starts so that the sampler
    (`app.observability.telemetry.ActivityAlwaysSampled`) can see it is activity."""
    attributes = {
        ATTR_TYPE: type.value,
        ATTR_MESSAGE: message,
        ATTR_LEVEL: level.value,
        ATTR_DETAILS: encode_details(details),
    }
    if user is not None:
        attributes[ATTR_USER] = user
    return attributes


class ActivityHandle:
    """What the body of `ActivityRecorder.activity()` can still change before the span ends."""

    def __init__(self, span: Span, details: dict[str, Any]) -> None:
        self._span = span
        self._details = details

    @property
    def trace_id(self) -> str:
        return format(self._span.get_span_context().trace_id, "032x")

    def add_details(self, **details: Any) -> None:
        self._details.update(details)
        self._span.set_attribute(ATTR_DETAILS, encode_details(self._details))

    def set_level(self, level: ActivityLevel) -> None:
        self._span.set_attribute(ATTR_LEVEL, level.value)

    def record_exception(self, exc: BaseException) -> None:
        """Attach a caught exception (type, message, full stack trace) and mark the span failed."""
        self._span.record_exception(exc)
        self._span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))


class ActivityRecorder:
    """Records activity through the app's tracer (never the global one)."""

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer

    @contextmanager
    def activity(
        self,
        type: ActivityType,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        user: str | None = None,
        level: ActivityLevel = ActivityLevel.INFO,
    ) -> Iterator[ActivityHandle]:
        """Open an activity span around a piece of work; yields a handle to add details."""
        own_details = dict(details or {})
        attributes = _attributes(type, message, own_details, user, level)
        with self._tracer.start_as_current_span(
            f"activity {type.value}", attributes=attributes
        ) as span:
            yield ActivityHandle(span, own_details)

    @contextmanager
    def trace(self, name: str, **attributes: str) -> Iterator[Span]:
        """A plain span (not activity) around work whose activities should share one trace,
        such as a task run."""
        with self._tracer.start_as_current_span(name, attributes=attributes) as span:
            yield span

    def record(
        self,
        type: ActivityType,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        user: str | None = None,
        level: ActivityLevel = ActivityLevel.INFO,
    ) -> None:
        """Record a moment (no work to wrap): a user action, a system event.

        The span is never made current (nothing runs inside it), which saves a quarter of
        the cost of `activity()` on every call.
        """
        attributes = _attributes(type, message, details or {}, user, level)
        self._tracer.start_span(f"activity {type.value}", attributes=attributes).end()

    def start_stored(
        self,
        type: ActivityType,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        user: str | None = None,
        level: ActivityLevel = ActivityLevel.INFO,
    ) -> RecordingSpan:
        """Start a moment whose row the caller stores in the transaction of the change it
        records, so that an answered change always has its audit row, whatever happens to
        the process after the commit (the exporter's queue dies with it).

        The caller writes the row with `app.observability.activity_exporter.store_span(session,
        span)` before committing and calls `span.end()` after: the span then goes to OTLP
        as any other, marked `activity.stored` so that the activity exporter does not store
        it twice. If the transaction fails, the span is left unended and nothing is recorded.
        """
        attributes: dict[str, str | bool] = {
            **_attributes(type, message, details or {}, user, level),
            ATTR_STORED: True,
        }
        span = self._tracer.start_span(f"activity {type.value}", attributes=attributes)
        if not isinstance(span, RecordingSpan):  # a no-op tracer records nothing to store
            raise TypeError("start_stored needs a tracer from the OpenTelemetry SDK")
        return span

    def record_exception(
        self,
        exc: BaseException,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        user: str | None = None,
    ) -> str:
        """Record an exception caught elsewhere (for example by an HTTP handler).

        Returns the trace id (32 hex digits) the error row carries, to show to the client.
        """
        with self.activity(
            ActivityType.ERROR, message, details=details, user=user, level=ActivityLevel.ERROR
        ) as handle:
            handle.record_exception(exc)
            return handle.trace_id
