from app.parsing.acestream import ScrapedChannel, extract_channels
from tests.parsing.acestream.samples import ID_A, ID_B, ID_C, ID_D, SOURCE, names


def test_m3u_extinf_attributes_apply_to_the_url_line_that_follows() -> None:
    playlist = f"""#EXTM3U x-tvg-url="http://epg.example/guide.xml"
#EXTINF:-1 tvg-id="espn.us" tvg-logo="logos/espn.png" group-title="Sports, USA",ESPN, live
#EXTVLCOPT:http-user-agent=VLC
acestream://{ID_A}
#EXTINF:-1 tvg-name="Fallback Name" tvg-logo="javascript:alert(1)",
http://127.0.0.1:6878/ace/getstream?id={ID_B}
http://127.0.0.1:6878/ace/getstream?id={ID_C}
#EXTINF:-1 TVG-LOGO="https://cdn.example/c.png" tvg-id="broken,Name
acestream://{ID_D}
"""

    assert extract_channels(playlist, source_url="http://host/lists/all.m3u") == [
        ScrapedChannel(
            content_id=ID_A,
            name="ESPN, live",
            tvg_id="espn.us",
            tvg_logo="http://host/lists/logos/espn.png",
            group_title="Sports, USA",
        ),
        ScrapedChannel(content_id=ID_B, name="Fallback Name"),
        ScrapedChannel(content_id=ID_C),
        ScrapedChannel(content_id=ID_D, name="Name", tvg_logo="https://cdn.example/c.png"),
    ]


def test_extinf_lines_make_a_playlist_even_without_header() -> None:
    playlist = f"\n  #EXTINF:-1,<b>Bold</b>\nacestream://{ID_A}\n"

    assert names(playlist) == {ID_A: "<b>Bold</b>"}


def test_duplicate_playlist_entries_fill_each_missing_field() -> None:
    playlist = f"""#EXTM3U
#EXTINF:-1 group-title="Sports",
acestream://{ID_A}
#EXTINF:-1 tvg-id="first.es" group-title="Ignored",First
acestream://{ID_A}
#EXTINF:-1 tvg-id="ignored.es",Ignored
acestream://{ID_A}
"""

    assert extract_channels(playlist, source_url=SOURCE) == [
        ScrapedChannel(content_id=ID_A, name="First", tvg_id="first.es", group_title="Sports")
    ]


def test_extgrp_sets_group_and_logo_fallback_until_an_unsupported_one_resets_it() -> None:
    playlist = f"""\ufeff#EXTM3U\r
#EXTGRP: group-title="Cinema" group-logo="https://example.com/cinema.png"\r
#EXTINF:-1 tvg-id="one",Cinema One\r
acestream://{ID_A}\r
#EXTINF:-1 tvg-logo="https://example.com/own.png",Cinema Two\r
acestream://{ID_B}\r
#EXTINF:-1 group-title="Sports",Own Group\r
acestream://{ID_C}\r
#EXTGRP: Deportes\r
#EXTINF:-1,After Reset\r
acestream://{ID_D}\r
"""

    assert extract_channels(playlist, source_url=SOURCE) == [
        ScrapedChannel(
            content_id=ID_A,
            name="Cinema One",
            tvg_id="one",
            tvg_logo="https://example.com/cinema.png",
            group_title="Cinema",
        ),
        ScrapedChannel(
            content_id=ID_B,
            name="Cinema Two",
            tvg_logo="https://example.com/own.png",
            group_title="Cinema",
        ),
        ScrapedChannel(content_id=ID_C, name="Own Group", group_title="Sports"),
        ScrapedChannel(content_id=ID_D, name="After Reset"),
    ]


def test_the_engine_exttv_and_extlogo_tags_give_tvg_id_and_logo() -> None:
    playlist = f"""#EXTM3U
#EXTINF:-1,Channel 3
#EXTTV:sport,hd;es;Channel3.es
#EXTLOGO:https://example.com/3.png
http://127.0.0.1:6878/ace/manifest.m3u8?infohash={ID_A}
#EXTINF:-1 tvg-id="own.es",Channel 4
#EXTTV:;es;ignored.es;https://example.com/4.png
acestream://{ID_B}
"""

    assert extract_channels(playlist, source_url=SOURCE) == [
        ScrapedChannel(
            content_id=ID_A,
            name="Channel 3",
            tvg_id="Channel3.es",
            tvg_logo="https://example.com/3.png",
            kind="infohash",
        ),
        ScrapedChannel(
            content_id=ID_B, name="Channel 4", tvg_id="own.es", tvg_logo="https://example.com/4.png"
        ),
    ]


def test_hostile_extinf_line_of_2_mb_is_parsed() -> None:
    playlist = '#EXTM3U\n#EXTINF:-1 a="b",' + '"x,' * 700_000 + f"\nacestream://{ID_A}\n"

    assert [channel.content_id for channel in extract_channels(playlist, source_url=SOURCE)] == [
        ID_A
    ]
