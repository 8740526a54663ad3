"""Live peer status, read from the status store: answering never waits on a peer."""

from datetime import UTC, datetime

from fastapi import APIRouter

from app.api.deps import PeerStatusDep, StreamPlaysDep, StreamSessionsDep
from app.schemas.peers import ActiveStreams, WarpStatusRead

router = APIRouter(tags=["peers"])


@router.get(
    "/streams/active",
    summary="What plays (acexy, else the engine): each stream with its channel, viewers and "
    "the engine's figures",
)
def active_streams(
    peers: PeerStatusDep, plays: StreamPlaysDep, sessions: StreamSessionsDep
) -> ActiveStreams:
    active = sessions.with_open_sessions(peers.active_streams())
    return plays.with_channels_and_viewers(active, datetime.now(UTC))


@router.get("/warp/status", summary="Whether the Cloudflare WARP tunnel is up")
def warp_status(peers: PeerStatusDep) -> WarpStatusRead:
    return peers.warp_status()
