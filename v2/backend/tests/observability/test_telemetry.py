"""The activity span pipeline: every activity span is sampled, and a full queue is counted."""

import json
import random
import threading
from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from app.core.config import Settings
from app.observability.telemetry import (
    ActivityQueue,
    RedactingExporter,
    attach_exporters,
    build_tracer_provider,
)
from app.utils.activity import ActivityRecorder, ActivityType

CAPACITY = 512  # the smallest queue allowed: BatchSpanProcessor's export batch size


class HeldExporter(SpanExporter):
    """Keeps spans; its first export waits until the test lets it go."""

    def __init__(self) -> None:
        self.spans: list[ReadableSpan] = []
        self.exporting = threading.Event()
        self.release = threading.Event()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.exporting.set()
        self.release.wait()
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self.release.set()


def _settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, otel_exporter_otlp_endpoint=None, **overrides)


def _record(recorder: ActivityRecorder, first: int, count: int) -> None:
    for index in range(first, first + count):
        recorder.record(ActivityType.SYSTEM_EVENT, f"e{index}")


def test_a_full_activity_queue_refuses_and_counts_instead_of_dropping_silently() -> None:
    exporter = HeldExporter()
    provider = build_tracer_provider(_settings())
    queue = attach_exporters(
        provider, _settings(activity_queue_size=CAPACITY, activity_export="batch"), exporter
    )
    assert isinstance(queue, ActivityQueue)
    recorder = ActivityRecorder(provider.get_tracer("test"))

    _record(recorder, 0, CAPACITY)  # a full batch wakes the export thread...
    assert exporter.exporting.wait(timeout=10)  # ...which now holds it: the queue is empty
    _record(recorder, CAPACITY, CAPACITY + 3)  # fills the queue, and 3 more
    assert queue.spans_refused == 3

    exporter.release.set()
    assert provider.force_flush()
    _record(recorder, 2 * CAPACITY + 3, 1)  # room again once the exporter caught up
    provider.shutdown()

    stored = [str((span.attributes or {})["activity.message"]) for span in exporter.spans]
    assert len(stored) == 2 * CAPACITY + 1
    assert stored[-1] == f"e{2 * CAPACITY + 3}"
    assert not {f"e{2 * CAPACITY + i}" for i in range(3)} & set(stored)
    assert queue.spans_refused == 3


def test_sync_mode_has_no_queue() -> None:
    provider = build_tracer_provider(_settings())

    assert (
        attach_exporters(provider, _settings(activity_export="sync"), InMemorySpanExporter())
        is None
    )


def test_activity_is_recorded_even_when_the_caller_asked_not_to_sample() -> None:
    exporter = InMemorySpanExporter()
    provider = build_tracer_provider(_settings())
    attach_exporters(provider, _settings(activity_export="sync"), exporter)
    tracer = provider.get_tracer("test")
    unsampled = SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.DEFAULT),
    )

    with trace.use_span(NonRecordingSpan(unsampled)):
        ActivityRecorder(tracer).record(ActivityType.USER_ACTION, "Changed the config")
        plain = tracer.start_span("GET /api/v1/config/dashboard")
        plain.end()

    [span] = exporter.get_finished_spans()
    assert span.name == "activity user_action"
    assert span.context is not None
    assert span.context.trace_id == unsampled.trace_id
    assert not plain.is_recording()


def test_spans_leave_for_the_collector_without_secrets() -> None:
    collected = InMemorySpanExporter()
    provider = build_tracer_provider(Settings(_env_file=None))
    provider.add_span_processor(SimpleSpanProcessor(RedactingExporter(collected)))
    recorder = ActivityRecorder(provider.get_tracer("test"))
    url = "http://u:pass@host/list?token=T0K3N"

    recorder.record_exception(
        ConnectionError(f"cannot reach {url}"),
        f"Could not scrape {url}",
        details={"url": url, "api_key": "K3Y"},
    )

    [span] = collected.get_finished_spans()
    shown = str(dict(span.attributes or {})) + str(span.events[0].attributes) + str(span.status)
    assert "pass" not in shown
    assert "T0K3N" not in shown
    assert "K3Y" not in shown
    assert (
        span.status.description
        == "ConnectionError: cannot reach http://[REDACTED]@host/list?token=[REDACTED]"
    )
    assert json.loads(str((span.attributes or {})["activity.details"])) == {
        "url": "http://[REDACTED]@host/list?token=[REDACTED]",
        "api_key": "[REDACTED]",
    }
    provider.shutdown()


def test_span_ids_neither_use_nor_move_the_global_random_state() -> None:
    """A seeded global `random` must not repeat our ids, and our spans (a task run in a
    background thread) must not move a sequence someone else seeded."""
    tracer = build_tracer_provider(_settings()).get_tracer("test")
    ids = []
    outside = random.getstate()
    try:
        for _ in range(2):
            random.seed(12)
            seeded = random.getstate()
            span = tracer.start_span("work")
            span.end()
            assert random.getstate() == seeded
            ids.append((span.get_span_context().trace_id, span.get_span_context().span_id))
    finally:
        random.setstate(outside)

    assert ids[0] != ids[1]
