"""The playlist's stream URLs: GET /ace/getstream redirects to acexy and records the play;
/streams/active names the channel and its viewers."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import StreamPlay
from app.repositories import channels as channels_repository
from app.services.stream_plays import VIEWER_WINDOW
from tests.conftest import SettingsFactory
from tests.fakes.http_peer import FakePeer, FakeStream, serve_fake_peer

TOKEN = "s3cret-token-0123456789"
ID = "a" * 40
HASH = "b" * 40
UNKNOWN = "c" * 40
ACEXY_FOR_PLAYERS = "http://tv.lan:8080"
VLC = "VLC/3.0.21 LibVLC/3.0.21"


def _add_channels(engine: Engine) -> None:
    now = datetime.now(UTC)
    base = {"source_url": "http://list", "first_seen": now, "last_seen": now}
    with Session(engine) as session, session.begin():
        channels_repository.upsert_channels(
            session,
            [
                {
                    **base,
                    "content_id": ID,
                    "id_kind": "content_id",
                    "name": "La 1 HD",
                    "group_title": "Generalistas",
                    "tvg_logo": "http://logo/la1.png",
                    "tvg_id": "La1.es",
                },
                {
                    **base,
                    "content_id": HASH,
                    "id_kind": "infohash",
                    "name": "Vamos",
                    "group_title": "Generalistas",
                    "tvg_logo": None,
                    "tvg_id": None,
                },
            ],
        )


def _client(make_settings: SettingsFactory, **overrides: object) -> TestClient:
    settings = make_settings(playlist_base_url=ACEXY_FOR_PLAYERS, **overrides)
    return TestClient(create_app(settings), follow_redirects=False)


@pytest.fixture
def client(make_settings: SettingsFactory) -> Iterator[TestClient]:
    with _client(make_settings) as client:
        _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
        yield client


def _plays(client: TestClient) -> list[StreamPlay]:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(StreamPlay).order_by(StreamPlay.id)))


def _target(response: object) -> tuple[str, list[tuple[str, str]]]:
    location = urlsplit(response.headers["location"])  # type: ignore[attr-defined]
    return (
        f"{location.scheme}://{location.netloc}{location.path}",
        parse_qsl(location.query, keep_blank_values=True),
    )


def test_a_stream_url_redirects_to_acexy_keeping_every_other_parameter(
    client: TestClient,
) -> None:
    response = client.get(
        f"/ace/getstream?network-caching=3000&id={ID.upper()}&x=1&x=2&empty=",
        headers={"User-Agent": VLC},
    )

    assert response.status_code == 307
    assert _target(response) == (
        f"{ACEXY_FOR_PLAYERS}/ace/getstream",
        [("id", ID), ("network-caching", "3000"), ("x", "1"), ("x", "2"), ("empty", "")],
    )
    [play] = _plays(client)
    assert (play.content_id, play.id_kind) == (ID, "content_id")
    assert (play.client_address, play.user_agent) == ("testclient", VLC)


def test_an_infohash_redirects_as_an_infohash(client: TestClient) -> None:
    response = client.get(f"/ace/getstream?infohash={HASH}")

    assert response.status_code == 307
    assert _target(response) == (f"{ACEXY_FOR_PLAYERS}/ace/getstream", [("infohash", HASH)])
    assert [(p.content_id, p.id_kind) for p in _plays(client)] == [(HASH, "infohash")]


def test_an_id_that_is_not_one_of_ours_is_404_and_not_recorded(client: TestClient) -> None:
    unknown = client.get(f"/ace/getstream?id={UNKNOWN}")
    # A content id is not its infohash twin.
    wrong_kind = client.get(f"/ace/getstream?infohash={ID}")

    assert unknown.status_code == wrong_kind.status_code == 404
    assert unknown.json() == {"detail": f"No channel has id {UNKNOWN}"}
    assert _plays(client) == []


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("id=xyz", "id", "String should match pattern"),
        (f"id={ID}0", "id", "String should match pattern"),
        (f"infohash={ID[:-1]}g", "infohash", "String should match pattern"),
        ("", "id", "give exactly one of id or infohash"),
        (f"id={ID}&infohash={HASH}", "id", "give exactly one of id or infohash"),
    ],
)
def test_a_malformed_request_is_422_naming_the_field(
    client: TestClient, query: str, field: str, reason: str
) -> None:
    response = client.get(f"/ace/getstream?{query}")

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert error["msg"].startswith(reason)
    assert _plays(client) == []


def test_head_answers_as_get_without_recording_a_play(client: TestClient) -> None:
    """Players and link checkers probe with HEAD before (or instead of) playing."""
    response = client.head(f"/ace/getstream?id={ID}")

    assert response.status_code == 307
    assert response.headers["location"] == f"{ACEXY_FOR_PLAYERS}/ace/getstream?id={ID}"
    assert _plays(client) == []
    assert client.head(f"/ace/getstream?id={'f' * 40}").status_code == 404


def test_without_client_details_the_play_is_recorded_without_who(
    make_settings: SettingsFactory,
) -> None:
    with _client(make_settings, stream_client_details=False) as client:
        _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
        assert client.get(f"/ace/getstream?id={ID}", headers={"User-Agent": VLC}).is_redirect

        [play] = _plays(client)
    assert (play.content_id, play.client_address, play.user_agent) == (ID, None, None)


def test_with_api_read_auth_the_token_is_needed_and_never_passed_on(
    make_settings: SettingsFactory,
) -> None:
    with _client(make_settings, api_token=TOKEN, api_read_auth=True) as client:
        _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
        refused = client.get(f"/ace/getstream?id={ID}")
        by_query = client.get(f"/ace/getstream?id={ID}&token={TOKEN}&pid=9")
        by_header = client.get(
            f"/ace/getstream?id={ID}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        plays = _plays(client)

    assert refused.status_code == 401
    assert by_query.status_code == by_header.status_code == 307
    assert _target(by_query)[1] == [("id", ID), ("pid", "9")]
    assert TOKEN not in by_query.headers["location"]
    assert len(plays) == 2


def test_the_playlist_points_at_the_service_by_default_and_at_acexy_when_told(
    make_settings: SettingsFactory,
) -> None:
    lines = {}
    for mode in ("service", "acexy"):
        with _client(
            make_settings, playlist_stream_urls=mode, public_url="http://dash.lan:8000"
        ) as client:
            _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
            client.app.state.services.playlist.generate()  # type: ignore[attr-defined]
            text = client.get("/playlist.m3u").text
        lines[mode] = [line for line in text.splitlines() if not line.startswith("#")]

    assert lines == {
        "service": [
            f"http://dash.lan:8000/ace/getstream?id={ID}",
            f"http://dash.lan:8000/ace/getstream?infohash={HASH}",
        ],
        "acexy": [
            f"{ACEXY_FOR_PLAYERS}/ace/getstream?id={ID}",
            f"{ACEXY_FOR_PLAYERS}/ace/getstream?infohash={HASH}",
        ],
    }


def test_with_api_read_auth_the_playlist_s_stream_urls_carry_its_token(
    make_settings: SettingsFactory,
) -> None:
    with _client(make_settings, api_token=TOKEN, api_read_auth=True) as client:
        _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
        playlist = client.app.state.services.playlist  # type: ignore[attr-defined]
        playlist.generate()
        text = client.get(f"/playlist.m3u?token={TOKEN}").text
        urls = [line for line in text.splitlines() if not line.startswith("#")]
        followed = client.get(urls[0].removeprefix("http://127.0.0.1:8000"))

    assert urls == [
        f"http://127.0.0.1:8000/ace/getstream?id={ID}&token={TOKEN}",
        f"http://127.0.0.1:8000/ace/getstream?infohash={HASH}&token={TOKEN}",
    ]
    assert TOKEN not in playlist.path.read_text()
    assert followed.status_code == 307


@pytest.fixture
def acexy() -> Iterator[FakePeer]:
    with serve_fake_peer("acexy") as peer:
        yield peer


def test_active_streams_name_our_channel_and_the_players_sent_to_it(
    make_settings: SettingsFactory, acexy: FakePeer
) -> None:
    acexy.mode = "acexy-meikkun"
    acexy.streams = [
        FakeStream(ID, "", clients=2),
        FakeStream("", HASH, clients=1),
        FakeStream(UNKNOWN, "", clients=1),
    ]
    with _client(make_settings, acexy_url=acexy.base_url) as client:
        _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
        for agent in (VLC, "Kodi/21.0", VLC):
            client.get(f"/ace/getstream?id={ID}", headers={"User-Agent": agent})
        client.get(f"/ace/getstream?infohash={HASH}", headers={"User-Agent": "TiviMate"})
        streams = client.get("/api/v1/streams/active").json()["streams"]

    ours, by_infohash, theirs = streams
    assert ours["channel"] == {
        "name": "La 1 HD",
        "group": "Generalistas",
        "logo": "http://logo/la1.png",
        "tvg_id": "La1.es",
    }
    assert [(v["address"], v["user_agent"]) for v in ours["viewers"]] == [
        ("testclient", VLC),
        ("testclient", "Kodi/21.0"),
    ]
    assert ours["clients"] == 2
    assert by_infohash["channel"]["name"] == "Vamos"
    assert [v["user_agent"] for v in by_infohash["viewers"]] == ["TiviMate"]
    assert theirs["channel"] is None
    assert theirs["viewers"] == []


def test_a_player_leaves_the_viewers_once_its_play_is_older_than_the_window(
    make_settings: SettingsFactory, acexy: FakePeer
) -> None:
    acexy.mode = "acexy-meikkun"
    acexy.streams = [FakeStream(ID, "", clients=1)]
    with _client(make_settings, acexy_url=acexy.base_url) as client:
        _add_channels(client.app.state.engine)  # type: ignore[attr-defined]
        client.get(f"/ace/getstream?id={ID}", headers={"User-Agent": VLC})
        played = datetime.now(UTC)
        watching = client.get("/api/v1/streams/active").json()["streams"][0]["viewers"]
        # Nothing is written in between: only the time tells the play is too old.
        with time_machine.travel(played + VIEWER_WINDOW + timedelta(seconds=1), tick=False):
            left = client.get("/api/v1/streams/active").json()["streams"][0]["viewers"]

    assert [viewer["user_agent"] for viewer in watching] == [VLC]
    assert left == []
