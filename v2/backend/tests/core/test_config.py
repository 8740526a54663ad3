from pathlib import Path

import pytest

from app.core.config import ConfigurationError, Settings, load_settings


def test_notification_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_URLS", "tgram://123:abc/456, json://127.0.0.1:9/hook")
    monkeypatch.setenv("NOTIFY_EVENTS", "peer_down,task_failing")
    settings = load_settings()
    assert settings.notify_urls == ("tgram://123:abc/456", "json://127.0.0.1:9/hook")
    assert settings.notify_events == ("peer_down", "task_failing")


def test_notify_urls_split_only_where_a_new_url_begins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "NOTIFY_URLS",
        "mailto://me:pw@smtp.example.org?to=a@example.org,b@example.org,"
        "ntfy://alerts , json://127.0.0.1:9/hook?x=1,2,",
    )
    settings = load_settings()
    assert settings.notify_urls == (
        "mailto://me:pw@smtp.example.org?to=a@example.org,b@example.org",
        "ntfy://alerts",
        "json://127.0.0.1:9/hook?x=1,2",
    )


def test_defaults_serve_sqlite_in_data_dir_on_loopback() -> None:
    settings = Settings(_env_file=None)

    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.data_dir == Path("data")
    assert settings.sqlalchemy_url == "sqlite:///data/acestream.db"
    assert settings.api_token is None
    assert settings.activity_export == "batch"


def test_data_dir_moves_the_default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", "/srv/acestream")

    assert load_settings().sqlalchemy_url == "sqlite:////srv/acestream/acestream.db"


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:p@db:5432/x", "postgres://u:p@db:5432/x", "postgresql+psycopg://u:p@db/x"],
)
def test_postgresql_urls_use_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)

    assert load_settings().sqlalchemy_url.startswith("postgresql+psycopg://u")


def test_log_level_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")

    assert load_settings().log_level == "DEBUG"


def test_allowed_hosts_are_host_names_in_lower_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "Dash.Example, *.home.example,192.168.1.10,[::1],app_1")

    assert load_settings().allowed_hosts == (
        "dash.example",
        "*.home.example",
        "192.168.1.10",
        "[::1]",
        "app_1",
    )


@pytest.mark.parametrize("value", ["dash.example:8000", "http://dash.example", "dash example"])
def test_allowed_hosts_refuse_what_is_not_a_host_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", value)

    with pytest.raises(ConfigurationError, match=r"ALLOWED_HOSTS: .*without scheme or port"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("DATABASE_URL", "mysql://root@db/x", "must be an SQLite URL"),
        ("PORT", "80000", "less than or equal to 65535"),
        ("PORT", "http", "valid integer"),
        ("API_TOKEN", "short", "at least 16 characters"),
        ("API_READ_AUTH", "maybe", "valid boolean"),
        ("LOG_LEVEL", "LOUD", "'DEBUG'"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url", "valid URL"),
        ("ACTIVITY_EXPORT", "sometimes", "'batch' or 'sync'"),
        ("PLAYLIST_STREAM_URLS", "proxy", "'service' or 'acexy'"),
        ("PUBLIC_URL", "not a url", "valid URL"),
        ("STREAM_CLIENT_DETAILS", "perhaps", "valid boolean"),
        ("NOTIFY_URLS", "ntfy://topic,https://hooks.example.org/x?token=s3cr3t", "URL 2 is not"),
        ("NOTIFY_EVENTS", "peer_down,peer_exploded", "unknown events ['peer_exploded']"),
        ("NOTIFY_GRACE_SECONDS", "-1", "greater than or equal to 0"),
    ],
)
def test_a_bad_variable_stops_start_up_with_its_name(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError) as raised:
        load_settings()

    message = str(raised.value)
    assert message.startswith("Invalid configuration:\n  " + variable + ": ")
    assert reason in message
    assert "s3cr3t" not in message


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"HOST": "0.0.0.0", "PORT": "9000"}, "http://127.0.0.1:9000"),  # noqa: S104
        ({"HOST": "tv.lan"}, "http://tv.lan:8000"),
        ({"HOST": "fd00::5"}, "http://[fd00::5]:8000"),
        (
            {"PUBLIC_URL": "https://tv.example.com/ace-dash/", "HOST": "tv.lan"},
            "https://tv.example.com/ace-dash",
        ),
        ({"PLAYLIST_BASE_URL": "http://proxy:1"}, "http://127.0.0.1:8000"),
        ({"PLAYLIST_STREAM_URLS": "acexy"}, "http://127.0.0.1:8080"),
        (
            {"PLAYLIST_STREAM_URLS": "acexy", "PLAYLIST_BASE_URL": "http://proxy:1/"},
            "http://proxy:1",
        ),
    ],
)
def test_the_playlist_points_at_the_service_unless_told_acexy(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)

    assert load_settings().stream_base_url == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("STREAM_SWEEP_INTERVAL_SECONDS", "3", "must be 0 .no sweep. or at least 5 seconds"),
        ("STREAM_SWEEP_INTERVAL_SECONDS", "-1", "greater than or equal to 0"),
        ("STREAM_SWEEP_RATE", "0", "greater than or equal to 1"),
        ("STREAM_SWEEP_RATE", "21", "less than or equal to 20"),
    ],
)
def test_the_sweep_settings_refuse_what_acexy_should_not_see(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError, match=rf"{name}: .*{message}"):
        load_settings()


def test_the_sweep_defaults_to_20_a_second_every_minute() -> None:
    settings = Settings(_env_file=None)

    assert (settings.stream_sweep_rate, settings.stream_sweep_interval_seconds) == (20, 60)
