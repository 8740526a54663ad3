import pytest

from app.parsing.acestream import ScrapedChannel, extract_channels, linked_playlists

SOURCE = "https://lists.example.org/sports/index.html"
ID_A = "0123456789abcdef0123456789abcdef01234567"
ID_B = "b" * 40
ID_C = "c" * 40
ID_D = "d" * 40


def names(text: str) -> dict[str, str | None]:
    return {
        channel.content_id: channel.name for channel in extract_channels(text, source_url=SOURCE)
    }


def test_link_text_names_the_id_with_entities_unescaped() -> None:
    page = f"""<ul>
      <li><a href="acestream://{ID_A}">ESPN &amp;  Friends&nbsp;HD</a></li>
      <li><a href='acestream://{ID_B}'>Caf&eacute; TV</a></li>
    </ul>"""

    assert extract_channels(page, source_url=SOURCE) == [
        ScrapedChannel(content_id=ID_A, name="ESPN & Friends HD"),
        ScrapedChannel(content_id=ID_B, name="Café TV"),
    ]


def test_nested_markup_inside_a_link_is_joined_into_one_name() -> None:
    page = f'<a href="acestream://{ID_A}"><span><b>Sky</b>\n  Sports</span> <i>F1</i></a>'

    assert names(page) == {ID_A: "Sky Sports F1"}


def test_table_row_names_links_whose_text_is_generic() -> None:
    page = f"""<table>
      <tr><td>DAZN 1</td><td><a href="acestream://{ID_A}">Link 1</a></td>
          <td><a href="http://127.0.0.1:6878/ace/getstream?id={ID_B}">Play</a></td></tr>
      <tr><td>Eurosport</td><td><a href="/ace/manifest.m3u8?id={ID_C}">  </a></td></tr>
    </table>"""

    assert names(page) == {ID_A: "DAZN 1", ID_B: "DAZN 1", ID_C: "Eurosport"}


def test_list_item_text_names_a_link_without_text() -> None:
    page = f'<ul><li>beIN Sports <a href="acestream://{ID_A}"><img src="x.png"></a></li></ul>'

    assert names(page) == {ID_A: "beIN Sports"}


def test_text_line_names_an_id_in_html_without_the_url_or_the_separator() -> None:
    page = (
        f"<p>La Liga: acestream://{ID_A}<br>\n"
        f"Premier http://127.0.0.1:6878/ace/getstream?id={ID_B} (backup)</p>"
    )

    assert names(page) == {ID_A: "La Liga", ID_B: "Premier (backup)"}


def test_previous_heading_names_an_id_with_no_text_around_it() -> None:
    page = f"""<h2>Movistar   LaLiga</h2>
      <div><a href="acestream://{ID_A}"><img src="logo.png"></a></div>
      <h3>Ignored: comes after</h3>"""

    assert names(page) == {ID_A: "Movistar LaLiga"}


def test_an_id_with_no_text_at_all_has_no_name() -> None:
    assert names(f'<div><a href="acestream://{ID_A}"></a></div>') == {ID_A: None}


def test_broken_markup_is_closed_as_a_browser_would() -> None:
    page = f"""<ul><li><a href="acestream://{ID_A}">Alpha<li><a href='acestream://{ID_B}'>Beta
      </ul></div></span></tr><a title="x<y" <b>
      <p>Gamma <a href=acestream://{ID_C}><p>Delta acestream://{ID_D}
      <!-- an unterminated comment hides acestream://{"e" * 40}"""

    assert names(page) == {ID_A: "Alpha", ID_B: "Beta", ID_C: "Gamma", ID_D: "Delta"}


def test_nested_list_keeps_the_outer_item_open() -> None:
    page = f"""<ul><li>Outer <a href="acestream://{ID_A}"></a>
      <ul><li>Inner <a href="acestream://{ID_B}"></a></li></ul></li></ul>"""

    assert names(page) == {ID_A: "Outer Inner", ID_B: "Inner"}


