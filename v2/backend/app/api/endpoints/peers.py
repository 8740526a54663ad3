"""Live peer status, read from the status store: answering never waits on a peer."""

from fastapi import APIRouter

from app.api.deps import PeerStatusDep
from app.schemas.peers import ActiveStreams, WarpStatusRead

router = APIRouter(tags=["peers"])


@router.get("/streams/active", summary="How many streams are playing (acexy, else the engine)")
def active_streams(peers: PeerStatusDep) -> ActiveStreams:
    return peers.active_streams()


@router.get("/warp/status", summary="Whether the Cloudflare WARP tunnel is up")
def warp_status(peers: PeerStatusDep) -> WarpStatusRead:
    return peers.warp_status()
