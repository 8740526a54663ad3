"""ASGI middleware: HTTP request metrics (labelled by route template), a body size cap, and
HEAD answered as GET."""

import json
from time import perf_counter
from typing import Any

from starlette.requests import Request
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.metrics import EventMetrics

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
        # (method, route, status) -> its counter and histogram children: a dict read instead
        # of two `labels()` calls (each takes a lock and checks its labels) per request. The
        # keys are the label sets the metrics hold anyway.
        self._children: dict[tuple[str, str, str], tuple[Any, Any]] = {}

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
            key = (scope["method"], route_template(scope), str(status))
            children = self._children.get(key)
            if children is None:
                method, template, code = key
                children = self._children[key] = (
                    self._metrics.http_requests.labels(method, template, code),
                    self._metrics.http_duration.labels(method, template),
                )
            requests, duration = children
            requests.inc()
            duration.observe(perf_counter() - began)


MAX_REQUEST_BODY_BYTES = 64 * 1024


class BodySizeLimitMiddleware:
    """Refuse request bodies over MAX_REQUEST_BODY_BYTES with 413, before anything parses them.

    No endpoint takes more than a few hundred bytes; a cap keeps a hostile client from
    making the service buffer megabytes. Bodies without a Content-Length are counted as
    they arrive.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_REQUEST_BODY_BYTES) -> None:
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self._max_bytes):
            await self._refuse(send)
            return
        received = 0
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max_bytes:
                    # Stop reading here; whatever the app answers to the cut body is replaced.
                    too_large = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def replacing_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(send)

        await self._app(scope, counting_receive, replacing_send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"Request body too large: at most {self._max_bytes // 1024} KiB"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# The request state key that tells an endpoint its GET came as HEAD.
_HEAD_STATE = "head_request"


class HeadAsGetMiddleware:
    """Answer HEAD wherever GET is answered: the same status and headers, no body.

    HTTP requires HEAD beside GET, and probes and link checkers use it; FastAPI routes
    declared with GET answered it 405 (404 under the page's mount). One middleware covers
    every route, present and future, without listing HEAD in the OpenAPI schema. It is
    the outermost one, so everything inside, metrics included, sees a GET.

    The answer is complete once its head is sent: the app's body is never sent anyway, and an
    endless one (the activity stream) would otherwise hold the connection for good. The
    server then tells the app its client is gone, as for any finished answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self._app(scope, receive, send)
            return
        answered = False

        async def without_body(message: Message) -> None:
            nonlocal answered
            if answered:
                return
            await send(message)
            if message["type"] == "http.response.start":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                answered = True

        # A copy: the server reads its own scope's method to decide not to send a body.
        state = {**scope.get("state", {}), _HEAD_STATE: True}
        await self._app({**scope, "method": "GET", "state": state}, receive, without_body)


def is_head_request(request: Request) -> bool:
    """Whether `request`, which reads GET, came as HEAD: for an endpoint whose GET does more
    than answer (the stream redirect records a play; a HEAD only probes)."""
    return bool(getattr(request.state, _HEAD_STATE, False))
