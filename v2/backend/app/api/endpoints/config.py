from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import CallerDep, ConfigServiceDep, RetentionDep
from app.api.model_response import model_response
from app.api.security import WRITE_REFUSALS
from app.schemas.config import DashboardConfig, DashboardConfigUpdate, RetentionPreview
from app.schemas.errors import ErrorMessage

router = APIRouter(prefix="/config", tags=["config"])


@router.get("/dashboard", summary="The dashboard configuration", response_model=DashboardConfig)
def get_dashboard_config(service: ConfigServiceDep) -> Response:
    return model_response(service.get())


@router.put(
    "/dashboard",
    summary="Change any subset of the dashboard configuration",
    responses=WRITE_REFUSALS
    | {401: {"model": ErrorMessage, "description": "API_TOKEN is set and was not sent"}},
)
def update_dashboard_config(
    changes: DashboardConfigUpdate, service: ConfigServiceDep, caller: CallerDep
) -> DashboardConfig:
    return service.update(changes, user=caller.label)


@router.get(
    "/dashboard/retention-preview",
    summary="How many activity rows a new retention would delete, before saving it",
)
def preview_retention(
    service: RetentionDep,
    days: Annotated[int, Query(ge=0, le=30, description="The retention to try, in days.")],
) -> RetentionPreview:
    return service.preview(days, datetime.now(UTC))
