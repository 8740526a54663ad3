import pytest

from app.utils.redaction import REDACTED, is_secret_key, redact


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "DB_PASSWORD",
        "passwd",
        "pwd",
        "secret",
        "client_secret",
        "token",
        "refreshToken",
        "Authorization",
        "api_key",
        "API-Key",
        "apikey",
        "cookie",
        "Set-Cookie",
        "credentials",
        "private_key",
        "aws_access_key_id",
        "signature",
        "auth",
        "session_id",
    ],
)
def test_secret_looking_keys_are_recognised(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize("key", ["channel", "content_id", "author", "passenger", "url", "name"])
def test_ordinary_keys_are_kept(key: str) -> None:
    assert not is_secret_key(key)


def test_secrets_are_redacted_at_any_depth_and_the_rest_kept() -> None:
    details = {
        "url": "https://example.org/list",
        "headers": {"Authorization": "Bearer abc", "Accept": "text/html"},
        "sources": [{"name": "a", "token": "t1"}, {"name": "b", "nested": [{"password": "p"}]}],
        "count": 3,
    }

    assert redact(details) == {
        "url": "https://example.org/list",
        "headers": {"Authorization": REDACTED, "Accept": "text/html"},
        "sources": [
            {"name": "a", "token": REDACTED},
            {"name": "b", "nested": [{"password": REDACTED}]},
        ],
        "count": 3,
    }
    assert details["headers"] == {"Authorization": "Bearer abc", "Accept": "text/html"}


def test_passwords_inside_urls_are_redacted() -> None:
    text = "could not reach postgresql+psycopg://scraper:hunter2@db:5432/app (timeout)"

    assert redact({"error": text}) == {
        "error": f"could not reach postgresql+psycopg://scraper:{REDACTED}@db:5432/app (timeout)"
    }
    assert redact("http://example.org:8080/path") == "http://example.org:8080/path"
