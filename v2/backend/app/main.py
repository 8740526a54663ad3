"""The application factory. `app` is what `uvicorn app.main:app` serves."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_client import CollectorRegistry

from app.api.compression import ResponseCompressionMiddleware
from app.api.docs import add_docs
from app.api.endpoints import health, metrics, playlist, stream_redirect
from app.api.errors import ANY_ROUTE_ERRORS, register_error_handlers
from app.api.middleware import BodySizeLimitMiddleware, HeadAsGetMiddleware, HttpMetricsMiddleware
from app.api.page import mount_page
from app.api.router import api_router
from app.api.security import add_edge_middleware
from app.core.config import Settings, load_settings
from app.observability.metrics import EventMetrics
from app.observability.telemetry import build_tracer_provider
from app.services.activity_feed import ActivityFeed
from app.services.tasks.events import TaskEvents
from app.utils.redaction import install_log_redaction
from app.wiring import run_service

logger = logging.getLogger("app")

# Probes and (later) scrapes would otherwise put a request span on the wire every few seconds.
_UNTRACED_URLS = "healthz,readyz,metrics"


def _service_version() -> str:
    try:
        return version("acestream-scraper-v2")
    except PackageNotFoundError:
        return "unknown"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the service (built and connected in `app/wiring.py`) while the app serves."""
    async with run_service(
        app.state.settings,
        version=app.version,
        provider=app.state.tracer_provider,
        registry=app.state.metrics_registry,
        metrics=app.state.metrics,
        task_events=app.state.task_events,
    ) as service:
        app.state.engine = service.db
        app.state.services = service.services
        app.state.recorder = service.services.recorder
        app.state.tasks = service.tasks
        app.state.activity_feed = service.activity_feed
        yield


async def end_streams(app: FastAPI) -> None:
    """End the app's open event streams and refuse new ones: for the server to call before it
    waits for open answers to finish (`app.core.server.Server`), which endless ones never do."""
    feed: ActivityFeed | None = getattr(app.state, "activity_feed", None)
    if feed is not None:
        await feed.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build an app; nothing connects or starts a thread until its lifespan starts."""
    settings = settings or load_settings()
    logging.getLogger("app").setLevel(settings.log_level)
    install_log_redaction()
    app = FastAPI(
        title="acestream-scraper dashboard API",
        version=_service_version(),
        description="Activity, background tasks and peer status of an AceStream scraper.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        responses=ANY_ROUTE_ERRORS,
        # The app's spans come from FastAPIInstrumentor on the app's own provider (below).
        # FastAPI's native telemetry follows the global providers, which the service never
        # sets; switched off, it no longer asks them on every request whether it should
        # start (36 us of a /healthz, cProfile: `bench/profile_request.py --path /healthz`).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.tracer_provider = build_tracer_provider(settings)
    app.state.metrics_registry = CollectorRegistry()
    app.state.metrics = EventMetrics(app.state.metrics_registry)
    # Before the lifespan, so that a subscriber can hear of the runs the scheduler starts
    # as soon as it starts.
    app.state.task_events = TaskEvents()
    register_error_handlers(app)
    app.include_router(health.router)
    app.include_router(api_router)
    app.include_router(playlist.router)
    app.include_router(stream_redirect.router)
    app.include_router(metrics.router)
    add_docs(app)
    app.add_middleware(BodySizeLimitMiddleware)
    add_edge_middleware(app, settings)
    app.add_middleware(ResponseCompressionMiddleware)
    app.add_middleware(HttpMetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(HeadAsGetMiddleware)
    mount_page(app, settings.frontend_dist)
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=app.state.tracer_provider,
        excluded_urls=_UNTRACED_URLS,
        # One span per request is the useful part; per-message ASGI spans only cost time.
        exclude_spans=["receive", "send"],
    )
    return app


@cache
def _default_app() -> FastAPI:
    return create_app()


def __getattr__(name: str) -> FastAPI:
    """`app.main:app`, built from the environment on first use rather than at import.

    Importing this module (as the tests do) therefore reads no environment and builds nothing.
    """
    if name == "app":
        return _default_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
