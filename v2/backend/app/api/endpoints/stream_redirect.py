"""The playlist's stream URLs: each answered with a redirect to acexy, recorded on the way."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import RedirectResponse

from app.api.deps import StreamPlaysDep, authorize_player
from app.api.middleware import is_head_request
from app.exceptions import InvalidInput
from app.schemas.errors import ErrorMessage

router = APIRouter(tags=["playlist"], dependencies=[Depends(authorize_player)])

HexId = Annotated[
    str | None,
    Query(pattern="^[0-9a-fA-F]{40}$", description="40 hex characters; give id or infohash."),
]
# Ours, never passed on: the ids are written again, the token stays with us.
_OWN_PARAMETERS = frozenset({"id", "infohash", "token"})


@router.get(
    "/ace/getstream",
    summary="Redirect a player to acexy for one of our channels, recording the play",
    response_class=RedirectResponse,
    status_code=status.HTTP_307_TEMPORARY_REDIRECT,
    responses={
        307: {"description": "To acexy's getstream, every other query parameter kept"},
        401: {"model": ErrorMessage, "description": "API_READ_AUTH=true and no valid token"},
        404: {"model": ErrorMessage, "description": "The id is not one of our channels"},
    },
)
def getstream(
    request: Request,
    plays: StreamPlaysDep,
    id: HexId = None,  # acexy's own parameter name
    infohash: HexId = None,
) -> RedirectResponse:
    """The same URL shape as acexy's, so a player or list made for acexy works unchanged.

    The client address is the socket peer as uvicorn gives it (a proxy's `X-Forwarded-For`
    only from the addresses in uvicorn's `FORWARDED_ALLOW_IPS`).
    """
    if (id is None) == (infohash is None):
        raise InvalidInput(("query", "id"), "give exactly one of id or infohash")
    target = plays.redirect(
        "id" if id is not None else "infohash",
        id or infohash or "",
        [(k, v) for k, v in request.query_params.multi_items() if k not in _OWN_PARAMETERS],
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        now=datetime.now(UTC),
        record=not is_head_request(request),
    )
    return RedirectResponse(target, status_code=status.HTTP_307_TEMPORARY_REDIRECT)
