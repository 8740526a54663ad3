from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from app.core.db import create_db_engine
from app.repositories import channels as channels_repository
from app.services.playlist import PlaylistService, without_user_info

ID_C = "c" * 40


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
