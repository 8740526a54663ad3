"""The `/api/v1` router: every resource's endpoints, behind the token check."""

from fastapi import APIRouter, Depends

from app.api.deps import authorize
from app.api.endpoints import (
    activity,
    background_tasks,
    config,
    notifications,
    peers,
    streams,
    uptime,
)
from app.schemas.errors import ErrorMessage

api_router = APIRouter(
    prefix="/api/v1",
    dependencies=[Depends(authorize)],
    responses={
        401: {"model": ErrorMessage, "description": "API token missing or wrong"},
        503: {"model": ErrorMessage, "description": "The database is unavailable"},
    },
)
api_router.include_router(activity.router)
api_router.include_router(config.router)
api_router.include_router(background_tasks.router)
api_router.include_router(notifications.router)
api_router.include_router(peers.router)
api_router.include_router(streams.router)
api_router.include_router(uptime.router)
