"""What holds whatever the format: which text is an id, the merge of its occurrences, the
names' cleaning, bare-id mode, and the lists a page links to."""

import pytest

from app.parsing.acestream import ScrapedChannel, extract_channels, linked_playlists
from tests.parsing.acestream.samples import ID_A, ID_B, ID_C, ID_D, SOURCE, names


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
