import pytest

from app.services.scrape_parser import ScrapedChannel, extract_channels

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


def test_text_line_names_a_bare_id_in_html_without_the_url() -> None:
    page = (
        f"<p>La Liga: acestream://{ID_A}<br>\n"
        f"Premier http://127.0.0.1:6878/ace/getstream?id={ID_B} (backup)</p>"
    )

    assert names(page) == {ID_A: "La Liga:", ID_B: "Premier (backup)"}


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
    page = f"AceStream://{ID_A.upper()} and acestream://{ID_A}"

    assert extract_channels(page, source_url=SOURCE) == [ScrapedChannel(content_id=ID_A)]


def test_an_infohash_is_kept_apart_from_a_content_id_with_the_same_hex() -> None:
    page = (
        f"/ace/getstream?infohash={ID_A} acestream://{ID_A} "
        f"/ace/getstream?infohash={ID_A.upper()} notinfohash={ID_B}"
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


def test_plain_text_gives_ids_without_names() -> None:
    text = f"ESPN acestream://{ID_A}\nFox: acestream://{ID_B}\n"

    assert extract_channels(text, source_url=SOURCE) == [
        ScrapedChannel(content_id=ID_A),
        ScrapedChannel(content_id=ID_B),
    ]


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
