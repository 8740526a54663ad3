from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, status

from app.api.deps import CallerDep, NotificationsDep
from app.api.security import WRITE_REFUSALS
from app.schemas.notifications import (
    MuteRequest,
    NotificationsOverview,
    NotificationTestResults,
    TargetsUpdate,
)

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", summary="Targets (redacted), mute state and the latest messages")
def get_notifications(service: NotificationsDep) -> NotificationsOverview:
    return service.overview(datetime.now(UTC))


@router.put(
    "/targets",
    summary="Replace the notification targets (Apprise URLs); kept across restarts",
    responses=WRITE_REFUSALS,
)
def put_targets(
    update: TargetsUpdate, service: NotificationsDep, caller: CallerDep
) -> NotificationsOverview:
    now = datetime.now(UTC)
    service.replace_targets(update.urls, user=caller.label, now=now)
    return service.overview(now)


@router.put("/mute", summary="Send nothing for a while", responses=WRITE_REFUSALS)
def mute(
    request: MuteRequest, service: NotificationsDep, caller: CallerDep
) -> NotificationsOverview:
    now = datetime.now(UTC)
    until = request.until or now + timedelta(minutes=request.minutes or 0)
    service.mute(until, user=caller.label, now=now)
    return service.overview(now)


@router.delete("/mute", summary="Unmute", responses=WRITE_REFUSALS)
def unmute(service: NotificationsDep, caller: CallerDep) -> NotificationsOverview:
    now = datetime.now(UTC)
    service.unmute(user=caller.label, now=now)
    return service.overview(now)


@router.post(
    "/test",
    summary="Send a test message to every target and say what each answered",
    status_code=status.HTTP_200_OK,
    responses=WRITE_REFUSALS,
)
def send_test(service: NotificationsDep, caller: CallerDep) -> NotificationTestResults:
    return service.send_test(user=caller.label)
