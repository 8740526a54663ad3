"""The fetch helper: a trickling source ends at the deadline, a cancelled run's fetch at once,
and each failure is a FetchError of its kind."""

import io
import threading

import pytest

from app.core.config import ConfigurationError, Settings, load_settings
from app.peers.fetch import ErrorStatus, Fetcher, FetchError, TooLarge, Unreachable
from app.utils.cancel import CancelToken, Interrupted
from tests.fakes.http_peer import closed_port_url, serve_fake_peer
from tests.fakes.web import Page, serve_pages


class FirstByteSignal(io.BytesIO):
    """A download target that says when the body has begun to arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()

    def write(self, data: object) -> int:
        self.arrived.set()
        return super().write(data)  # type: ignore[arg-type]


def test_a_source_trickling_a_byte_at_a_time_fails_at_the_overall_deadline() -> None:
    # One byte every 50 ms never trips the 20 s per-read timeout; only the deadline ends it.
    with serve_fake_peer("trickle") as source, pytest.raises(FetchError) as failure:
        Fetcher(deadline_seconds=1).fetch_text(
            f"{source.base_url}/guide.xml", max_bytes=1_000_000, cancel=CancelToken()
        )

    assert str(failure.value) == "no complete answer within 1 s (FETCH_DEADLINE_SECONDS)"


def test_cancelling_stops_a_trickling_download_at_once_long_before_the_deadline() -> None:
    cancel = CancelToken()
    target = FirstByteSignal()
    raised: list[BaseException] = []

    def download(url: str) -> None:
        try:
            Fetcher(deadline_seconds=3600).download(url, target, max_bytes=10**9, cancel=cancel)
        except BaseException as exc:
            raised.append(exc)

    with serve_fake_peer("trickle") as source:
        worker = threading.Thread(target=download, args=(f"{source.base_url}/list.m3u",))
        worker.start()
        assert target.arrived.wait(30)
        cancel.cancel("the service is stopping")
        worker.join(30)  # a safety net: the trickle never ends and the deadline is an hour

        assert not worker.is_alive()
    [error] = raised
    assert isinstance(error, Interrupted)
    assert str(error) == "the service is stopping"


def test_a_fetch_asked_to_stop_before_it_starts_sends_no_request() -> None:
    cancel = CancelToken()
    cancel.cancel("the service is stopping")
    page = Page(body=b"#EXTM3U\n")
    with serve_pages({"/list.m3u": page}) as site, pytest.raises(Interrupted):
        Fetcher(deadline_seconds=60).fetch_text(
            site.url("/list.m3u"), max_bytes=1000, cancel=cancel
        )

    assert page.requests == 0


SITE = {
    "/gone": Page(body=b"gone", status=410),
    "/loop": Page(status=302, headers={"Location": "/loop"}),
    "/big": Page(body=b"x" * 1_000_001),
}


@pytest.mark.parametrize(
    ("path", "kind", "reason"),
    [
        ("/gone", ErrorStatus, "HTTP 410 Gone"),
        ("/big", TooLarge, "larger than the 1 MB limit"),
        ("/loop", Unreachable, "more than 5 redirects"),
        (None, Unreachable, "connection refused"),
    ],
)
def test_each_failure_is_a_fetch_error_of_its_kind_with_its_reason(
    path: str | None, kind: type[FetchError], reason: str
) -> None:
    with serve_pages(SITE) as site:
        url = closed_port_url() if path is None else site.url(path)
        with pytest.raises(FetchError) as failure:
            Fetcher(deadline_seconds=60).fetch_text(url, max_bytes=1_000_000, cancel=CancelToken())

    assert type(failure.value) is kind
    assert str(failure.value) == reason


@pytest.mark.parametrize("value", ["0", "3601", "soon"])
def test_a_fetch_deadline_out_of_range_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("FETCH_DEADLINE_SECONDS", value)

    with pytest.raises(ConfigurationError, match="FETCH_DEADLINE_SECONDS: "):
        load_settings()


def test_the_fetch_deadline_defaults_to_a_minute() -> None:
    assert Settings(_env_file=None).fetch_deadline_seconds == 60
