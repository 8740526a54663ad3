import gzip
import sqlite3
import threading
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ActivityLog, Channel, EpgChannel
from tests.conftest import RunTask, SettingsFactory, build_test_settings
from tests.factories import all_activity
from tests.fakes.web import Page, serve_pages
from tests.runs import RunWatcher

ID_LA1 = "c" * 40

XMLTV = b"""<?xml version="1.0" encoding="UTF-8"?>
<tv generator-info-name="test">
  <channel id="la1.es"><display-name>La 1 HD</display-name></channel>
  <channel id="cuatro.es"><display-name>Cuatro</display-name></channel>
  <programme start="20261124120000 +0000" stop="20261124130000 +0000" channel="la1.es">
    <title>Telediario</title></programme>
  <programme start="20261124130000 +0000" stop="20261124140000 +0000" channel="la1.es">
    <title>Cine</title></programme>
  <programme start="20261124120000 +0000" stop="20261124130000 +0000" channel="cuatro.es">
    <title>Noticias</title></programme>
</tv>
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE tv [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<tv><channel id="x"><display-name>&d;&d;&d;&d;&d;&d;&d;&d;</display-name></channel></tv>
"""

M3U = f"""#EXTM3U
#EXTINF:-1,La 1
acestream://{ID_LA1}
""".encode()


def task_status(client: TestClient, name: str) -> dict[str, Any]:
    tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
    [task] = [task for task in tasks if task["task_name"] == name]
    return task  # type: ignore[no-any-return]


