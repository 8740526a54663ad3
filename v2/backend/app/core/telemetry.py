"""The app's own tracer provider and the processors that carry its spans away."""

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

from app.core.config import Settings
from app.utils.activity import ATTR_TYPE

TRACER_NAME = "acestream_scraper"
ACTIVITY_QUEUE_SIZE = 65_536


def build_tracer_provider(settings: Settings) -> TracerProvider:
    """A provider of our own (not the global one), so several apps can live in one process.

    Its shutdown belongs to the app's lifespan, not to an atexit hook.
    """
    resource = Resource.create({"service.name": settings.otel_service_name})
    return TracerProvider(resource=resource, shutdown_on_exit=False)


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
) -> None:
    """Send activity spans to the database and, with an OTLP endpoint, every span there too.

    In "batch" mode recording only queues the span; a background thread writes batches.
    "sync" writes before the recording call returns, which makes tests deterministic.
    """
    if settings.activity_export == "sync":
        activity: SpanProcessor = SimpleSpanProcessor(activity_exporter)
    else:
        # The default queue (2 048 spans) silently drops the oldest in a burst; a scrape of
        # many sources can record more than that between two exports.
        activity = BatchSpanProcessor(activity_exporter, max_queue_size=ACTIVITY_QUEUE_SIZE)
    provider.add_span_processor(ActivitySpansOnly(activity))
    if settings.otel_exporter_otlp_endpoint is not None:
        endpoint = str(settings.otel_exporter_otlp_endpoint).rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
