import gzip

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ActivityLog, Channel, EpgChannel
from tests.conftest import RunTask, SettingsFactory
from tests.fakes.web import Page, serve_pages

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
            run_task(client, "scrape")
            task = run_task(client, "epg_refresh")
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                epg = {c.id: c for c in session.scalars(select(EpgChannel))}
                la1 = session.scalars(select(Channel)).one()

    assert task["status"] == "idle"
    assert task["last_result"] == {"programs": 6, "channels": 2, "matched": 1, "failed_urls": []}
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
