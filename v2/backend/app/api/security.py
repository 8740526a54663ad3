"""The browser-facing edge: which hosts and origins may talk to the service, and the headers
every answer carries.

Order, outermost first (`add_edge_middleware` registers them so): security headers on every
answer, refusals included -> Host check -> cross-site write refusal -> the app.
"""

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import Settings
from app.schemas.errors import ErrorMessage

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# `none` is a request the person started (typed URL, bookmark); everything else a browser
# sends from another page is `same-site` or `cross-site` (a sibling subdomain is same-site,
# yet another origin: it is refused too).
_OWN_FETCH_SITES = frozenset({"same-origin", "none"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Loopback names are always accepted: the container's health check asks 127.0.0.1, and a
# DNS-rebinding page cannot send them (its requests carry the attacker's own host name).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def content_security_policy(script_sources: Sequence[str] = ()) -> str:
    """The policy every answer gets; `script_sources` adds hashes for one page's inline script.

    Scripts come only from this origin, plus the inline scripts a page's own policy names by
    hash (the built page's colour-scheme script, swagger-ui's start-up call). Styles allow
    'unsafe-inline' because MUI's emotion injects <style> elements at run time; a style
    cannot run code. `data:` images are the page's empty favicon and swagger-ui's icons.
    """
    scripts = " ".join(("'self'", *script_sources))
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> list[str]:
    """CSP sources allowing exactly the inline scripts of `html` (plain `<script>` elements)."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    ]


DEFAULT_HEADERS = (
    ("Content-Security-Policy", content_security_policy()),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    # Answers that may be kept say so themselves (the page's files, the playlist); anything
    # else (API JSON, errors, metrics) is the state of the moment and may hold private data.
    ("Cache-Control", "no-store"),
)


# DEFAULT_HEADERS as the raw (lower-case name, value) pairs an ASGI message carries.
_RAW_DEFAULT_HEADERS = tuple(
    (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in DEFAULT_HEADERS
)


class SecurityHeadersMiddleware:
    """Add the security headers to every answer that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Raw pairs rather than MutableHeaders: its setdefault scans and copies the
                # list per call, a fifth of a /healthz's own time (cProfile).
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers.extend(pair for pair in _RAW_DEFAULT_HEADERS if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self._app(scope, receive, with_headers)


def _same_host(origin: str, host: str | None) -> bool:
    """Whether `origin` (scheme://host[:port]) names the host and port the request came to.

    The scheme is not compared: behind a TLS-terminating proxy the service sees http while
    the browser says https. Browsers that send Sec-Fetch-Site compare schemes for us.
    """
    if host is None:
        return False
    try:
        sent = urlsplit(origin)
        came_to = urlsplit(f"//{host}")
        default = _DEFAULT_PORTS.get(sent.scheme)
        return (
            sent.hostname is not None
            and sent.hostname == came_to.hostname
            and (sent.port or default) == (came_to.port or default)
        )
    except ValueError:  # a port that is not a number
        return False


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class CrossSiteWriteGuard:
    """Refuse browser writes from other origins (403), and writes whose body is not JSON (415).

    Without API_TOKEN (the default) any page a person visits could otherwise POST to the
    service: `fetch(url, {method: "POST", mode: "no-cors"})` needs no CORS permission.
    Browsers mark such requests with Sec-Fetch-Site and Origin; clients that are not
    browsers send neither and pass. Requiring application/json on bodies closes the form
    and text/plain route that older browsers leave open without those headers. Writes
    without a body (run, pause, resume) need no Content-Type.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _UNSAFE_METHODS:
            await self._app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(headers)
        if refusal is None:
            await self._app(scope, receive, send)
            return
        status, detail = refusal
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _refusal(headers: Headers) -> tuple[int, str] | None:
        fetch_site = headers.get("sec-fetch-site")
        origin = headers.get("origin")
        if (fetch_site is not None and fetch_site.lower() not in _OWN_FETCH_SITES) or (
            origin is not None and not _same_host(origin, headers.get("host"))
        ):
            return 403, "Cross-site request refused: changes are accepted only from this origin"
        has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        if has_body and not _is_json(headers.get("content-type", "")):
            return 415, "Send the request body as JSON with 'Content-Type: application/json'"
        return None


# The refusals of CrossSiteWriteGuard, for the OpenAPI document of every write route.
WRITE_REFUSALS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorMessage, "description": "Cross-site write from a browser refused"},
    415: {"model": ErrorMessage, "description": "Request body is not JSON"},
}


def add_edge_middleware(app: FastAPI, settings: Settings) -> None:
    """Register the edge middleware in the order the module docstring gives."""
    app.add_middleware(CrossSiteWriteGuard)
    if settings.allowed_hosts:
        hosts = [*settings.allowed_hosts, *LOOPBACK_HOSTS]
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)
    app.add_middleware(SecurityHeadersMiddleware)
