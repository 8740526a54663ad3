"""The app's own tracer provider and the processors that carry its spans away."""

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

from app.core.config import Settings

TRACER_NAME = "acestream_scraper"


def build_tracer_provider(settings: Settings) -> TracerProvider:
    """A provider of our own (not the global one), so several apps can live in one process.

    Its shutdown belongs to the app's lifespan, not to an atexit hook.
    """
    resource = Resource.create({"service.name": settings.otel_service_name})
    return TracerProvider(resource=resource, shutdown_on_exit=False)


def attach_exporters(
    provider: TracerProvider, settings: Settings, activity_exporter: SpanExporter
) -> None:
    """Send activity spans to the database and, with an OTLP endpoint, every span there too.

    In "batch" mode recording only queues the span; a background thread writes batches.
    "sync" writes before the recording call returns, which makes tests deterministic.
    """
    if settings.activity_export == "sync":
        provider.add_span_processor(SimpleSpanProcessor(activity_exporter))
    else:
        provider.add_span_processor(BatchSpanProcessor(activity_exporter))
    if settings.otel_exporter_otlp_endpoint is not None:
        endpoint = str(settings.otel_exporter_otlp_endpoint).rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