def test_ids_in_any_attribute_and_in_entity_encoded_urls_are_found() -> None:
    page = f"""<li data-x="&#97;cestream://{ID_A}">Encoded</li>
      <iframe src="/ace/getstream?foo=1&amp;content_id={ID_B}"></iframe>"""

    assert names(page) == {ID_A: "Encoded", ID_B: None}


def test_script_ids_are_found_unnamed_and_comments_are_skipped() -> None:
    page = f"""<h1>Title</h1><script>var a = "<li>x</li>acestream://{ID_A}";</script>
      <style>p {{ color: red }}</style><!-- <a href="acestream://{ID_B}">Old</a> -->"""

    assert names(page) == {ID_A: None}


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


def test_mixed_case_ids_and_prefixes_are_normalised_to_lower_case() -> None:
    page = f"AceStream://{ID_A.upper()}\nacestream://{ID_A}"

    assert extract_channels(page, source_url=SOURCE) == [ScrapedChannel(content_id=ID_A)]


def test_an_infohash_is_kept_apart_from_a_content_id_with_the_same_hex() -> None:
    page = (
        f"/ace/getstream?infohash={ID_A}\nacestream://{ID_A}\n"
        f"/ace/getstream?infohash={ID_A.upper()}\nnotinfohash={ID_B}"
    )

    assert extract_channels(page, source_url=SOURCE) == [
        ScrapedChannel(content_id=ID_A, kind="infohash"),
        ScrapedChannel(content_id=ID_A, kind="content_id"),
    ]


def test_first_occurrence_wins_but_a_later_one_fills_a_missing_name() -> None:
    page = f"""<script>go("acestream://{ID_A}")</script>
      <a href="acestream://{ID_B}">First B</a>
      <a href="acestream://{ID_A}">Named later</a>
      <a href="acestream://{ID_B}">Second B</a>"""

    assert extract_channels(page, source_url=SOURCE) == [
        ScrapedChannel(content_id=ID_A, name="Named later"),
        ScrapedChannel(content_id=ID_B, name="First B"),
    ]


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


def test_plain_text_names_ids_by_their_line_or_the_title_line_before() -> None:
    text = (
        f"ESPN acestream://{ID_A}\nFox | acestream://{ID_B}\n\n"
        f"DAZN 1 (FHD)\nacestream://{ID_C}\nacestream://{ID_D}\n"
    )

    assert names(text) == {ID_A: "ESPN", ID_B: "Fox", ID_C: "DAZN 1 (FHD)", ID_D: None}


@pytest.mark.parametrize(
    "text",
    [
        f"acestream://{ID_A[:39]} ",
        f"acestream://{ID_A}f",
        f"/ace/getstream?id={ID_A}0",
        f"content_id={ID_A[:39]}",
        f"a bare hash {ID_A} is not a link",
        f"?my_content_id={ID_A}",
    ],
)
def test_not_an_id(text: str) -> None:
    assert extract_channels(text, source_url=SOURCE) == []


def test_names_are_capped_and_stripped_of_control_characters() -> None:
    page = f'<a href="acestream://{ID_A}">A\x00B {"x" * 500}</a>'

    name = names(page)[ID_A]

    assert name is not None
    assert name.startswith("A B xxx")
    assert len(name) == 200


