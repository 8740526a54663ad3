"""Name matching over real lists and a real guide map, from ../shared/corpus.

The guide `epg/derived/miEPG-channels-from-canales.xml` is dalimtv-stack/miEPG's canales.txt as
XMLTV: each channel's display-name is the name a source guide gives it, its id the tvg-id the
dalimtv-stack/Listas lists give it. So each list channel whose tvg-id is in that guide says what
its name alone should match. Each list is read as the scrape task reads it (`decode_text`,
`extract_channels`), and matched with its tvg-id removed. Without the corpus these tests skip,
unless REQUIRE_CORPUS=1 (as in CI) makes that a failure.

Measured (2026-12-02): shickat 37/37, elcano 47/47, NEW ERA 126/143, Lista_total 195/223, so
405 of 450 (90.0 %), none wrong; at ad6b82e, 64 of 450. The ones left
differ by more than a suffix or a spacing: renamed channels ("BT Sport 1 [UK]" for
TNT.Sports.1.uk, "ELEVEN DAZN 1" for DAZN.1.pt, "MOTORS TV" for "Motorvision TV"), a country
the guide gives otherwise ("ESPN [BE]" for ESPN.1.nl), a name several guide channels share
("Canal 1 [1RFEF]" for one of two "Primera Federación"), a translation ("Canal de Tenis" for
"Tennis Channel"), a word one side leaves out ("GOL PLAY" for "GOL", "Hollywood" for "Canal
Hollywood"), or the list's own choice of another channel's guide ("DAZN 1 BAR" for DAZN.1.es
while the guide has DAZN 2 BAR apart, "PREMIER SPORTS 2" for Premier.Sports.1.uk).
"""

import io

from app.parsing.acestream import ScrapedChannel, extract_channels
from app.parsing.epg_matching import GuideMatcher, normalise_name
from app.parsing.xmltv import XmltvChannel, XmltvItem, read_xmltv
from app.utils.text_decoding import decode_text
from tests.corpus.corpus import CORPUS, require_corpus

GUIDE = CORPUS / "epg" / "derived" / "miEPG-channels-from-canales.xml"
LISTS = CORPUS / "scrape" / "dalimtv-Listas"
# The lists MANIFEST.md names for the guide (shickat_list.w3u is shickat_list.m3u again).
LIST_NAMES = ("shickat_list.m3u", "elcano.top_list.m3u", "NEW_ERA.m3u", "Lista_total.m3u")
MIN_MATCHED = 0.90


def _guide() -> list[XmltvItem]:
    return list(read_xmltv(io.BytesIO(GUIDE.read_bytes()), max_bytes=10_000_000))


def _list(name: str) -> list[ScrapedChannel]:
    text = decode_text((LISTS / name).read_bytes(), content_type=None)
    return extract_channels(text, source_url=f"http://corpus.test/{name}", bare_ids=False)


def _name_matches(name: str, guide: list[XmltvItem]) -> tuple[int, int, list[str]]:
    """(right, judged, wrong ones) for the channels of list `name` whose tvg-id the guide has.

    A list gives a few names two tvg-ids ("Movistar Golf (FHD)" as Movistar.Golf.es and as
    Movistar.Golf.2.es): for those, either id is right, as a name cannot tell them apart.
    """
    guide_ids = {item.id for item in guide if isinstance(item, XmltvChannel)}
    judged = [channel for channel in _list(name) if channel.tvg_id in guide_ids]
    ids_by_name: dict[str, set[str | None]] = {}
    for channel in judged:
        ids_by_name.setdefault(normalise_name(channel.name or ""), set()).add(channel.tvg_id)
    matcher = GuideMatcher((str(index), None, c.name) for index, c in enumerate(judged))
    matcher.read(guide, source=GUIDE.name)
    matches = matcher.matches
    right = 0
    wrong = []
    for index, channel in enumerate(judged):
        if (matched := matches.get(str(index))) is None:
            continue
        if matched in ids_by_name[normalise_name(channel.name or "")]:
            right += 1
        else:
            wrong.append(f"{channel.name!r} ({channel.tvg_id}) matched {matched}")
    return right, len(judged), wrong


def test_list_channels_match_the_guide_by_name_alone_and_never_a_wrong_id() -> None:
    require_corpus()
    guide = _guide()
    results = {name: _name_matches(name, guide) for name in LIST_NAMES}

    assert {name: wrong for name, (_, _, wrong) in results.items() if wrong} == {}
    right = sum(result[0] for result in results.values())
    judged = sum(result[1] for result in results.values())
    summary = {name: f"{r}/{j}" for name, (r, j, _) in results.items()}
    assert judged > 400, summary
    assert right / judged >= MIN_MATCHED, summary
