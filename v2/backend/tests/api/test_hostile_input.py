"""Hostile requests get a clear 4xx, never a 500, and change nothing."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/config/dashboard"
DEFAULTS = {"retention_days": 7, "refresh_interval_seconds": 30, "auto_refresh_enabled": True}


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_an_oversized_body_is_refused_with_413(client: TestClient) -> None:
    response = client.put(URL, content=b" " * 200_000, headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large: at most 64 KiB"}
    assert client.get(URL).json() == DEFAULTS


def test_an_oversized_body_without_a_length_is_refused_as_it_arrives(client: TestClient) -> None:
    response = client.put(
        URL,
        content=_chunks(b" " * 200_000, 16_384),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 20_000 + b"]" * 20_000, "is nested too deeply to read"),
        (
            b'{"retention_days": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
            "is nested too deeply to read",
        ),
        (b'{"retention_days": "\xff"}', "is not valid UTF-8"),
    ],
)
def test_an_unreadable_json_body_is_refused_with_422_and_the_reason(
    client: TestClient, body: bytes, reason: str
) -> None:
    response = client.put(URL, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json()["detail"] == [{"type": "json_invalid", "loc": ["body"], "msg": reason}]
    assert client.get(URL).json() == DEFAULTS


@pytest.mark.parametrize(
    ("body", "echoed"),
    [
        (b'{"retention_days": NaN}', "nan"),
        (b'{"retention_days": Infinity}', "inf"),
        (b'{"refresh_interval_seconds": -Infinity}', "-inf"),
        (b'{"retention_days": 1e400}', "inf"),
        (b'{"auto_refresh_enabled": NaN}', "nan"),
    ],
)
def test_a_non_finite_number_is_refused_with_422_naming_the_field(
    client: TestClient, body: bytes, echoed: str
) -> None:
    response = client.put(URL, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    [error] = response.json()["detail"]
    field = body.decode().split('"')[1]
    assert error["loc"] == ["body", field]
    assert error["msg"]
    assert error["input"] == echoed
    assert client.get(URL).json() == DEFAULTS


def test_unicode_everywhere_is_answered_as_data(client: TestClient) -> None:
    response = client.get("/api/v1/activity/recent", params={"cursor": "🇪🇸" * 10})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]
    unknown = client.post("/api/v1/background-tasks/scrape✓/run")
    assert unknown.status_code == 404
    assert "scrape✓" in unknown.json()["detail"]


def test_a_huge_query_string_is_answered_without_a_server_error(client: TestClient) -> None:
    response = client.get("/api/v1/activity/recent?" + "&".join(["type=scrape"] * 2_000))

    assert response.status_code == 200
