"""The XMLTV reader over every real guide in ../shared/corpus/epg, against expected.json.

The corpus sits beside the repository, not in it (see test_scrape_corpus.py); without it these
tests skip, unless REQUIRE_CORPUS=1 (as in CI) makes that a failure.

expected.json's `epg` entries count as its `_rule` says: channels are <channel> elements with
an id, programmes are <programme> elements with a channel attribute. Its channel counts are of
distinct ids, though: iptv-org's custom_channels guide is "5/10 (Channel1.us declared twice)"
with six <channel> elements, and the reader yields all six (`GuideMatcher.channels` counts
six), so the ids it yields are compared. Some entries cover several
files: "xmltv-project/*.xml" lists "name C/P (notes)" per file, "derived/xmltv-*-nodoctype.xml"
are "as the originals above", and "name(.gz)" stands for the file and its gzip copy.
"""

import re
from typing import Any

import pytest

from app.parsing.xmltv import XmltvChannel, XmltvProgramme, read_xmltv
from tests.corpus.corpus import CORPUS, expected

EPG = CORPUS / "epg"
# The source-name -> tvg-id map that derived/miEPG-channels-from-canales.xml is built from:
# input to channel matching, not a guide.
NOT_GUIDES = {"other/miEPG_canales.txt"}
# A guide is read whole here; the largest in the corpus is far below this.
MAX_BYTES = 50_000_000
# "test 2/1 (das-erste.de: ARD + Das Erste)" -> name, channels, programmes, notes.
_LISTED = re.compile(r"(\S+) (\d+)/(\d+)(?: \(([^)]*)\))?")
_NAMED = re.compile(r"^(\S+): (.+)$")


def _load() -> dict[str, Any]:
    return expected("epg")


def _expected() -> dict[str, dict[str, Any]]:
    """One entry per corpus file: `channels`, `programmes`, optional `display_names`."""
    entries = _load()
    listed = entries["xmltv-project/*.xml (21 files)"]["expected"]
    originals: dict[str, dict[str, Any]] = {}
    for name, channels, programmes, notes in _LISTED.findall(listed):
        entry: dict[str, Any] = {"channels": int(channels), "programmes": int(programmes)}
        if named := _NAMED.match(notes):
            entry["display_names"] = {named[1]: named[2].split(" + ")}
        originals[f"xmltv-project/{name}.xml"] = entry
    expected = dict(originals)
    for relative in _corpus_files():
        copied = re.fullmatch(r"derived/xmltv-(.+)-nodoctype\.xml", relative)
        if copied:
            expected[relative] = originals[f"xmltv-project/{copied[1]}.xml"]
    for key, entry in entries.items():
        if "channels" not in entry:
            continue
        for relative in (
            [key.removesuffix("(.gz)"), key.removesuffix("(.gz)") + ".gz"]
            if key.endswith("(.gz)")
            else [key]
        ):
            expected[relative] = entry
    return expected


def _corpus_files() -> list[str]:
    if not EPG.is_dir():
        return ["(corpus missing)"]
    return sorted(
        relative
        for path in EPG.rglob("*")
        if path.is_file() and (relative := str(path.relative_to(EPG))) not in NOT_GUIDES
    )


def read(relative: str) -> tuple[list[XmltvChannel], int]:
    """The channels of one corpus guide and its programme count, as epg_refresh reads them."""
    with (EPG / relative).open("rb") as stream:
        items = list(read_xmltv(stream, max_bytes=MAX_BYTES))
    channels = [item for item in items if isinstance(item, XmltvChannel)]
    programmes = sum(isinstance(item, XmltvProgramme) for item in items)
    return channels, programmes


@pytest.mark.parametrize("relative", _corpus_files())
def test_every_corpus_guide_has_an_expectation(relative: str) -> None:
    if relative == "derived/miEPG-channels-from-canales.xml":
        return  # no counts: the matching check (test_matching_corpus) uses it
    assert relative in _expected()


@pytest.mark.parametrize("relative", _corpus_files())
def test_corpus_guide_yields_its_channels_and_programmes(relative: str) -> None:
    entry = _expected().get(relative)
    channels, programmes = read(relative)

    if entry is None:
        # The matching corpus guide: it has to be read; what matches is checked elsewhere.
        assert channels
        return
    distinct_ids = {channel.id for channel in channels}
    assert (len(distinct_ids), programmes) == (entry["channels"], entry["programmes"])
    names = {channel.id: list(channel.display_names) for channel in channels}
    for channel_id, display_names in entry.get("display_names", {}).items():
        assert names[channel_id] == display_names
    # Names in CDATA (other/dvbrouter_eit_cdata.xml) come out as their text.
    assert all(
        channel.display_names and "CDATA" not in " ".join(channel.display_names)
        for channel in channels
        if relative.startswith("other/dvbrouter")
    )
