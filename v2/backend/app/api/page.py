"""The built React page, served at `/` beside the API."""

import errno
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.api.security import content_security_policy, inline_script_hashes

# Vite puts content-hashed files under assets/: a new build means new names, so browsers
# may keep them for good; index.html must always be revalidated to pick the new names up.
_IMMUTABLE = "public, max-age=31536000, immutable"
_REVALIDATE = "no-cache"


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (`gzip;q=0` forbids it)."""
    for entry in accept_encoding.lower().split(","):
        coding, _, params = entry.partition(";")
        if coding.strip() in ("gzip", "*"):
            name, _, value = params.partition("=")
            try:
                return name.strip() != "q" or float(value) > 0
            except ValueError:
                return False
    return False


class PageFiles(StaticFiles):
    """Static files with cache headers, and the build's gzip copies for browsers that take them.

    `npm run build` writes `name.gz` beside each large asset (scripts/precompress.mjs), so
    nothing is compressed per request. `policy`, when given, is the Content-Security-Policy of
    everything outside assets/ (index.html and its inline script).
    """

    def __init__(self, *args: Any, policy: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._policy = policy

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.startswith("assets/"):
            response = await self._asset(path, scope)
            response.headers["Cache-Control"] = _IMMUTABLE
            return response
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = _REVALIDATE
        if self._policy is not None:
            # On a 304 too: the browser takes the headers of a 304 over those it kept.
            response.headers["Content-Security-Policy"] = self._policy
        return response

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """No file, rather than an exception, for a path the OS cannot name.

        StaticFiles turns those into 404s only inside its own `get_response`; the gzip lookup
        in `_asset` asks as well, and a NUL byte (ValueError) or an over-long name
        (ENAMETOOLONG) there answered 500 and wrote an error row per request.
        """
        try:
            return super().lookup_path(path)
        except ValueError:
            return "", None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                return "", None
            raise

    async def _asset(self, path: str, scope: Scope) -> Response:
        accept = Headers(scope=scope).get("accept-encoding", "")
        _, stat = self.lookup_path(path + ".gz")
        if stat is None or not accepts_gzip(accept):
            response = await super().get_response(path, scope)
        else:
            # The response's type is already the inner file's: "a.js.gz" guesses as JavaScript.
            response = await super().get_response(path + ".gz", scope)
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        return response


def mount_page(app: FastAPI, dist: Path) -> None:
    """Serve `dist` at `/`, or explain at `/` how to build it. Mount after every route.

    index.html's inline script (the colour scheme before the first paint) is allowed by its
    hash, read once here: a rebuild while the service runs blocks that script until a restart,
    and the page then paints its first frame in the system's scheme.
    """
    index = dist / "index.html"
    if index.is_file():
        policy = content_security_policy(inline_script_hashes(index.read_text(encoding="utf-8")))
        app.mount("/", PageFiles(directory=dist, html=True, policy=policy), name="page")
        return

    @app.get("/", include_in_schema=False)
    def page_not_built() -> JSONResponse:
        return JSONResponse(
            {
                "detail": f"The dashboard page is not built ({dist} has no index.html): "
                "`make run` builds it, or run `npm ci && npm run build` in v2/frontend. "
                "The API is at /api/v1 and its documentation at /docs."
            },
            status_code=503,
        )
