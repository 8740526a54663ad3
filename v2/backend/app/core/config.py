"""Service configuration: every environment variable, typed and validated once at start-up."""

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, HttpUrl, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.domain.notifications import EVENTS
from app.utils.apprise_urls import url_problem

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
IntervalSeconds = Annotated[int, Field(ge=5, le=7 * 86400)]


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


# A comma that starts a new URL: optional spaces, then a scheme and "://". Only there is a list
# of Apprise URLs split, so a comma inside one (mailto://...?to=a@x.org,b@y.org) stays in it.
_URL_BOUNDARY = re.compile(r",\s*(?=[A-Za-z][A-Za-z0-9+.-]*://)")


def _split_urls(value: object) -> object:
    if isinstance(value, str):
        parts = (part.strip(" ,") for part in _URL_BOUNDARY.split(value))
        return tuple(part for part in parts if part)
    return value


# Lists arrive as "a,b,c" in the environment; NoDecode stops pydantic-settings parsing JSON.
CommaSeparated = Annotated[tuple[HttpUrl, ...], NoDecode, BeforeValidator(_split_commas)]

# A host name (or "*.domain" for its subdomains), an IPv4 address or a bracketed IPv6 one;
# no scheme, no port: the Host check compares names only.
_HOST_PATTERN = re.compile(r"(\*\.)?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?|\[[0-9a-f:.]+\]")

_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "[::]"})  # noqa: S104 - names, not a bind
_SQLITE_FILE_NAME = "acestream.db"
_DRIVER_ALIASES = {
    "postgres://": "postgresql+psycopg://",
    "postgresql://": "postgresql+psycopg://",
}


class ConfigurationError(Exception):
    """The environment holds a value the service cannot start with; the message names it."""


