"""The interactive API documentation at /docs, served with its assets from the service itself.

FastAPI's default page loads swagger-ui from a CDN: blank on an offline LAN (our users' usual
case) and run without any integrity check. The pinned `fastapi-offline` package ships the
same swagger-ui build; its files are served under /docs/assets.
"""

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from app.api.page import PageFiles
from app.api.security import content_security_policy

ASSETS_PATH = "/docs/assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(html: str) -> list[str]:
    """CSP sources allowing exactly the page's inline scripts (swagger-ui's start-up call)."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    ]


def add_docs(app: FastAPI) -> None:
    """Serve Swagger UI at /docs; create the app with `docs_url=None, redoc_url=None`."""
    # No gzip copies here; PageFiles asks browsers to revalidate (ETag) anything outside assets/.
    app.mount(ASSETS_PATH, PageFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )
        html = bytes(page.body).decode()
        policy = content_security_policy(_script_hashes(html))
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})
