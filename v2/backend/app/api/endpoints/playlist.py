from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse

from app.api.deps import PlaylistServiceDep, authorize_player
from app.exceptions import NotFound
from app.schemas.errors import ErrorMessage

router = APIRouter(tags=["playlist"], dependencies=[Depends(authorize_player)])


@router.get(
    "/playlist.m3u",
    summary="The M3U playlist of the current channels",
    response_class=FileResponse,
    responses={
        200: {"content": {"audio/x-mpegurl": {}}, "description": "The playlist"},
        401: {"model": ErrorMessage, "description": "API_READ_AUTH=true and no valid token"},
        404: {"model": ErrorMessage, "description": "Not generated yet"},
    },
)
def playlist(service: PlaylistServiceDep) -> FileResponse:
    path = service.path
    if not path.is_file():
        raise NotFound(
            "No playlist yet: it is written after the first successful scrape "
            "(or run the playlist_generation task)"
        )
    return FileResponse(path, media_type="audio/x-mpegurl", headers={"Cache-Control": "no-cache"})
