from fastapi import APIRouter, Response, status
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import EngineDep
from app.core.db import DatabaseNotReady, check_database
from app.schemas.health import Health, Readiness

router = APIRouter(tags=["health"])


# Probes ask every few seconds: the same bytes each time, sent without a worker thread.
_ALIVE = Health().model_dump_json().encode()


@router.get("/healthz", summary="The process is alive", response_model=Health)
async def healthz() -> Response:
    return Response(_ALIVE, media_type="application/json")


@router.get(
    "/readyz",
    summary="The service can answer: its database is reachable and holds the current schema",
    responses={503: {"model": Readiness, "description": "Not ready, with the reason"}},
)
def readyz(engine: EngineDep, response: Response) -> Readiness:
    try:
        check_database(engine)
    except SQLAlchemyError as exc:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Readiness(status="unavailable", reason=f"database unreachable: {first_line}")
    except DatabaseNotReady as exc:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Readiness(status="unavailable", reason=f"database not ready: {exc}")
    return Readiness(status="ready")
