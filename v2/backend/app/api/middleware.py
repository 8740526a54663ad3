"""HTTP request metrics, labelled by route template (never the raw path: unbounded)."""

from time import perf_counter

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services.metrics import EventMetrics

UNMATCHED_ROUTE = "unmatched"


def route_template(scope: Scope) -> str:
    """The matched route with its parameters as placeholders ("/tasks/{task_name}/run").

    Built from the request path, because with nested routers the matched route only knows
    its path relative to its own router. A mount (the page's files) becomes
    "<mount>/{path}"; a request that matched nothing is "unmatched".
    """
    route = scope.get("route")
    if route is None:
        return UNMATCHED_ROUTE
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    names_by_value = {str(value): name for name, value in scope.get("path_params", {}).items()}
    segments = scope["path"].split("/")
    return "/".join(
        f"{{{names_by_value[segment]}}}" if segment in names_by_value else segment
        for segment in segments
    )


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: EventMetrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        status = 500
        began = perf_counter()

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, remember_status)
        finally:
            template = route_template(scope)
            method = scope["method"]
            self._metrics.http_requests.labels(method, template, str(status)).inc()
            self._metrics.http_duration.labels(method, template).observe(perf_counter() - began)
