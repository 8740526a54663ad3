"""The OpenAPI schema and the interactive documentation at /docs.

FastAPI's default page loads swagger-ui from a CDN: blank on an offline LAN (our users' usual
case) and run without any integrity check. The pinned `fastapi-offline` package ships the
same swagger-ui build; its files are served under /docs/assets. FastAPI's own docs routes
cannot take a dependency, so they are turned off (`docs_url=None`, `openapi_url=None`, ...)
and served here behind the API's token check: with API_READ_AUTH=true the schema is as
private as the API it describes. The swagger-ui files themselves are public code and stay open.
"""

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse

from app.api.deps import authorize
from app.api.page import PageFiles
from app.api.security import content_security_policy, inline_script_hashes

ASSETS_PATH = "/docs/assets"
OPENAPI_PATH = "/openapi.json"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"


def _allowing_its_scripts(page: HTMLResponse) -> HTMLResponse:
    """The page with a CSP that lets exactly its own inline scripts run."""
    html = bytes(page.body).decode()
    policy = content_security_policy(inline_script_hashes(html))
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


# Module-level handlers that find their app through the request: a closure over each app
# would keep every app ever built alive in FastAPI's (process-wide) cache of handlers.
_docs = APIRouter(include_in_schema=False, dependencies=[Depends(authorize)])


@_docs.get(OPENAPI_PATH)
def openapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@_docs.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    app: FastAPI = request.app
    root = request.scope.get("root_path", "").rstrip("/")
    page = get_swagger_ui_html(
        openapi_url=f"{root}{OPENAPI_PATH}",
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_PATH}",
        swagger_ui_parameters=app.swagger_ui_parameters,
    )
    return _allowing_its_scripts(page)


@_docs.get(OAUTH2_REDIRECT_PATH)
def swagger_ui_redirect() -> HTMLResponse:
    return _allowing_its_scripts(get_swagger_ui_oauth2_redirect_html())


def add_docs(app: FastAPI) -> None:
    """Serve the schema and Swagger UI; create the app with `docs_url=None, redoc_url=None,
    openapi_url=None`."""
    # No gzip copies here; PageFiles asks browsers to revalidate (ETag) anything outside assets/.
    app.mount(ASSETS_PATH, PageFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")
    app.include_router(_docs)
