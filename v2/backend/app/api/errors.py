"""Turn exceptions into FastAPI's conventional error bodies, in one place."""

import logging
import math
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DatabaseError, OperationalError
from starlette.exceptions import HTTPException

from app.api.middleware import MAX_REQUEST_BODY_BYTES
from app.api.security import DEFAULT_HEADERS
from app.exceptions import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    Unauthorized,
    Unavailable,
)
from app.schemas.errors import ErrorMessage, ServerError
from app.utils.activity import ActivityRecorder

logger = logging.getLogger(__name__)

# What any route may answer besides its own outcomes, for the OpenAPI document (create_app
# declares it app-wide): the JSON 500 of `_unhandled`, and the 413 of BodySizeLimitMiddleware,
# which reads every request, whatever its method.
ANY_ROUTE_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {
        "model": ErrorMessage,
        "description": f"Request body over {MAX_REQUEST_BODY_BYTES // 1024} KiB",
    },
    500: {
        "model": ServerError,
        "description": "Unexpected failure; `trace_id` finds it in the activity log",
    },
}

_STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Unauthorized: status.HTTP_401_UNAUTHORIZED,
    Unavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def _invalid_input(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidInput)
    body = {"detail": [{"type": "value_error", "loc": list(exc.location), "msg": exc.reason}]}
    return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _json_safe(value: Any) -> Any:
    """`value` with every non-finite float written as text ("nan", "inf", "-inf").

    Python's JSON parser reads NaN, Infinity and 1e400 into floats that JSON cannot carry
    back; echoed as a validation error's `input`, they made writing the 422 itself fail.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422 body, made JSON-safe whatever the input was."""
    assert isinstance(exc, RequestValidationError)
    body = {"detail": _json_safe(jsonable_encoder(exc.errors()))}
    return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer, except for a body it could not parse: 422 with the reason, like any
    other bad input, rather than a bare 400 (FastAPI chains the parser's error as the cause)."""
    assert isinstance(exc, HTTPException)
    cause = exc.__cause__
    if exc.status_code != status.HTTP_400_BAD_REQUEST or cause is None:
        return await http_exception_handler(request, exc)
    if isinstance(cause, RecursionError):
        reason = "is nested too deeply to read"
    elif isinstance(cause, UnicodeDecodeError):
        reason = "is not valid UTF-8"
    else:
        reason = f"could not be read: {type(cause).__name__}"
    body = {"detail": [{"type": "json_invalid", "loc": ["body"], "msg": reason}]}
    return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    code = _STATUS_BY_ERROR.get(type(exc), status.HTTP_400_BAD_REQUEST)
    headers = None
    if isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, Unavailable):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    return JSONResponse({"detail": str(exc)}, status_code=code, headers=headers)


def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    logger.warning("Database unavailable: %s", exc)
    return JSONResponse(
        {"detail": "The database is unavailable right now; try again shortly."},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "5"},
    )


def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """A damaged database file ("database disk image is malformed") is the database being
    unavailable, not a bug: 503 like a lost connection. The driver raises the plain
    DatabaseError for that; its subclasses (IntegrityError, DataError, ...) mean our statement
    was wrong, and stay 500s with their stack trace."""
    if type(exc) is DatabaseError:
        return _database_unavailable(request, exc)
    return _unhandled(request, exc)


def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    """Record the failure with its stack trace; answer JSON that carries the trace id.

    Starlette sends this answer from outside every middleware, so it carries the security
    headers itself.
    """
    # None before the service has started: nothing records yet.
    recorder: ActivityRecorder | None = getattr(request.app.state, "recorder", None)
    trace_id = None
    if recorder is not None:
        trace_id = recorder.record_exception(
            exc,
            f"Unhandled error in {request.method} {request.url.path}",
            details={"method": request.method, "path": request.url.path},
        )
    return JSONResponse(
        {
            "detail": "Internal server error; the trace id identifies it in the activity log.",
            "trace_id": trace_id,
        },
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        headers=dict(DEFAULT_HEADERS),
    )


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InvalidInput, _invalid_input)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(DatabaseError, _database_error)
    app.add_exception_handler(Exception, _unhandled)
