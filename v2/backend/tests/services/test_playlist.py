"""The playlist we write reads back field for field in two independent IPTV parsers.

m3u-ipytv and m3u-parser (dev dependencies) stand in for the players: each reads the
`#EXTINF` line its own way (m3u-parser with regular expressions that cut at commas).
"""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ipytv import playlist as ipytv_playlist  # type: ignore[import-untyped]
from m3u_parser import M3uParser  # type: ignore[import-untyped]
from sqlalchemy.orm import sessionmaker

from app.core.db import create_db_engine
from app.models import Channel
from app.repositories import channels as channels_repository
from app.services.playlist import PlaylistService, render_playlist, without_user_info

BASE = "http://tv.example.com:8080"
ID_C = "c" * 40
CHANNELS = [
    Channel(
        content_id="a116ce3ff95c41c60e987e2b1aa247007f707884",
        id_kind="content_id",
        name="DAZN 2 --> NEW ERA, 1080p",
        tvg_id="DAZN.2.es",
        group_title="DAZN, Fútbol",
    ),
    Channel(
        content_id="8c67cdb5ba81976662c3a67984a9545d9cfb0f70",
        id_kind="content_id",
        name='Movistar Plus+ "Oficial"',
        tvg_id="Movistar.Plus.es",
        tvg_logo="https://res.cloudinary.com/x/image/upload/c_pad,w_405/Canales/Movistar_PLUS",
        group_title="NEW ERA",
    ),
    Channel(
        content_id="0cd11c1f51b84ebe9954496b3ef9b6aeccf7307c",
        id_kind="infohash",
        name="M.#Vamos",
        epg_channel_id="Vamos.es",
        group_title="Movistar",
    ),
    Channel(content_id="1" * 40, id_kind="content_id", name=None),
]
# What each field must read back as: the name verbatim; tvg-name with `"` as `'` (M3U has no
# escape for a quote inside an attribute); logo commas percent-encoded (the same URL).
EXPECTED = [
    {
        "name": "DAZN 2 --> NEW ERA, 1080p",
        "tvg-name": "DAZN 2 --> NEW ERA, 1080p",
        "tvg-id": "DAZN.2.es",
        "tvg-logo": None,
        "group-title": "DAZN, Fútbol",
        "url": f"{BASE}/ace/getstream?id=a116ce3ff95c41c60e987e2b1aa247007f707884",
    },
    {
        "name": 'Movistar Plus+ "Oficial"',
        "tvg-name": "Movistar Plus+ 'Oficial'",
        "tvg-id": "Movistar.Plus.es",
        "tvg-logo": "https://res.cloudinary.com/x/image/upload/c_pad%2Cw_405/Canales/Movistar_PLUS",
        "group-title": "NEW ERA",
        "url": f"{BASE}/ace/getstream?id=8c67cdb5ba81976662c3a67984a9545d9cfb0f70",
    },
    {
        "name": "M.#Vamos",
        "tvg-name": "M.#Vamos",
        "tvg-id": "Vamos.es",
        "tvg-logo": None,
        "group-title": "Movistar",
        "url": f"{BASE}/ace/getstream?infohash=0cd11c1f51b84ebe9954496b3ef9b6aeccf7307c",
    },
    {
        "name": "1" * 40,
        "tvg-name": "1" * 40,
        "tvg-id": "",
        "tvg-logo": None,
        "group-title": None,
        "url": f"{BASE}/ace/getstream?id={'1' * 40}",
    },
]


def test_names_keep_their_quotes_and_logo_commas_are_percent_encoded() -> None:
    text = render_playlist(CHANNELS[1:2], stream_base_url=BASE)

    assert text.splitlines()[1] == (
        '#EXTINF:-1 tvg-name="Movistar Plus+ \'Oficial\'" tvg-logo="https://res.cloudinary.com'
        '/x/image/upload/c_pad%2Cw_405/Canales/Movistar_PLUS" group-title="NEW ERA" '
        'tvg-id="Movistar.Plus.es",Movistar Plus+ "Oficial"'
    )


def test_line_breaks_in_a_name_do_not_end_the_entry() -> None:
    channel = Channel(content_id="2" * 40, id_kind="content_id", name="Two\r\nLines")

    assert render_playlist([channel], stream_base_url=BASE).splitlines()[1:] == [
        '#EXTINF:-1 tvg-name="Two  Lines" tvg-id="",Two  Lines',
        f"{BASE}/ace/getstream?id={'2' * 40}",
    ]


def test_m3u_ipytv_reads_every_field_back() -> None:
    read = ipytv_playlist.loads(render_playlist(CHANNELS, stream_base_url=BASE))

    assert [
        {
            "name": entry.name,
            **{key: entry.attributes.get(key) for key in ("tvg-name", "tvg-id", "tvg-logo")},
            "group-title": entry.attributes.get("group-title"),
            "url": entry.url,
        }
        for entry in read
    ] == EXPECTED


def test_m3u_parser_reads_every_field_back(tmp_path: Path) -> None:
    path = tmp_path / "playlist.m3u"
    path.write_text(render_playlist(CHANNELS, stream_base_url=BASE), encoding="utf-8")
    parser = M3uParser()
    try:
        parser.parse_m3u(str(path), check_live=False)
    finally:
        # m3u-parser 0.4.2 makes an event loop per parse and never closes it (its _close_loop
        # acts only on a running loop): close it, or its socket pair leaks into later tests.
        parser._loop.close()
        asyncio.set_event_loop(None)
    read: list[dict[str, Any]] = parser.get_list()

    assert [
        {
            "name": entry["name"],
            "tvg-name": entry["tvg"]["name"],
            "tvg-id": entry["tvg"]["id"],
            "tvg-logo": entry.get("logo"),
            "group-title": entry.get("category"),
            "url": entry["url"],
        }
        for entry in read
    ] == EXPECTED


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://user:pass@tv.lan:8080", "http://tv.lan:8080"),
        ("http://user@tv.lan:8080/acexy", "http://tv.lan:8080/acexy"),
        ("http://u:p@ss@tv.lan", "http://tv.lan"),
        ("http://tv.lan:8080", "http://tv.lan:8080"),
    ],
)
def test_user_info_is_taken_off_the_stream_base(url: str, expected: str) -> None:
    assert without_user_info(url) == expected


def test_the_playlist_never_carries_acexy_credentials(database_url: str, tmp_path: Path) -> None:
    engine = create_db_engine(database_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        channels_repository.upsert_channels(
            session,
            [
                {
                    "content_id": ID_C,
                    "id_kind": "content_id",
                    "name": "La 1",
                    "source_url": "http://list",
                    "first_seen": now,
                    "last_seen": now,
                    "seen_in_latest_scrape": True,
                }
            ],
        )
    service = PlaylistService(
        sessions, data_dir=tmp_path, stream_base_url="http://admin:s3cret@tv.lan:8080"
    )

    service.generate()
    engine.dispose()

    assert service.path.read_text().splitlines()[-1] == (
        f"http://tv.lan:8080/ace/getstream?id={ID_C}"
    )
