"""The built React page, served at `/` beside the API."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Vite puts content-hashed files under assets/: a new build means new names, so browsers
# may keep them for good; index.html must always be revalidated to pick the new names up.
_IMMUTABLE = "public, max-age=31536000, immutable"
_REVALIDATE = "no-cache"


class PageFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        cache = _IMMUTABLE if path.startswith("assets/") else _REVALIDATE
        response.headers["Cache-Control"] = cache
        return response


def mount_page(app: FastAPI, dist: Path) -> None:
    """Serve `dist` at `/`, or explain at `/` how to build it. Mount after every route."""
    if (dist / "index.html").is_file():
        app.mount("/", PageFiles(directory=dist, html=True), name="page")
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
