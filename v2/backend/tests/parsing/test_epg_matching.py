import io
from collections.abc import Iterator

import pytest

from app.parsing.epg_matching import GuideChannel, GuideMatcher, normalise_name
from app.parsing.xmltv import XmltvChannel, XmltvError, XmltvItem, XmltvProgramme, read_xmltv

GUIDE = b"""<?xml version="1.0" encoding="UTF-8"?>
<tv>
  <channel id="la1.es">
    <display-name>La 1 HD</display-name><display-name>La 1</display-name>
  </channel>
  <channel id="dazn1.es"><display-name>DAZN 1</display-name></channel>
  <channel id="la1.es"><display-name>TVE La 1</display-name></channel>
  <programme start="20250101000000 +0000" channel="la1.es"><title>News</title></programme>
  <programme start="20250101010000 +0000" channel="la1.es"><title>Film</title></programme>
  <programme start="20250101000000 +0000" channel="dazn1.es"><title>Match</title></programme>
  <programme start="20250101000000 +0000" channel="undeclared.es"><title>X</title></programme>
</tv>
"""


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Movistar+ LaLiga FHD", "movistar laliga"),
        ("TELEMADRID  Información (HD)", "telemadrid informacion"),
        ("Sky Sports F1 1080p", "sky sport f 1"),
        ("DAZN_1 · SD", "dazn 1"),
        ("HD", ""),
        # The suffixes of real lists (dalimtv-stack/Listas) and the names of a real guide map.
        ("Movistar LaLiga (FHD) (Opcion 2)", "movistar laliga"),
        ("M+ LaLiga HD", "movistar laliga"),
        ("Movistar Liga de Campeones 2 (1080 MultiAudio)", "movistar liga de campeones 2"),
        ("DAZN F1 (720)", "dazn f 1"),
        ("Movistar Plus (FHD) (NEW ERA)", "movistar plus"),
        ("Movistar Plus+ HD", "movistar plus"),
        ("DAZN 2 --> NEW ERA, 1080p", "dazn 2"),
        ("Movistar Clásicos UHD 4K", "movistar clasicos"),
        ("BEIN SPORTS 1 [FR] (FHD)", "bein sport 1 [fr]"),
        ("FR | beIN SPORTS 1", "bein sport 1 [fr]"),
        ("Ziggo.Sport.2.nl", "ziggo sport 2 [nl]"),
        ("NBA.TV.HD.us2", "nba [us]"),
        ("ESPN2 [US]", "espn 2 [us]"),
        ("LaLiga TV Hypermotion 2", "laliga hypermotion 2"),
        # A bracket that says something about the channel stays.
        ("Canal 1 [1RFEF]", "canal 1 1 rfef"),
        ("Canal.ESPN.2.(Bolivia).ar", "canal espn 2 bolivia [ar]"),
    ],
)
def test_normalise_name(name: str, normalised: str) -> None:
    assert normalise_name(name) == normalised


def channel(channel_id: str, *names: str) -> XmltvChannel:
    return XmltvChannel(id=channel_id, display_names=names)


def test_the_matcher_prefers_the_tvg_id_then_the_normalised_name() -> None:
    guide = [
        channel("la1.es", "La 1", "TVE La 1"),
        channel("laliga.es", "M+ LaLiga HD"),
        channel("tm.es", "Telemadrid"),
    ]
    matcher = GuideMatcher(
        [
            ("by-id", "la1.es", "Movistar LaLiga"),
            ("by-name", None, "MOVISTAR LALIGA (1080) (Opcion 2)"),
            ("unknown-id", "nope.es", "Telemádrid"),
            ("second-name", None, "tve la 1"),
            ("unmatched", "LA1.ES", "Cuatro"),
            ("no-name", None, None),
            ("only-quality", None, "FHD"),
        ]
    )

    matcher.read(guide, source="guide")

    assert matcher.matches == {
        "by-id": "la1.es",
        "by-name": "laliga.es",
        "unknown-id": "tm.es",
        "second-name": "la1.es",
    }


