from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ActivityLog, Channel
from app.services.tasks import TaskService
from tests.conftest import RunTask, SettingsFactory
from tests.fakes.http_peer import serve_fake_peer
from tests.fakes.web import Page, serve_pages

ID_A = "a" * 40
ID_B = "B" * 40
ID_C = "0123456789abcdef0123456789abcdef01234567"

HTML = f"""<html><body><ul>
<li><a href="acestream://{ID_A}">Deportes 1</a></li>
<li>Cine HD <a href="http://proxy/ace/getstream?id={ID_B}">play</a></li>
</ul></body></html>""".encode()

M3U = f"""#EXTM3U
#EXTINF:-1 tvg-id="la1.es" tvg-logo="http://logo/la1.png" group-title="Spain",La 1
http://127.0.0.1:6878/ace/getstream?id={ID_C}
""".encode()


def _channels(client: TestClient) -> dict[str, Channel]:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return {c.content_id: c for c in session.scalars(select(Channel))}


def test_scrape_finds_channels_in_html_and_m3u_and_names_them(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    pages = {"/page": Page(body=HTML), "/list.m3u": Page(body=M3U, content_type="audio/x-mpegurl")}
    with serve_pages(pages) as site:
        urls = f"{site.url('/page')},{site.url('/list.m3u')}"
        with TestClient(create_app(make_settings(scrape_urls=urls))) as client:
            task = run_task(client, "scrape")
            channels = _channels(client)

    assert task["status"] == "idle"
    assert task["last_result"] == {"urls": 2, "channels_found": 3, "new": 3, "failed_urls": []}
    assert channels[ID_A].name == "Deportes 1"
    assert channels[ID_B.lower()].source_url == site.url("/page")
    la1 = channels[ID_C]
    assert (la1.name, la1.tvg_id, la1.tvg_logo, la1.group_title) == (
        "La 1",
        "la1.es",
        "http://logo/la1.png",
        "Spain",
    )
    assert all(channel.seen_in_latest_scrape for channel in channels.values())


def test_a_second_scrape_counts_only_new_channels_and_marks_gone_ones(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    page = Page(body=HTML)
    with serve_pages({"/page": page}) as site:
        client = TestClient(create_app(make_settings(scrape_urls=site.url("/page"))))
        with client:
            run_task(client, "scrape")
            page.body = f'<a href="acestream://{ID_A}">Deportes 1</a> acestream://{ID_C}'.encode()
            task = run_task(client, "scrape")
            channels = _channels(client)

    assert task["last_result"] == {"urls": 1, "channels_found": 2, "new": 1, "failed_urls": []}
    assert channels[ID_A].seen_in_latest_scrape
    assert not channels[ID_B.lower()].seen_in_latest_scrape
    assert channels[ID_A].first_seen < channels[ID_A].last_seen


def test_one_failing_url_is_named_and_recorded_while_the_others_count(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_pages({"/page": Page(body=HTML)}) as site:
        urls = f"{site.url('/missing')},{site.url('/page')}"
        with TestClient(create_app(make_settings(scrape_urls=urls))) as client:
            task = run_task(client, "scrape")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                errors = list(
                    session.scalars(select(ActivityLog).where(ActivityLog.type == "error"))
                )

    assert task["status"] == "idle"
    assert task["last_result"] == {
        "urls": 2,
        "channels_found": 2,
        "new": 2,
        "failed_urls": [site.url("/missing")],
    }
    [error] = errors
    assert (
        error.message == f"Could not scrape {site.url('/missing')}: FetchError: HTTP 404 Not Found"
    )
    assert error.details["reason"] == "HTTP 404 Not Found"


def test_a_successful_scrape_regenerates_the_playlist(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_pages({"/list.m3u": Page(body=M3U)}) as site:
        settings = make_settings(
            scrape_urls=site.url("/list.m3u"), playlist_base_url="http://tv.lan:8080"
        )
        with TestClient(create_app(settings)) as client:
            assert client.get("/playlist.m3u").status_code == 404
            tasks: TaskService = client.app.state.tasks  # type: ignore[attr-defined]
            run_task(client, "scrape")
            assert tasks.wait_for_runs("playlist_generation", 1, timeout=30)
            response = client.get("/playlist.m3u")

    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/x-mpegurl"
    assert response.text == (
        "#EXTM3U\n"
        '#EXTINF:-1 tvg-id="la1.es" tvg-name="La 1" tvg-logo="http://logo/la1.png" '
        'group-title="Spain",La 1\n'
        f"http://tv.lan:8080/ace/getstream?id={ID_C}\n"
    )


def test_an_oversized_page_is_refused_without_reading_it_all(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    huge = Page(body=b"<p>" + b"x" * 6_000_000)
    with serve_pages({"/huge": huge}) as site:
        client = TestClient(create_app(make_settings(scrape_urls=site.url("/huge"))))
        with client:
            task = run_task(client, "scrape")

    assert task["last_result"]["failed_urls"] == [site.url("/huge")]  # type: ignore[index]


def test_a_source_trickling_forever_fails_at_the_fetch_deadline_while_the_others_count(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_fake_peer("trickle") as slow, serve_pages({"/page": Page(body=HTML)}) as site:
        urls = f"{slow.base_url}/list.m3u,{site.url('/page')}"
        settings = make_settings(scrape_urls=urls, fetch_deadline_seconds=1)
        with TestClient(create_app(settings)) as client:
            task = run_task(client, "scrape")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                [error] = session.scalars(select(ActivityLog).where(ActivityLog.type == "error"))

    assert task["status"] == "idle"
    assert task["last_result"] == {
        "urls": 2,
        "channels_found": 2,
        "new": 2,
        "failed_urls": [f"{slow.base_url}/list.m3u"],
    }
    assert error.details["reason"] == "no complete answer within 1 s (FETCH_DEADLINE_SECONDS)"


def test_control_characters_in_a_scraped_field_are_cleaned_where_they_enter(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    """A NUL in a `tvg-logo` failed the whole scrape on PostgreSQL (text cannot hold it) and
    went raw into the playlist on SQLite."""
    playlist = (
        "#EXTM3U\n"
        '#EXTINF:-1 tvg-id="la1.es" tvg-logo="http://logo/la\x001\x1b[2J.png",La 1\n'
        f"acestream://{ID_C}\n"
    ).encode()
    with serve_pages({"/list.m3u": Page(body=playlist)}) as site:
        app = create_app(make_settings(scrape_urls=site.url("/list.m3u")))
        with TestClient(app) as client:
            task = run_task(client, "scrape")
            tasks: TaskService = app.state.tasks
            assert tasks.wait_for_runs("playlist_generation", 1, timeout=30)
            channels = _channels(client)
            m3u = client.get("/playlist.m3u").text

    assert task["status"] == "idle"
    assert task["last_result"]["failed_urls"] == []  # type: ignore[index]
    assert channels[ID_C].tvg_logo == "http://logo/la\ufffd1\ufffd[2J.png"
    assert 'tvg-logo="http://logo/la\ufffd1\ufffd[2J.png"' in m3u
    assert "\x00" not in m3u
    assert "\x1b" not in m3u
