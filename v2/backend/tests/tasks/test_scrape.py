from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ActivityLog, Channel
from tests.conftest import RunTask, SettingsFactory
from tests.factories import all_activity
from tests.fakes.http_peer import serve_fake_peer
from tests.fakes.web import Page, serve_pages
from tests.runs import RunWatcher

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
        "warnings": [f"{site.url('/missing')} (HTTP 404 Not Found)"],
    }
    [error] = errors
    assert (
        error.message == f"Could not scrape {site.url('/missing')}: ErrorStatus: HTTP 404 Not Found"
    )
    assert error.details["reason"] == "HTTP 404 Not Found"


def test_a_successful_scrape_regenerates_the_playlist(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_pages({"/list.m3u": Page(body=M3U)}) as site:
        settings = make_settings(
            scrape_urls=site.url("/list.m3u"),
            playlist_base_url="http://tv.lan:8080",
            playlist_stream_urls="acexy",
        )
        with TestClient(create_app(settings)) as client:
            assert client.get("/playlist.m3u").status_code == 404
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            assert runs.wait_for_runs("playlist_generation", 1, timeout=30)
            response = client.get("/playlist.m3u")

    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/x-mpegurl"
    assert response.text == (
        "#EXTM3U\n"
        '#EXTINF:-1 tvg-name="La 1" tvg-logo="http://logo/la1.png" group-title="Spain" '
        'tvg-id="la1.es",La 1\n'
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

    assert task["status"] == "error"
    assert (
        task["last_error"]
        == f"The only source failed: {site.url('/huge')} (larger than the 5 MB limit)"
    )


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
        "warnings": [f"{slow.base_url}/list.m3u ({error.details['reason']})"],
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
            runs = RunWatcher.on(app)
            task = run_task(client, "scrape")
            assert runs.wait_for_runs("playlist_generation", 1, timeout=30)
            channels = _channels(client)
            m3u = client.get("/playlist.m3u").text

    assert task["status"] == "idle"
    assert task["last_result"]["failed_urls"] == []  # type: ignore[index]
    assert channels[ID_C].tvg_logo == "http://logo/la\ufffd1\ufffd[2J.png"
    assert 'tvg-logo="http://logo/la\ufffd1\ufffd[2J.png"' in m3u
    assert "\x00" not in m3u
    assert "\x1b" not in m3u


def test_a_latin1_list_that_declares_no_charset_keeps_its_accents(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    lines = [
        f'#EXTINF:-1 group-title="Fútbol",Rayo Vallecano vs Atlético Madrid {n} (España)\n'
        f"acestream://{n:040x}\n"
        for n in range(1, 21)
    ]
    body = ("#EXTM3U\n" + "".join(lines)).encode("latin-1")
    with serve_pages({"/list.m3u": Page(body=body, content_type="audio/x-mpegurl")}) as site:
        client = TestClient(create_app(make_settings(scrape_urls=site.url("/list.m3u"))))
        with client:
            run_task(client, "scrape")
            channels = _channels(client)

    first = channels[f"{1:040x}"]
    assert (first.name, first.group_title) == (
        "Rayo Vallecano vs Atlético Madrid 1 (España)",
        "Fútbol",
    )


def test_the_m3u_lists_a_page_links_are_followed_one_level(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    linked = f"""#EXTM3U
#EXTGRP: group-title="Cinema" group-logo="https://example.com/cinema.png"
#EXTINF:-1 tvg-id="linked-id",Linked Channel
acestream://{ID_A}
""".encode()
    deeper = f'<a href="deeper.m3u">x</a>\nacestream://{ID_B}\n'.encode()
    pages = {
        "/page.html": Page(body=b'<a href="lists/one.m3u">One</a> <a href="/gone.m3u8">Gone</a>'),
        "/lists/one.m3u": Page(body=linked, content_type="audio/x-mpegurl"),
        "/other.html": Page(body=b""),
    }
    with serve_pages(pages) as site:
        pages["/other.html"].body = f'<a href="{site.url("/two.m3u")}">Two</a>'.encode()
        site.pages["/two.m3u"] = Page(body=deeper, content_type="text/plain")
        site.pages["/deeper.m3u"] = deeper_list = Page(body=f"acestream://{ID_C}".encode())
        urls = f"{site.url('/page.html')},{site.url('/other.html')}"
        with TestClient(create_app(make_settings(scrape_urls=urls))) as client:
            task = run_task(client, "scrape")
            channels = _channels(client)

    assert task["last_result"] == {"urls": 2, "channels_found": 2, "new": 2, "failed_urls": []}
    one = channels[ID_A]
    assert (one.name, one.tvg_id, one.group_title, one.tvg_logo, one.source_url) == (
        "Linked Channel",
        "linked-id",
        "Cinema",
        "https://example.com/cinema.png",
        site.url("/page.html"),
    )
    assert channels[ID_B.lower()].source_url == site.url("/other.html")
    assert deeper_list.requests == 0


def test_a_content_id_and_an_infohash_with_the_same_hex_are_two_channels(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    body = f"""#EXTM3U
#EXTINF:-1,By content id
acestream://{ID_C}
#EXTINF:-1,By infohash
http://127.0.0.1:6878/ace/getstream?infohash={ID_C}
""".encode()
    with serve_pages({"/list.m3u": Page(body=body)}) as site:
        settings = make_settings(
            scrape_urls=site.url("/list.m3u"),
            playlist_base_url="http://tv",
            playlist_stream_urls="acexy",
        )
        with TestClient(create_app(settings)) as client:
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            task = run_task(client, "scrape")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                stored = session.execute(
                    select(Channel.id_kind, Channel.name).order_by(Channel.id_kind)
                ).all()
            assert runs.wait_for_runs("playlist_generation", 1, timeout=30)
            playlist = client.get("/playlist.m3u").text

    assert task["last_result"] == {"urls": 1, "channels_found": 2, "new": 0, "failed_urls": []}
    assert [tuple(row) for row in stored] == [
        ("content_id", "By content id"),
        ("infohash", "By infohash"),
    ]
    assert f"http://tv/ace/getstream?id={ID_C}" in playlist
    assert f"http://tv/ace/getstream?infohash={ID_C}" in playlist


def test_bare_ids_are_taken_only_with_scrape_bare_ids(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    body = f"ESPN HD\n{ID_A}\nsee https://github.com/o/r/commit/{ID_C}\n".encode()
    found = {}
    for bare_ids in (False, True):
        with serve_pages({"/listaplana.txt": Page(body=body, content_type="text/plain")}) as site:
            settings = make_settings(scrape_urls=site.url("/listaplana.txt"))
            settings = settings.model_copy(update={"scrape_bare_ids": bare_ids})
            with TestClient(create_app(settings)) as client:
                run_task(client, "scrape")
                found[bare_ids] = {key: c.name for key, c in _channels(client).items()}

    assert found == {False: {}, True: {ID_A: "ESPN HD"}}


def test_the_http_charset_decodes_a_page_detection_would_misread(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    body = f'<a href="acestream://{ID_A}">Česká televize</a>'.encode("iso-8859-2")
    page = Page(body=body, content_type="text/html; charset=iso-8859-2")
    with serve_pages({"/page": page}) as site:
        client = TestClient(create_app(make_settings(scrape_urls=site.url("/page"))))
        with client:
            run_task(client, "scrape")
            channels = _channels(client)

    assert channels[ID_A].name == "Česká televize"


def test_a_scrape_whose_every_source_failed_is_a_failed_run_naming_each(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    pages = {"/list.m3u": Page(body=M3U), "/old.m3u": Page(status=503)}
    with serve_pages(pages) as site:
        urls = [site.url("/list.m3u"), site.url("/old.m3u")]
        with TestClient(create_app(make_settings(scrape_urls=",".join(urls)))) as client:
            run_task(client, "scrape")
            pages["/list.m3u"].status = 404
            task = run_task(client, "scrape")
            runs = client.get("/api/v1/background-tasks/scrape/runs").json()["runs"]
            channels = _channels(client)

    assert task["status"] == "error"
    assert task["last_error"] == (
        f"All 2 sources failed: {urls[0]} (HTTP 404 Not Found); "
        f"{urls[1]} (HTTP 503 Service Unavailable)"
    )
    assert task["last_error_trace"] is None
    assert (task["degraded"], task["warnings"]) == (False, [])
    assert (task["run_count"], task["failure_count"]) == (2, 1)
    assert [(run["outcome"], run["degraded"]) for run in runs] == [
        ("error", False),
        ("success", True),
    ]
    # Nothing was read, so nothing is marked gone.
    assert channels[ID_C].seen_in_latest_scrape


def test_a_scrape_with_no_source_configured_is_a_success(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with TestClient(create_app(make_settings(scrape_urls=""))) as client:
        task = run_task(client, "scrape")

    assert (task["status"], task["degraded"]) == ("idle", False)
    assert task["last_result"] == {"urls": 0, "channels_found": 0, "new": 0, "failed_urls": []}


def test_a_scheduled_scrape_records_one_summary_row_and_no_started_row(
    make_settings: SettingsFactory,
) -> None:
    with serve_pages({"/page": Page(body=HTML)}) as site:
        client = TestClient(create_app(make_settings(scrape_urls=site.url("/page"))))
        with client, Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            runs = RunWatcher.on(client)
            client.app.state.tasks.engine.run_scheduled("scrape")  # type: ignore[attr-defined]
            assert runs.wait_for_runs("playlist_generation", 1, timeout=30)
            rows = [
                (row.type, row.message, row.details)
                for row in all_activity(session)
                if row.type in ("scrape", "background_task")
            ]

    assert rows == [
        (
            "scrape",
            "Scraped 1 of 1 sources: 2 channels, 2 new",
            {"sources": [site.url("/page")], "failed_urls": []},
        )
    ]