def test_epg_refresh_counts_programmes_and_matches_channels(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    pages = {
        "/guide.xml": Page(body=XMLTV, content_type="application/xml"),
        "/guide.xml.gz": Page(body=gzip.compress(XMLTV), content_type="application/gzip"),
        "/list.m3u": Page(body=M3U),
    }
    with serve_pages(pages) as site:
        settings = make_settings(
            scrape_urls=site.url("/list.m3u"),
            epg_urls=f"{site.url('/guide.xml')},{site.url('/guide.xml.gz')}",
        )
        with TestClient(create_app(settings)) as client:
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            # The scrape's follow-up reads the guides.
            assert runs.wait_for_runs("epg_refresh", 1, timeout=30)
            task = task_status(client, "epg_refresh")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                epg = {c.id: c for c in session.scalars(select(EpgChannel))}
                la1 = session.scalars(select(Channel)).one()

    assert task["status"] == "idle"
    # Both sources declare both channels; only the matched one is stored.
    assert task["last_result"] == {"programs": 6, "channels": 4, "matched": 1, "failed_urls": []}
    assert list(epg) == ["la1.es"]
    assert (epg["la1.es"].display_name, epg["la1.es"].programme_count) == ("La 1 HD", 2)
    assert la1.epg_channel_id == "la1.es"


def test_malformed_and_hostile_guides_are_refused_with_a_reason(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    pages = {
        "/broken.xml": Page(body=b"<tv><channel id='x'></tv>"),
        "/bomb.xml": Page(body=BOMB),
        "/good.xml": Page(body=XMLTV),
    }
    with serve_pages(pages) as site:
        urls = [site.url("/broken.xml"), site.url("/bomb.xml"), site.url("/good.xml")]
        with TestClient(create_app(make_settings(epg_urls=",".join(urls)))) as client:
            task = run_task(client, "epg_refresh")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                errors = list(
                    session.scalars(select(ActivityLog).where(ActivityLog.type == "error"))
                )

    assert task["status"] == "idle"
    assert task["last_result"]["failed_urls"] == urls[:2]  # type: ignore[index]
    assert task["last_result"]["programs"] == 3  # type: ignore[index]
    assert [error.details["url"] for error in errors] == urls[:2]
    assert all(error.details["reason"] for error in errors)


def test_other_writers_get_the_sqlite_lock_while_a_big_guide_is_stored(
    tmp_path: Path, run_task: RunTask
) -> None:
    count = 1200
    m3u = "#EXTM3U\n" + "".join(
        f"#EXTINF:-1,Channel {i}\nacestream://{i:040x}\n" for i in range(count)
    )
    guide = "<tv>" + "".join(
        f'<channel id="ch{i}.tv"><display-name>Channel {i} HD</display-name></channel>'
        for i in range(count)
    )
    pages = {
        "/list.m3u": Page(body=m3u.encode()),
        "/guide.xml": Page(body=f"{guide}</tv>".encode(), content_type="application/xml"),
    }
    path = tmp_path / "acestream.db"
    # A status check that does not wait: it gets the write lock now or fails.
    status_check = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    refused_in_a_row = [0]

    def compete_for_the_lock(*_args: Any) -> None:
        try:
            status_check.execute("BEGIN IMMEDIATE")
            status_check.execute("ROLLBACK")
            refused_in_a_row.append(0)
        except sqlite3.OperationalError:
            refused_in_a_row[-1] += 1

    with serve_pages(pages) as site:
        url = f"sqlite:///{path}"
        # Scraped by an app without guides, so that no refresh follows the scrape.
        with TestClient(
            create_app(build_test_settings(url, tmp_path, scrape_urls=site.url("/list.m3u")))
        ) as client:
            run_task(client, "scrape")
        settings = build_test_settings(url, tmp_path, epg_urls=site.url("/guide.xml"))
        with TestClient(create_app(settings)) as client:
            engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
            event.listen(engine, "before_cursor_execute", compete_for_the_lock)
            task = run_task(client, "epg_refresh")
            event.remove(engine, "before_cursor_execute", compete_for_the_lock)
    status_check.close()

    assert task["last_result"]["matched"] == count  # type: ignore[index]
    # Before each statement of the refresh, another writer tried to take the lock: it was
    # refused only inside a batch of at most 500 rows, never for the whole guide.
    assert len(refused_in_a_row) > 2
    assert max(refused_in_a_row) < 500


def test_an_epg_refresh_with_one_source_failing_succeeds_with_a_warning(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    pages = {"/guide.xml": Page(body=XMLTV), "/list.m3u": Page(body=M3U)}
    with serve_pages(pages) as site:
        missing = site.url("/gone.xml")
        settings = make_settings(
            scrape_urls=site.url("/list.m3u"), epg_urls=f"{missing},{site.url('/guide.xml')}"
        )
        with TestClient(create_app(settings)) as client:
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            # The scrape's follow-up reads the guides.
            assert runs.wait_for_runs("epg_refresh", 1, timeout=30)
            task = task_status(client, "epg_refresh")

    assert (task["status"], task["degraded"]) == ("idle", True)
    assert task["warnings"] == [f"{missing} (HTTP 404 Not Found)"]
    assert task["last_result"] == {
        "programs": 3,
        "channels": 2,
        "matched": 1,
        "failed_urls": [missing],
        "warnings": [f"{missing} (HTTP 404 Not Found)"],
    }


def test_an_epg_refresh_whose_every_source_failed_fails_and_keeps_the_stored_guide(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    guide = Page(body=XMLTV)
    with serve_pages({"/guide.xml": guide, "/list.m3u": Page(body=M3U)}) as site:
        settings = make_settings(scrape_urls=site.url("/list.m3u"), epg_urls=site.url("/guide.xml"))
        with TestClient(create_app(settings)) as client:
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            assert runs.wait_for_runs("epg_refresh", 1, timeout=30)  # the scrape's follow-up
            guide.body = BOMB
            task = run_task(client, "epg_refresh")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                stored = list(session.scalars(select(EpgChannel.id)))

    assert task["status"] == "error"
    assert str(task["last_error"]).startswith(f"The only source failed: {site.url('/guide.xml')} (")
    assert "entit" in str(task["last_error"]).lower()
    assert (task["degraded"], task["warnings"], task["failure_count"]) == (False, [], 1)
    assert stored == ["la1.es"]


def test_a_grabber_s_guide_sent_with_content_encoding_gzip_is_read(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    # As an XMLTV grabber writes it (a DOCTYPE), gzipped, and served as Apache serves a .gz
    # with `AddEncoding gzip .gz`: httpx undoes the Content-Encoding, the reader sees XML.
    declaration, body = XMLTV.split(b"\n", 1)
    guide = b"\n" + declaration + b'\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n' + body
    pages = {
        "/guide.xml.gz": Page(
            body=gzip.compress(guide),
            content_type="application/xml",
            headers={"Content-Encoding": "gzip"},
        ),
        "/list.m3u": Page(body=M3U),
    }
    with serve_pages(pages) as site:
        settings = make_settings(
            scrape_urls=site.url("/list.m3u"), epg_urls=site.url("/guide.xml.gz")
        )
        with TestClient(create_app(settings)) as client:
            runs = RunWatcher.on(client)
            run_task(client, "scrape")
            # The scrape's follow-up reads the guides.
            assert runs.wait_for_runs("epg_refresh", 1, timeout=30)
            task = task_status(client, "epg_refresh")

    assert task["last_result"] == {"programs": 3, "channels": 2, "matched": 1, "failed_urls": []}


def test_a_fresh_start_has_the_matches_in_the_playlist_after_the_first_scrape(
    make_settings: SettingsFactory,
) -> None:
    """At a fresh start the scheduler starts the scrape and the EPG refresh together. Here the
    refresh has read the (still empty) channel list and waits for its guide while the scrape
    finishes: the scrape's follow-up must not be content with that refresh, but read the guide
    again once it ends, and the playlist written after that carries the match. (Before, the
    first refresh matched nothing and the playlist waited six hours for the next.)"""
    m3u = f"#EXTM3U\n#EXTINF:-1,LA 1 (FHD) (Opcion 2)\nacestream://{ID_LA1}\n".encode()
    guide = Page(body=XMLTV, content_type="application/xml", hold=threading.Event())
    scraped_list = Page(body=m3u, hold=threading.Event())
    with serve_pages({"/guide.xml": guide, "/list.m3u": scraped_list}) as site:
        settings = make_settings(
            scheduler_enabled=True,
            scrape_urls=site.url("/list.m3u"),
            epg_urls=site.url("/guide.xml"),
            playlist_base_url="http://tv.lan",
            playlist_stream_urls="acexy",
        )
        app = create_app(settings)
        runs = RunWatcher.on(app)
        with TestClient(app) as client:
            assert guide.requested.wait(30)
            scraped_list.hold.set()  # type: ignore[union-attr]
            assert runs.wait_for_runs("scrape", 1, timeout=30)
            guide.hold.set()  # type: ignore[union-attr]
            # Each playlist run after the scrape, until one has the match (a handful at most).
            playlist = ""
            for count in range(1, 6):
                assert runs.wait_for_runs("playlist_generation", count, timeout=30)
                playlist = client.get("/playlist.m3u").text
                if 'tvg-id="la1.es"' in playlist:
                    break
            refreshes = runs.finished("epg_refresh")

    assert playlist == (
        "#EXTM3U\n"
        '#EXTINF:-1 tvg-name="LA 1 (FHD) (Opcion 2)" tvg-id="la1.es",LA 1 (FHD) (Opcion 2)\n'
        f"http://tv.lan/ace/getstream?id={ID_LA1}\n"
    )
    # The refresh that read no channels, and the one the scrape asked for.
    assert refreshes == 2


def test_a_scheduled_epg_refresh_records_one_summary_row_and_no_started_row(
    make_settings: SettingsFactory,
) -> None:
    pages = {"/guide.xml": Page(body=XMLTV), "/list.m3u": Page(body=M3U)}
    with serve_pages(pages) as site:
        settings = make_settings(scrape_urls=site.url("/list.m3u"), epg_urls=site.url("/guide.xml"))
        with TestClient(create_app(settings)) as client:
            runs = RunWatcher.on(client)
            client.app.state.tasks.engine.run_scheduled("scrape")  # type: ignore[attr-defined]
            # The scrape's follow-up reads the guide; each asks for the playlist after it.
            assert runs.wait_for_runs("epg_refresh", 1, timeout=30)
            assert runs.wait_for_runs("playlist_generation", 2, timeout=30)
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                rows = [
                    (row.type, row.message, row.details)
                    for row in all_activity(session)
                    if row.type in ("scrape", "background_task")
                ]

    assert rows == [
        ("scrape", "Scraped 1 of 1 sources: 1 channels, 1 new", rows[0][2]),
        (
            "background_task",
            "Read 1 of 1 guide sources: 3 programmes, 2 channels, 1 matched",
            {
                "sources": [site.url("/guide.xml")],
                "failed_urls": [],
                "programs": 3,
                "channels": 2,
                "matched": 1,
            },
        ),
    ]
