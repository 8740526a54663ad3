"""The app's own tracer provider and the processors that carry its spans away."""

import contextlib
import json
import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import (
    INVALID_SPAN_ID,
    INVALID_TRACE_ID,
    Link,
    SpanKind,
    Status,
    get_current_span,
)
from opentelemetry.util.types import Attributes

from app.core.config import Settings
from app.utils.activity import ATTR_DETAILS, ATTR_TYPE, encode_details
from app.utils.redaction import redact, redact_text

logger = logging.getLogger(__name__)

TRACER_NAME = "acestream_scraper"


class ActivityAlwaysSampled(Sampler):
    """Sample every activity span, whatever its parent decided; other spans as their parent did.

    An activity span is a row of the activity log, not a sample of traffic: a caller's
    `traceparent` with the sampled flag off must not erase an audit entry.
    """

    def __init__(self) -> None:
        self._others = ParentBased(ALWAYS_ON)

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: object = None,
    ) -> SamplingResult:
        if attributes and ATTR_TYPE in attributes:
            parent = get_current_span(parent_context).get_span_context()
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, parent.trace_state)
        return self._others.should_sample(parent_context, trace_id, name, kind, attributes, links)

    def get_description(self) -> str:
        others = self._others.get_description()  # type: ignore[no-untyped-call]
        return f"ActivityAlwaysSampled{{others={others}}}"


class OwnRandomIdGenerator(RandomIdGenerator):
    """Random trace and span ids from a generator of our own, not the `random` module's.

    The SDK's default draws from the global generator, so ids repeat in any process that
    seeds it (a library, a test), and every span started in a background thread (a task run)
    moves a sequence someone else may have seeded: Hypothesis refuses a strategy during which
    the global state changed, and the API fuzzing test failed whenever a task ran meanwhile.
    """

    def __init__(self) -> None:
        self._random = random.Random()  # noqa: S311 - ids, not secrets; seeded from os.urandom

    def generate_span_id(self) -> int:
        span_id = self._random.getrandbits(64)
        while span_id == INVALID_SPAN_ID:
            span_id = self._random.getrandbits(64)
        return span_id

    def generate_trace_id(self) -> int:
        trace_id = self._random.getrandbits(128)
        while trace_id == INVALID_TRACE_ID:
            trace_id = self._random.getrandbits(128)
        return trace_id


def build_tracer_provider(settings: Settings) -> TracerProvider:
    """A provider of our own (not the global one), so several apps can live in one process.

    Its shutdown belongs to the app's lifespan, not to an atexit hook.
    """
    resource = Resource.create({"service.name": settings.otel_service_name})
    return TracerProvider(
        resource=resource,
        sampler=ActivityAlwaysSampled(),
        id_generator=OwnRandomIdGenerator(),
        shutdown_on_exit=False,
    )


class _CountingExporter(SpanExporter):
    """Pass spans on to `inner`, telling `handed_over` how many each export carried."""

    def __init__(self, inner: SpanExporter, handed_over: Callable[[int], None]) -> None:
        self._inner = inner
        self._handed_over = handed_over

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self._handed_over(len(spans))
        return self._inner.export(spans)

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


def _redacted_attributes(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    redacted: dict[str, Any] = redact(dict(attributes or {}))
    details = redacted.get(ATTR_DETAILS)
    if isinstance(details, str):  # JSON text: its secret-looking keys are only seen decoded
        with contextlib.suppress(ValueError):  # not JSON: redact_text did what it could
            redacted[ATTR_DETAILS] = encode_details(redact(json.loads(details)))
    return redacted


def redacted_span(span: ReadableSpan) -> ReadableSpan:
    """A copy of `span` whose attributes, events and status hold no secret (see
    `app.utils.redaction`): request URLs (`http.url` carries the query, `?token=` of the
    playlist included), activity messages, exception messages and stack traces."""
    status = span.status
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=_redacted_attributes(span.attributes),
        events=[
            Event(event.name, _redacted_attributes(event.attributes), event.timestamp)
            for event in span.events
        ],
        links=span.links,
        kind=span.kind,
        status=Status(status.status_code, status.description and redact_text(status.description)),
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingExporter(SpanExporter):
    """Pass redacted copies of spans on to `inner`: the one redaction step for traces that
    leave the service. (Activity rows are redacted as the activity exporter builds them.)"""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([redacted_span(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


class ActivityQueue(SpanProcessor):
    """A `BatchSpanProcessor` for activity spans that counts what a full queue refuses.

    Recording only queues the span; a background thread writes batches. A full
    BatchSpanProcessor drops spans with nothing but a log line, so a span is refused here
    first, and counted in `spans_refused`, once `capacity` spans are in flight (passed to the
    processor and not yet handed to the exporter).
    """

    def __init__(self, exporter: SpanExporter, capacity: int) -> None:
        self.capacity = capacity
        self.spans_refused = 0
        self._passed_on = 0
        self._handed_over = 0
        self._full = False
        self._lock = threading.Lock()
        self._processor = BatchSpanProcessor(
            _CountingExporter(exporter, self._count_handed_over), max_queue_size=capacity
        )

    def _count_handed_over(self, spans: int) -> None:
        with self._lock:
            self._handed_over += spans

    def on_end(self, span: ReadableSpan) -> None:
        with self._lock:
            full = self._passed_on - self._handed_over >= self.capacity
            if full:
                self.spans_refused += 1
            else:
                self._passed_on += 1
            newly_full, self._full = full and not self._full, full
        if newly_full:
            logger.warning(
                "Activity queue full (%d spans): refusing activity until the database catches"
                " up; %d refused so far",
                self.capacity,
                self.spans_refused,
            )
        if full:
            return
        self._processor.on_end(span)

    def shutdown(self) -> None:
        self._processor.shutdown()  # type: ignore[no-untyped-call]

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._processor.force_flush(timeout_millis)


class ActivitySpansOnly(SpanProcessor):
    """Pass only activity spans on to `inner`.

    Request and database spans far outnumber activity spans; dropping them here, before
    the batch queue, keeps them from costing the exporter thread (and the GIL) anything.
    """

    def __init__(self, inner: SpanProcessor) -> None:
        self._inner = inner

    def on_end(self, span: ReadableSpan) -> None:
        if span.attributes and ATTR_TYPE in span.attributes:
            self._inner.on_end(span)

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


def attach_exporters(
    provider: TracerProvider, settings: Settings, activity_exporter: SpanExporter
) -> ActivityQueue | None:
    """Send activity spans to the database and, with an OTLP endpoint, every span there too.

    In "batch" mode (returns the queue, whose refusals are a metric) recording only queues
    the span. "sync" writes before the recording call returns, which makes tests
    deterministic.
    """
    queue = (
        ActivityQueue(activity_exporter, settings.activity_queue_size)
        if settings.activity_export == "batch"
        else None
    )
    provider.add_span_processor(ActivitySpansOnly(queue or SimpleSpanProcessor(activity_exporter)))
    if settings.otel_exporter_otlp_endpoint is not None:
        # Imported only when used: the exporter brings protobuf, a twentieth of the
        # service's import time (`bench/startup.py`).
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
            OTLPSpanExporter,
        )

        endpoint = str(settings.otel_exporter_otlp_endpoint).rstrip("/") + "/v1/traces"
        exporter = RedactingExporter(OTLPSpanExporter(endpoint=endpoint))
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return queue
