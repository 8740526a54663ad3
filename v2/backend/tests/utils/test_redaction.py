import logging

import pytest

from app.utils.redaction import (
    REDACTED,
    RedactingLogFilter,
    install_log_redaction,
    is_secret_key,
    redact,
    redact_text,
)


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
        "sig",
        "access_token",
        "X-Amz-Signature",
        "AWSAccessKeyId",
        "jwt",
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


def test_user_info_inside_urls_is_redacted() -> None:
    text = "could not reach postgresql+psycopg://scraper:hunter2@db:5432/app (timeout)"

    assert redact({"error": text}) == {
        "error": f"could not reach postgresql+psycopg://{REDACTED}@db:5432/app (timeout)"
    }
    assert redact("http://example.org:8080/path") == "http://example.org:8080/path"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Could not scrape http://u:pass@127.0.0.1:81/x?token=T&page=2",
            f"Could not scrape http://{REDACTED}@127.0.0.1:81/x?token={REDACTED}&page=2",
        ),
        ("http://user-only@host/", f"http://{REDACTED}@host/"),
        ("http://u:p@ss@host/x", f"http://{REDACTED}@host/x"),
        (
            "/list?api_key=1&key=2&password=3&auth=4&sig=5&signature=6&access_token=7",
            f"/list?api_key={REDACTED}&key={REDACTED}&password={REDACTED}&auth={REDACTED}"
            f"&sig={REDACTED}&signature={REDACTED}&access_token={REDACTED}",
        ),
        ("/cb#access_token=abc&state=x", f"/cb#access_token={REDACTED}&state=x"),
        ("/x?token=T: HTTP 404", f"/x?token={REDACTED}: HTTP 404"),
        ("auth=user:pass.", f"auth={REDACTED}."),
        ("host=db password=hunter2 user=app", f"host=db password={REDACTED} user=app"),
        ("Authorization: Bearer abc.def-ghi", f"Authorization: Bearer {REDACTED}"),
        (
            "Invalid URL 'http://u:p@h/?token=t'",
            f"Invalid URL 'http://{REDACTED}@h/?token={REDACTED}'",
        ),
        ("/x?page=2&monkey=1&author=me&id=abc", "/x?page=2&monkey=1&author=me&id=abc"),
        ("write to me@example.org; a=b", "write to me@example.org; a=b"),
        # Notification targets (Apprise URLs): tokens in the path, user-info, parameters.
        ("tgram://123456789:AAHbottoken/12345", f"tgram://{REDACTED}"),
        ("to discord://4174216298/JHMHI8qBe7 failed", f"to discord://{REDACTED} failed"),
        ("mailto://user:pass@mail.example.org", f"mailto://{REDACTED}@mail.example.org"),
        ("json://host/path?token=abc&x=1", f"json://host/path?token={REDACTED}&x=1"),
        ("json://127.0.0.1:8080/hook", "json://127.0.0.1:8080/hook"),
        (
            "POST https://api.telegram.org/bot123456:AAH-x_y/sendMessage: 401",
            f"POST https://api.telegram.org/bot{REDACTED}/sendMessage: 401",
        ),
        ("acestream://0123abcd and xtgram://a/b", "acestream://0123abcd and xtgram://a/b"),
    ],
)
def test_url_user_info_and_secret_parameters_are_redacted_in_text(text: str, expected: str) -> None:
    assert redact_text(text) == expected
    assert redact_text(expected) == expected


def test_log_records_are_redacted_and_keep_their_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s "%s %s"', ("ip", "GET", "/p?token=T"), None
    )

    assert RedactingLogFilter().filter(record)

    assert record.args == ("ip", "GET", f"/p?token={REDACTED}")
    assert record.getMessage() == f'ip "GET /p?token={REDACTED}"'


def test_log_records_hide_secrets_of_formatted_objects_and_tracebacks() -> None:
    try:
        raise ValueError("cannot open http://u:pass@host/x")
    except ValueError as exc:
        error = exc
    record = logging.LogRecord(
        "app", logging.ERROR, __file__, 1, "failed: %s", (error,), (ValueError, error, None)
    )

    RedactingLogFilter().filter(record)

    assert record.getMessage() == f"failed: cannot open http://{REDACTED}@host/x"
    assert record.exc_text is not None
    assert "pass" not in record.exc_text
    assert f"http://{REDACTED}@host/x" in record.exc_text


def test_every_logger_is_redacted_once_installed(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    install_log_redaction()

    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info("HTTP Request: GET %s", "http://u:pass@host/?key=K")

    assert caplog.messages == [f"HTTP Request: GET http://{REDACTED}@host/?key={REDACTED}"]


def test_a_record_whose_arguments_do_not_fit_is_left_to_the_handler() -> None:
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "%d items", ("x",), None)

    assert RedactingLogFilter().filter(record)

    with pytest.raises(TypeError):
        record.getMessage()