def test_a_name_several_guide_channels_share_matches_none_unless_the_tvg_id_settles_it() -> None:
    matcher = GuideMatcher([("by-name", None, "ESPN HD"), ("by-id", "espn.us", "ESPN")])

    matcher.read([channel("espn.es", "ESPN")], source="first")
    matcher.read([channel("espn.us", "ESPN (HD)")], source="second")

    assert matcher.matches == {"by-id": "espn.us"}
    assert matcher.matched_channels == [GuideChannel("espn.us", "ESPN (HD)", "second", 0)]


def test_a_country_must_agree_and_is_dropped_only_when_no_name_fits_exactly() -> None:
    guide = [
        channel("dazn1.es", "DAZN 1 HD"),
        channel("dazn1.pt", "DAZN.1.pt"),
        channel("ziggo.nl", "Ziggo.Sport.nl"),
        channel("bein1.fr", "FR | beIN SPORTS 1"),
        channel("espn2.us", "ESPN 2"),
        channel("espn.es", "ESPN"),
        channel("espn.us", "ESPN"),
    ]
    matcher = GuideMatcher(
        [
            ("no-country", None, "DAZN 1 (FHD)"),
            ("same-country", None, "DAZN 1 [PT]"),
            ("country-left-out", None, "ZIGGO SPORT"),
            ("country-in-brackets", None, "BEIN SPORTS 1 [FR] (FHD)"),
            ("other-country", None, "ESPN 2 [BE]"),
            ("country-of-the-id", None, "ESPN HD [US]"),
            ("shared-name", None, "ESPN"),
        ]
    )

    matcher.read(guide, source="guide")

    assert matcher.matches == {
        "no-country": "dazn1.es",
        "same-country": "dazn1.pt",
        "country-left-out": "ziggo.nl",
        "country-in-brackets": "bein1.fr",
        "country-of-the-id": "espn.us",
    }


def test_a_looser_form_matches_only_when_no_exact_name_fits_and_only_one_channel() -> None:
    guide = [
        channel("eurosport.es", "Eurosport 1 HD"),
        channel("ams.ch", "auto.motor.sport.ch"),
        channel("dazn.es", "DAZN"),
        channel("dazn1.es", "DAZN 1"),
        channel("gol.es", "GOL 1"),
        channel("golplay.es", "GOL PLAY 1"),
        channel("sky1.uk", "Sky Sport 1 [UK]"),
        channel("sky1.de", "Sky Sport 1 [DE]"),
    ]
    matcher = GuideMatcher(
        [
            ("final-one-left-out", None, "Eurosport (1080)"),
            ("words-run-together", None, "AUTOMOTORSPORT (HD)"),
            ("exact-wins", None, "DAZN"),
            ("looser-still-ambiguous", None, "SKY SPORT"),
            ("gol", None, "GOLPLAY"),
        ]
    )

    matcher.read(guide, source="guide")

    assert matcher.matches == {
        "final-one-left-out": "eurosport.es",
        "words-run-together": "ams.ch",
        "exact-wins": "dazn.es",
        "gol": "golplay.es",
    }


def test_the_matcher_keeps_only_matched_channels_with_their_programme_counts() -> None:
    matcher = GuideMatcher([("k", None, "La 1")])

    matcher.read(read_xmltv(io.BytesIO(GUIDE), max_bytes=len(GUIDE)), source="guide")

    assert (matcher.channels, matcher.programmes) == (3, 4)
    assert matcher.matched_channels == [GuideChannel("la1.es", "La 1 HD", "guide", 2)]


def test_a_later_guide_renames_a_matched_channel_and_a_refused_one_leaves_nothing() -> None:
    matcher = GuideMatcher([("k", "la1.es", None), ("n", None, "Cuatro")])
    matcher.read([channel("la1.es", "La 1"), XmltvProgramme("la1.es")], source="first")

    def refused() -> Iterator[XmltvItem]:
        yield channel("cuatro.es", "Cuatro")
        raise XmltvError("broken")

    with pytest.raises(XmltvError):
        matcher.read(refused(), source="broken")
    matcher.read([channel("la1.es", "TVE La 1")], source="second")

    assert matcher.matches == {"k": "la1.es"}
    assert matcher.matched_channels == [GuideChannel("la1.es", "TVE La 1", "second", 0)]
    assert (matcher.channels, matcher.programmes) == (2, 1)