def test_hostile_html_of_2_mb_is_parsed() -> None:
    # Each unit makes html.parser (or a careless regex) quadratic; unclosed comment and script
    # swallow the rest of the page, so they come last.
    units = [
        "<a ",
        "<![",
        "</",
        "<?",
        "<ul>",
        "<li>",
        "<p>",
        "&#" + "9" * 5000 + ";",
        f"acestream://{'a' * 39} ",
        f"acestream://{'b' * 41}",
        f"<a href='acestream://{'c' * 39}'>",
    ]
    parts = []
    for index, unit in enumerate(units):
        parts.append(
            "".join(f'<a href="acestream://{index:02x}{n:038x}">N</a>' for n in range(100))
        )
        parts.append(unit * (170_000 // len(unit)))
    page = "".join(parts) + "<script>" + "<!--" * 20_000

    assert len(page) > 2_000_000
    assert len(extract_channels(page, source_url=SOURCE)) == 100 * len(units)


def test_hostile_extinf_line_of_2_mb_is_parsed() -> None:
    playlist = '#EXTM3U\n#EXTINF:-1 a="b",' + '"x,' * 700_000 + f"\nacestream://{ID_A}\n"

    assert [channel.content_id for channel in extract_channels(playlist, source_url=SOURCE)] == [
        ID_A
    ]


def test_a_link_whose_text_is_its_id_is_named_by_the_text_around_it() -> None:
    page = f"""<ul><li>ESPN <a href="acestream://{ID_A}">{ID_A}</a></li>
      <li><a href="/about/b">Sky Sports F1</a> <a href="acestream://{ID_B}"><i></i></a> {ID_B}</li>
    </ul>
    <div class="streamtext">Server 1: Big Buck Bunny</div>
    <div class="input-group"><input value="{ID_C}"><div><button>Copy</button></div>
      <a href="acestream://{ID_C}">{ID_C} <br>ACE URI</a></div>
    <div>Before it: <a href="acestream://{ID_D}">{ID_D}</a></div>
    <div><a href="acestream://{"e" * 40}">{"e" * 40} caption only</a></div>"""

    assert names(page) == {
        ID_A: "ESPN",
        ID_B: "Sky Sports F1",
        ID_C: "Server 1: Big Buck Bunny",
        ID_D: "Before it",
        "e" * 40: "caption only",
    }


def test_a_script_links_list_names_each_id_by_its_object() -> None:
    page = f"""<div id="links"></div><script>
      const linksData = {{"links": [{{"name": "BEIN SPORTS 1 [FR]", "url": "acestream://{ID_A}"}},
        {{"name": "Caf\\u00e9 \\"TV\\"", "url": "acestream://{ID_B}"}}]}};
      var other = [{{url: 'acestream://{ID_C}', title: 'Reversed'}}, {{url: "acestream://{ID_D}"}}];
    </script>"""

    assert names(page) == {
        ID_A: "BEIN SPORTS 1 [FR]",
        ID_B: 'Café "TV"',
        ID_C: "Reversed",
        ID_D: None,
    }


def test_a_script_file_contents_list_names_each_id_by_its_line() -> None:
    page = f"""<head><script>
    const fileContents = {{"listaplana.txt": `DAZN 1 (FHD) --> NEW ERA: acestream://{ID_A}
M+ Copa del Rey (FHD) --> NEW ERA: acestream://{ID_B}
`}};
    </script></head>"""

    assert names(page) == {
        ID_A: "DAZN 1 (FHD) --> NEW ERA",
        ID_B: "M+ Copa del Rey (FHD) --> NEW ERA",
    }


def test_new_era_channel_items_give_their_bare_ids_with_names() -> None:
    page = f"""<div class="list-view">
      <div class="channel-item"><span class="item-name">DAZN 1 --> NEW ERA</span>
        <span class="item-url">{ID_A}</span></div>
      <div class="channel-item"><div class="item-name">DAZN 2</div>
        <div class='x item-url'>{ID_B.upper()}</div></div>
    </div><p>Not an item: {ID_C}</p>"""

    assert names(page) == {ID_A: "DAZN 1 --> NEW ERA", ID_B: "DAZN 2"}


def test_w3u_lists_in_xml_and_json_are_read_with_titles_logos_and_groups() -> None:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<w3u version="1.0">
  <channel><title>DAZN 1 (FHD)</title><url>acestream://{ID_A}</url></channel>
  <channel><title>DAZN 2 (FHD)</title><url>acestream://{ID_B}</url></channel>
</w3u>"""
    w3u_json = f"""{{"name": "My list", "groups": [{{"name": "Sports", "stations": [
      {{"name": "ESPN", "image": "logos/espn.png", "url": "acestream://{ID_C}"}},
      {{"name": "Fox", "url": "http://127.0.0.1:6878/ace/getstream?id={ID_D}"}}]}}]}}"""

    assert names(xml) == {ID_A: "DAZN 1 (FHD)", ID_B: "DAZN 2 (FHD)"}
    assert extract_channels(w3u_json, source_url="http://host/lists/list.w3u") == [
        ScrapedChannel(
            content_id=ID_C,
            name="ESPN",
            tvg_logo="http://host/lists/logos/espn.png",
            group_title="Sports",
        ),
        ScrapedChannel(content_id=ID_D, name="Fox", group_title="Sports"),
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


BARE_PAGE = f"""<html><body>
<p>see https://github.com/o/r/commit/{ID_A}</p>
<p>magnet:?xt=urn:btih:{ID_B}&dn=x and ?hash={ID_B}</p>
<table><tr><td>Sports Two</td><td>{ID_C}</td></tr></table>
<p><b>News HD</b>: {ID_D}</p>
<p>Linked acestream://{"e" * 40}</p>
</body></html>"""


def test_bare_ids_are_ignored_unless_bare_id_mode_is_on() -> None:
    assert names(BARE_PAGE) == {"e" * 40: "Linked"}


def test_bare_id_mode_takes_40_hex_words_but_never_commit_or_magnet_hashes() -> None:
    channels = extract_channels(BARE_PAGE, source_url=SOURCE, bare_ids=True)

    assert {channel.content_id: channel.name for channel in channels} == {
        ID_C: "Sports Two",
        ID_D: "News HD",
        "e" * 40: "Linked",
    }


@pytest.mark.parametrize(
    "text",
    [
        f"ESPN HD\n{ID_A}\n\nFox Sports\n{ID_B}\n",
        f'{{"hashes": [{{"title": "ESPN HD", "hash": "{ID_A}"}}, {{"hash": "{ID_B}",'
        ' "title": "Fox Sports"}]}',
        f'["ESPN HD", "{ID_A}", "Fox Sports", "{ID_B}"]',
        f'{{"data": {{"channels": [{{"title": "ESPN HD", "stream": {{"id": "{ID_A}"}}}},'
        f' {{"title": "Fox Sports", "stream": {{"id": "{ID_B}"}}}}]}}}}',
        f"ESPN HD | {ID_A}\nFox Sports | {ID_B}\n",
    ],
    ids=["listaplana", "hashes.json", "title-hash-array", "nested-json", "name-pipe-id"],
)
def test_bare_id_lists_are_read_with_names_in_bare_id_mode_only(text: str) -> None:
    read = extract_channels(text, source_url=SOURCE, bare_ids=True)

    assert [(channel.content_id, channel.name) for channel in read] == [
        (ID_A, "ESPN HD"),
        (ID_B, "Fox Sports"),
    ]
    assert extract_channels(text, source_url=SOURCE) == []


def test_a_page_links_m3u_lists_relative_or_absolute_up_to_ten() -> None:
    page = """<a href="lists/one.m3u">One</a> <a href='/two.M3U8?token=1'>Two</a>
      <a href="https://cdn.example/three.w3u">Three</a> <a href="lists/one.m3u">again</a>
      <a href="page.html">not a list</a> <a href="ftp://x/four.m3u">ftp</a>
      <link href="style.m3u">""" + "".join(f'<a href="more{n}.m3u">' for n in range(20))

    assert linked_playlists(page, source_url="http://host/dir/index.html") == [
        "http://host/dir/lists/one.m3u",
        "http://host/two.M3U8?token=1",
        "https://cdn.example/three.w3u",
        *(f"http://host/dir/more{n}.m3u" for n in range(7)),
    ]
    assert linked_playlists("#EXTM3U\n#EXTINF:-1,x\nhttp://h/a.m3u\n", source_url=SOURCE) == []


def test_hostile_scripts_and_json_of_1_mb_are_parsed() -> None:
    # Each `'` opens a literal whose escapes hide every later quote: scanning to the end from
    # each one would be quadratic.
    script = (
        "<script>"
        + '{"name": "x", "url": "' * 20_000
        + "'`\\" * 200_000
        + f'"acestream://{ID_A}"</script>'
    )
    deep_json = "[" * 500_000 + f'"acestream://{ID_B}"' + "]" * 500_000

    assert len(script) > 1_000_000
    assert [c.content_id for c in extract_channels(script, source_url=SOURCE)] == [ID_A]
    assert [c.content_id for c in extract_channels(deep_json, source_url=SOURCE)] == [ID_B]
