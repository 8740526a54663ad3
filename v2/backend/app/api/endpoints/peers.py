"""Live peer status, read from the status store: answering never waits on a peer."""

from datetime import UTC, datetime

from fastapi import APIRouter

from app.api.deps import PeerStatusDep, StreamPlaysDep
from app.schemas.peers import ActiveStreams, WarpStatusRead

router = APIRouter(tags=["peers"])


@router.get(
    "/streams/active",
    summary="What plays (acexy, else the engine): each stream with its channel and viewers",
)
def active_streams(peers: PeerStatusDep, plays: StreamPlaysDep) -> ActiveStreams:
    return plays.with_channels_and_viewers(peers.active_streams(), datetime.now(UTC))


@router.get("/warp/status", summary="Whether the Cloudflare WARP tunnel is up")
def warp_status(peers: PeerStatusDep) -> WarpStatusRead:
    return peers.warp_status()
