from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, Response

from app.api.deps import PlaylistServiceDep, SentPlayerTokenDep, SettingsDep, authorize_player
from app.exceptions import NotFound
from app.schemas.errors import ErrorMessage

_M3U = "audio/x-mpegurl"
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
def playlist(
    service: PlaylistServiceDep, settings: SettingsDep, token: SentPlayerTokenDep
) -> Response:
    """With API_READ_AUTH=true the service's stream URLs need the token too: they get the
    one this request was let in with."""
    path = service.path
    if not path.is_file():
        raise NotFound(
            "No playlist yet: it is written after the first successful scrape "
            "(or run the playlist_generation task)"
        )
    headers = {"Cache-Control": "no-cache"}
    if settings.api_read_auth and settings.playlist_stream_urls == "service" and token:
        return Response(service.read_with_token(token), media_type=_M3U, headers=headers)
    return FileResponse(path, media_type=_M3U, headers=headers)
