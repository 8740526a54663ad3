"""gzip for answers of at least 1 KiB when the client accepts it.

The page's JSON answers went out uncompressed (issue #18: a 60-row activity page is ~25 kB of
JSON, ~3 kB gzipped). Starlette's GZipMiddleware does the work; around it this module adds the
two things it leaves out:

- `Accept-Encoding` is read properly (`gzip;q=0` forbids gzip; GZipMiddleware only looks for
  the substring), with the page's own `accepts_gzip`.
- A compressed answer's strong ETag becomes weak (`W/"..."`): a strong ETag names one exact
  byte sequence, and the gzip bytes are not the file's. Browsers send it back in
  If-None-Match and StaticFiles still answers 304 (it compares tags without the `W/`).

Left as they are: the activity stream (`text/event-stream` is excluded by GZipMiddleware, so
each event leaves when it is written), answers that are already encoded (the build's `.gz`
copies of the page's scripts), and answers under MINIMUM_BYTES, where gzip's framing costs
more than it saves. HEAD, answered as GET by the outer HeadAsGetMiddleware, gets the
compressed answer's headers.
"""

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.page import accepts_gzip

MINIMUM_BYTES = 1024
# zlib's default: within a few percent of level 9's size on JSON at a fraction of its CPU.
COMPRESS_LEVEL = 6


def _without_accept_encoding(scope: Scope) -> Scope:
    headers = [(name, value) for name, value in scope["headers"] if name != b"accept-encoding"]
    return {**scope, "headers": headers}


class ResponseCompressionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self._gzip = GZipMiddleware(app, minimum_size=MINIMUM_BYTES, compresslevel=COMPRESS_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._gzip(scope, receive, send)
            return
        if not accepts_gzip(Headers(scope=scope).get("accept-encoding", "")):
            # Still through GZipMiddleware, which then only adds `Vary: Accept-Encoding`.
            await self._gzip(_without_accept_encoding(scope), receive, send)
            return

        async def weakening_etag(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message["headers"])
                etag = headers.get("etag")
                if headers.get("content-encoding") == "gzip" and etag and not etag.startswith("W/"):
                    headers["etag"] = f"W/{etag}"
            await send(message)

        await self._gzip(scope, receive, weakening_etag)
