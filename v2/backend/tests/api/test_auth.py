from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import SettingsFactory
from tests.factories import all_activity

TOKEN = "s3cret-token-0123456789"
URL = "/api/v1/config/dashboard"


@pytest.fixture
def guarded(make_settings: SettingsFactory) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(api_token=TOKEN, api_token_label="ops"))) as client:
        yield client


@pytest.fixture
def read_guarded(make_settings: SettingsFactory) -> Iterator[TestClient]:
    settings = make_settings(api_token=TOKEN, api_read_auth=True)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token-0123456789", TOKEN, "Basic x"])
def test_change_without_the_right_token_gets_401(
    guarded: TestClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = guarded.put(URL, json={"retention_days": 1}, headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "Missing or invalid API token: send 'Authorization: Bearer <API_TOKEN>'"
    }
    assert guarded.get(URL).json()["retention_days"] == 7


def test_change_with_the_token_is_recorded_under_its_label(guarded: TestClient) -> None:
    response = guarded.put(
        URL, json={"retention_days": 1}, headers={"Authorization": f"Bearer {TOKEN}"}
    )

    assert response.status_code == 200
    engine = guarded.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        [action] = [row for row in all_activity(session) if row.type == "user_action"]
    assert action.user == "ops"


def test_reads_stay_open_by_default(guarded: TestClient) -> None:
    assert guarded.get(URL).status_code == 200
    assert guarded.get("/api/v1/activity/recent").status_code == 200


def test_reads_need_the_token_with_api_read_auth(read_guarded: TestClient) -> None:
    assert read_guarded.get(URL).status_code == 401
    assert read_guarded.get("/api/v1/activity/recent").status_code == 401
    authorized = read_guarded.get(URL, headers={"Authorization": f"Bearer {TOKEN}"})
    assert authorized.status_code == 200


def test_probes_stay_open_with_api_read_auth(read_guarded: TestClient) -> None:
    assert read_guarded.get("/healthz").status_code == 200
    assert read_guarded.get("/readyz").status_code == 200


def test_without_api_token_changes_are_open_and_anonymous(client: TestClient) -> None:
    assert client.put(URL, json={"retention_days": 2}).status_code == 200


READ_PATHS = ["/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect"]


def test_metrics_and_api_docs_need_the_token_with_api_read_auth(
    read_guarded: TestClient,
) -> None:
    wrong = {"Authorization": "Bearer wrong-token-0123456789"}
    right = {"Authorization": f"Bearer {TOKEN}"}

    refused = {path: read_guarded.get(path) for path in READ_PATHS}

    assert {path: r.status_code for path, r in refused.items()} == dict.fromkeys(READ_PATHS, 401)
    assert {r.headers["WWW-Authenticate"] for r in refused.values()} == {"Bearer"}
    assert [read_guarded.get(path, headers=wrong).status_code for path in READ_PATHS] == [
        401
    ] * len(READ_PATHS)
    assert [read_guarded.get(path, headers=right).status_code for path in READ_PATHS] == [
        200
    ] * len(READ_PATHS)


def test_metrics_and_api_docs_stay_open_without_api_read_auth(guarded: TestClient) -> None:
    assert [guarded.get(path).status_code for path in READ_PATHS] == [200] * len(READ_PATHS)


def test_the_playlist_takes_the_token_in_the_query_with_api_read_auth(
    read_guarded: TestClient,
) -> None:
    read_guarded.app.state.services.playlist.generate()  # type: ignore[attr-defined]

    refused = read_guarded.get("/playlist.m3u")
    wrong = read_guarded.get("/playlist.m3u", params={"token": "wrong-token-0123456789"})
    by_query = read_guarded.get("/playlist.m3u", params={"token": TOKEN})
    by_header = read_guarded.get("/playlist.m3u", headers={"Authorization": f"Bearer {TOKEN}"})

    assert (refused.status_code, wrong.status_code) == (401, 401)
    assert by_query.status_code == 200
    assert by_query.text == "#EXTM3U\n"
    assert by_header.status_code == 200


def test_the_playlist_stays_open_without_api_read_auth(guarded: TestClient) -> None:
    guarded.app.state.services.playlist.generate()  # type: ignore[attr-defined]

    assert guarded.get("/playlist.m3u").status_code == 200