class Settings(BaseSettings):
    """All settings the service reads. Field `foo_bar` is the environment variable `FOO_BAR`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        extra="ignore",
        env_ignore_empty=True,
        case_sensitive=False,
    )

    data_dir: Path = Field(Path("data"), description="Folder for the SQLite database and files.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default is an SQLite file in DATA_DIR. "
        "PostgreSQL: postgresql+psycopg://user:password@host:5432/db",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_token: SecretStr | None = Field(
        None, description="When set, requests that change something need 'Authorization: Bearer'."
    )
    api_token_label: str = Field(
        "api-token",
        min_length=1,
        max_length=64,
        description="Who the token stands for in the activity log (the 'user' of user actions).",
    )
    api_read_auth: bool = Field(False, description="Require the token for reads as well.")
    allowed_hosts: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_split_commas)] = Field(
        (),
        description="Host names the service answers to (any when empty); loopback always.",
    )
    log_level: LogLevel = "INFO"
    otel_exporter_otlp_endpoint: HttpUrl | None = Field(
        None, description="Base URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318."
    )
    otel_service_name: str = "acestream-scraper"
    scheduler_enabled: bool = Field(
        True, description="Run the background tasks in this replica (false: API only)."
    )
    scrape_urls: CommaSeparated = Field(
        (), description="Comma-separated pages or M3U lists to scrape for AceStream ids."
    )
    scrape_interval_seconds: IntervalSeconds = 3600
    scrape_bare_ids: bool = Field(
        False,
        description="Also take 40-hex ids written without acestream:// (NEW ERA listaplana.txt,"
        " Elcano hashes.json); never commit or magnet hashes.",
    )
    epg_urls: CommaSeparated = Field(
        (), description="Comma-separated XMLTV sources (plain or gzip)."
    )
    epg_refresh_interval_seconds: IntervalSeconds = 21600
    playlist_interval_seconds: IntervalSeconds = 3600
    playlist_base_url: HttpUrl | None = Field(
        None,
        description="The acexy base players reach (where the service redirects them, and the "
        "playlist's stream URLs with PLAYLIST_STREAM_URLS=acexy); default ACEXY_URL.",
    )
    playlist_stream_urls: Literal["service", "acexy"] = Field(
        "service",
        description="'service': the playlist's stream URLs point at this service (PUBLIC_URL), "
        "which redirects each to acexy and records who asked; 'acexy': straight to acexy.",
    )
    public_url: HttpUrl | None = Field(
        None,
        description="The base URL players reach this service at; default http://HOST:PORT.",
    )
    stream_client_details: bool = Field(
        True,
        description="Record the address and user agent of each player a stream URL redirects.",
    )
    status_check_interval_seconds: IntervalSeconds = 15
    stream_sweep_interval_seconds: int = Field(
        60,
        ge=0,
        le=7 * 86400,
        description="How often the sweep checks our channels' ids against acexy for streams "
        "started outside our playlist; 0 turns the sweep off.",
    )
    stream_sweep_rate: int = Field(
        20,
        ge=1,
        le=20,
        description="Requests a second the sweep sends acexy at most; a run checks at most "
        "20 seconds' worth of ids.",
    )
    activity_cleanup_interval_seconds: IntervalSeconds = 86400
    task_grace_seconds: int = Field(
        300, ge=0, description="How late a task may finish past its interval before it is overdue."
    )
    uptime_retention_days: int = Field(
        90,
        ge=1,
        le=365,
        description="Days of state changes (uptime history) kept, apart from the activity"
        " log's retention.",
    )
    task_history_limit: int = Field(50, ge=1, le=1000, description="Runs kept per task.")
    fetch_deadline_seconds: int = Field(
        60,
        ge=1,
        le=3600,
        description="Longest one fetch of a scrape or EPG source may take from start to end, "
        "however steadily the source trickles (each read also times out after 20 s).",
    )
    acexy_url: HttpUrl = HttpUrl("http://127.0.0.1:8080")
    acestream_engine_url: HttpUrl = HttpUrl("http://127.0.0.1:6878")
    warp_cli: str = Field("warp-cli", min_length=1, description="Path or name of warp-cli.")
    frontend_dist: Path = Field(
        Path(__file__).resolve().parents[3] / "frontend" / "dist",
        description="The built page served at /.",
    )
    activity_export: Literal["batch", "sync"] = Field(
        "batch",
        description="'batch' writes activity in the background (production); "
        "'sync' writes each row before the recording call returns (tests, debugging).",
    )
    activity_queue_size: int = Field(
        65_536,
        ge=512,
        le=1_000_000,
        description="Activity spans waiting for the database in 'batch' mode; beyond it new "
        "activity is refused and counted (acestream_activity_rows_dropped_total).",
    )

    notify_urls: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_split_urls)] = Field(
        (),
        description="Comma-separated Apprise URLs to notify (tgram://, discord://, ntfy://, "
        "mailto://, json://, ...) until the list is first replaced through the API; split "
        "only at a comma followed by the next URL's scheme://, so commas inside a URL stay.",
    )
    notify_grace_seconds: int = Field(
        60,
        ge=0,
        le=86400,
        description="How long a problem (or a recovery) must hold before it is notified; "
        "a shorter blip sends nothing.",
    )
    notify_reminder_hours: float = Field(
        6,
        ge=0,
        le=24 * 30,
        description="Remind of a problem still going on at most this often; 0 never reminds.",
    )
    notify_events: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_split_commas)] = Field(
        EVENTS,
        description="Comma-separated events to notify (default all): " + ", ".join(EVENTS) + ".",
    )

    activity_stream_max_clients: int = Field(
        500,
        ge=1,
        le=100_000,
        description="Clients of GET /api/v1/activity/stream at once (per replica); beyond it 503.",
    )
    activity_stream_heartbeat_seconds: float = Field(
        15.0,
        gt=0,
        le=300,
        description="Seconds of silence after which the activity stream sends a keep-alive "
        "comment; lower it behind a proxy that closes quieter connections.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("api_token")
    @classmethod
    def _reject_short_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters long (or left unset to disable auth)")
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _check_hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        hosts = tuple(host.lower() for host in value)
        for host in hosts:
            if host != "*" and not _HOST_PATTERN.fullmatch(host):
                raise ValueError(
                    f"{host!r} is not a host name: list names like dashboard.example.com, "
                    "*.example.com or 192.168.1.10, without scheme or port"
                )
        return hosts

    @field_validator("notify_urls")
    @classmethod
    def _check_notify_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for index, url in enumerate(value):
            problem = url_problem(url)
            if problem is not None:
                raise ValueError(f"URL {index + 1} {problem}")
        return value

    @field_validator("notify_events")
    @classmethod
    def _check_events(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(EVENTS))
        if unknown:
            raise ValueError(f"unknown events {unknown}; the events are: {', '.join(EVENTS)}")
        return value

    @field_validator("stream_sweep_interval_seconds")
    @classmethod
    def _check_sweep_interval(cls, value: int) -> int:
        if 0 < value < 5:
            raise ValueError("must be 0 (no sweep) or at least 5 seconds")
        return value

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        for alias, driver in _DRIVER_ALIASES.items():
            if value.startswith(alias):
                return driver + value.removeprefix(alias)
        if not value.startswith(("sqlite://", "sqlite+pysqlite://", "postgresql+psycopg://")):
            raise ValueError(
                "must be an SQLite URL (sqlite:///path/to.db) "
                "or a PostgreSQL URL (postgresql+psycopg://user@host/db)"
            )
        return value

    @property
    def service_url(self) -> str:
        """The base players reach the service at: PUBLIC_URL, else HOST and PORT (loopback
        for a wildcard HOST, which no player can connect to)."""
        if self.public_url is not None:
            return str(self.public_url).rstrip("/")
        host = "127.0.0.1" if self.host in _WILDCARD_HOSTS else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def stream_base_url(self) -> str:
        """Where the playlist's stream URLs point: the service's redirect by default; with
        PLAYLIST_STREAM_URLS=acexy, PLAYLIST_BASE_URL, else acexy."""
        if self.playlist_stream_urls == "service":
            return self.service_url
        return self.player_acexy_url

    @property
    def player_acexy_url(self) -> str:
        """acexy as players reach it: PLAYLIST_BASE_URL, else ACEXY_URL."""
        return str(self.playlist_base_url or self.acexy_url).rstrip("/")

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL to connect to: DATABASE_URL, or the SQLite file inside DATA_DIR."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite:///{self.data_dir / _SQLITE_FILE_NAME}"


def load_settings() -> Settings:
    """Read the settings from the environment; ConfigurationError names each bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        ]
        raise ConfigurationError("Invalid configuration:\n  " + "\n  ".join(problems)) from exc
