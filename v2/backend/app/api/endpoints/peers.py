"""Live peer status, read from the status store: answering never waits on a peer."""

from datetime import UTC, datetime

from fastapi import APIRouter

from app.api.deps import ActiveStreamsDep, PeerStatusDep
from app.schemas.peers import ActiveStreams, WarpStatusRead

router = APIRouter(tags=["peers"])


@router.get(
    "/streams/active",
    summary="What plays (acexy, else the engine): each stream with its channel, viewers and "
    "the engine's figures",
)
def active_streams(streams: ActiveStreamsDep) -> ActiveStreams:
    return streams.read(datetime.now(UTC))


@router.get("/warp/status", summary="Whether the Cloudflare WARP tunnel is up")
def warp_status(peers: PeerStatusDep) -> WarpStatusRead:
    return peers.warp_status()
