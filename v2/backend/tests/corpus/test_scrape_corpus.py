"""The scrape parser over every real source in ../shared/corpus/scrape, against expected.json.

The corpus (about 36 lists and pages gathered from public repositories, each with what it
should yield) sits beside the repository, not in it: `<repo root>/../shared/corpus`. Without
it these tests skip, unless REQUIRE_CORPUS=1 (as in CI) makes that a failure.

Each file is read as the scrape task reads a fetched page: bytes decoded by `decode_text`
(with no HTTP header, as from a file host that declares nothing), parsed by
`extract_channels`, and the lists an HTML page links to followed one level deep. Files whose
ids come without a scheme (NEW ERA's listaplana.txt pairs, Elcano's hashes.json, and the
JSON / text forms of upstream's recipes) are read in bare-id mode, as SCRAPE_BARE_IDS=1
would; every other file must yield the same in both modes.
"""

from pathlib import Path
from typing import Any

import pytest

from app.parsing.acestream import ScrapedChannel, extract_channels, linked_playlists
from app.utils.text_decoding import decode_text
from tests.corpus.corpus import CORPUS, expected

SCRAPE = CORPUS / "scrape"
# Where the files pretend to be served from, so relative links and logos resolve as online.
BASE_URL = "http://corpus.test/"
BARE_FORMATS = {
    "xroldan-enlaces-ace/listaplana_pairs.txt",
    "xroldan-enlaces-ace/hashes_elcano_format.json",
    "xroldan-enlaces-ace/canales.json",
    "pipepito-upstream/recipe_json_channel_array.json",
    "pipepito-upstream/recipe_text_name_id.txt",
}
# MANIFEST.md lists this page without an expected.json entry: "index.html 0 (the list is
# loaded by JS)".
UNLISTED = {"xroldan-enlaces-ace/index.html": {"count": 0}}
# One of the 257 hashes of the NEW ERA / Elcano lists, "d4ff041287a43e3114d411d671c4b4e92e21f33y",
# ends in "y": it is not a 40-hex id (no engine can play it), so 256 of them are.
NOT_AN_ID = "d4ff041287a43e3114d411d671c4b4e92e21f33"
CORRECTED_COUNTS = {relative: 256 for relative in BARE_FORMATS if "xroldan" in relative}
FIELDS = {"group": "group_title", "logo": "tvg_logo", "tvg_id": "tvg_id", "name": "name"}


def _expected() -> dict[str, dict[str, Any]]:
    return UNLISTED | expected("scrape")


def _corpus_files() -> list[str]:
    if not SCRAPE.is_dir():
        return ["(corpus missing)"]
    return sorted(str(path.relative_to(SCRAPE)) for path in SCRAPE.rglob("*") if path.is_file())


def scrape(relative: str, *, bare_ids: bool) -> list[ScrapedChannel]:
    """What the scrape task finds in one corpus file, following the lists it links."""
    url = BASE_URL + relative
    text = decode_text((SCRAPE / relative).read_bytes(), content_type=None)
    channels = extract_channels(text, source_url=url, bare_ids=bare_ids)
    for list_url in linked_playlists(text, source_url=url):
        linked = SCRAPE / list_url.removeprefix(BASE_URL)
        assert list_url.startswith(BASE_URL), list_url
        assert linked.is_file(), list_url
        linked_text = decode_text(linked.read_bytes(), content_type=None)
        channels += extract_channels(linked_text, source_url=list_url, bare_ids=bare_ids)
    return channels


def _check_fields(channels: list[ScrapedChannel], key: str, expected: Any) -> None:
    values = [getattr(channel, FIELDS[key]) for channel in channels]
    if isinstance(expected, list):
        assert values == expected, key
    elif expected == "set":
        assert all(values), key
    else:
        assert values == [expected] * len(channels), key


@pytest.mark.parametrize("relative", _corpus_files())
def test_every_corpus_file_has_an_expectation_or_is_linked_from_one(relative: str) -> None:
    expected = _expected()
    linked_from = [
        page
        for page in expected
        if page.endswith(".html")
        and BASE_URL + relative
        in linked_playlists((SCRAPE / page).read_text(errors="replace"), source_url=BASE_URL + page)
    ]

    assert relative in expected or linked_from


@pytest.mark.parametrize("relative", _corpus_files())
def test_corpus_file_yields_what_it_should(relative: str) -> None:
    entry = _expected().get(relative)
    if entry is None:
        return  # a list only linked from a page: checked through that page
    bare = relative in BARE_FORMATS
    channels = scrape(relative, bare_ids=bare)
    by_id = {channel.content_id: channel for channel in channels}

    if "count" in entry:
        assert len(channels) == CORRECTED_COUNTS.get(relative, entry["count"])
        if not bare:
            assert scrape(relative, bare_ids=True) == channels, "bare-id mode changes the result"
    if "count_default" in entry:
        assert len(channels) == entry["count_default"]
    if "count_bare_mode" in entry:
        channels = scrape(relative, bare_ids=True)
        by_id = {channel.content_id: channel for channel in channels}
        assert len(channels) == entry["count_bare_mode"]
    assert not any(channel.content_id.startswith(NOT_AN_ID) for channel in channels)
    if entry.get("kind") == "infohash":
        assert {channel.kind for channel in channels} == {"infohash"}
    if "id" in entry:
        assert [channel.content_id for channel in channels] == [entry["id"]]

    names = entry.get("names")
    if isinstance(names, list):
        assert [channel.name for channel in channels] == names
    elif isinstance(names, str) and names.startswith("as "):
        original = names.removeprefix("as ").split(" ")[0]
        same_folder = str(Path(relative).parent.parent / "xroldan-enlaces-ace" / original)
        assert [c.name for c in channels] == [c.name for c in scrape(same_folder, bare_ids=False)]
        assert not any("\ufffd" in (channel.name or "") for channel in channels)
    elif isinstance(names, str):
        assert all(channel.name for channel in channels)
    for content_id, name in entry.get("names_bare_mode", {}).items():
        # Named by its own id means "no name": the playlist shows the id for it.
        assert by_id[content_id].name in ({None, content_id} if name == content_id else {name})

    for key in FIELDS:
        if key in entry:
            _check_fields(channels, key, entry[key])
    if "tvg_id_contains" in entry:
        assert all(entry["tvg_id_contains"] in (c.tvg_id or "").upper() for c in channels)
    for position, key in enumerate(("first", "second")):
        for field, value in entry.get(key, {}).items():
            assert getattr(channels[position], FIELDS[field]) == value, (key, field)
    for content_id, fields in entry.items():
        if len(content_id) == 40:
            for field, value in fields.items():
                assert getattr(by_id[content_id], FIELDS[field]) == value, (content_id, field)
