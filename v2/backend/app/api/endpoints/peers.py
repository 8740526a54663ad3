"""Live peer status, read from the status store: answering never waits on a peer."""

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from app.api.deps import ActiveStreamsDep, PeerStatusDep
from app.api.model_response import model_response
from app.schemas.peers import ActiveStreams, WarpStatusRead

router = APIRouter(tags=["peers"])


@router.get(
    "/streams/active",
    summary="What plays (acexy, else the engine): each stream with its channel, viewers and "
    "the engine's figures",
    response_model=ActiveStreams,
)
def active_streams(streams: ActiveStreamsDep) -> Response:
    return model_response(streams.read(datetime.now(UTC)))


@router.get(
    "/warp/status",
    summary="Whether the Cloudflare WARP tunnel is up",
    response_model=WarpStatusRead,
)
def warp_status(peers: PeerStatusDep) -> Response:
    return model_response(peers.warp_status())
