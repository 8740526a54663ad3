"""Match scraped channels to the channels of XMLTV guides: by tvg-id, then by normalised name.

Pure: (key, tvg_id, name) triples and guide items in, matches out. Lists and guides name the
same channel differently ("Movistar LaLiga (FHD) (Opcion 2)" in a list, "M+ LaLiga HD" in a
guide), so names are compared after `normalise_name` strips what says how or where a channel
is broadcast. Precision comes first: a wrong match puts another channel's programmes on a
channel, which is worse than none, so a name that fits several guide channels matches none.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.parsing.xmltv import XmltvItem, XmltvProgramme

# Words that say how a channel is broadcast, not which channel it is ("ESPN HD" is "ESPN").
_QUALITY_WORDS = frozenset(
    {"hd", "fhd", "uhd", "sd", "hq", "4k", "8k", "1080p", "1080i", "720p", "576p", "480p", "hevc"}
)
# Besides quality words, what a bracketed group may hold and still say nothing about the
# channel: resolutions ("(1080)", "(720)"), audio ("(1080 MultiAudio)"), the list's
# alternatives ("(Opcion 2)") and the list's own name ("(NEW ERA)").
_GROUP_WORDS = _QUALITY_WORDS | {"multiaudio", "multi", "audio", "opcion", "option", "new", "era"}
_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_RESOLUTION_OR_NUMBER = re.compile(r"\d+[pi]?")
# "DAZN 2 --> NEW ERA, 1080p": lists append their own name after an arrow.
_PROVIDER_ARROW = re.compile(r"\s*-+>.*$")
# A country: "[FR]" in lists, "FR | " before the name in guides, ".fr" ending an id-like
# display name ("Ziggo.Sport.nl").
_COUNTRY_PREFIX = re.compile(r"^([a-z]{2})\s*\|\s*")
# The code may carry a feed number ("NBA.TV.HD.us2", as iptv-org ids tell feeds apart).
_COUNTRY_DOTTED = re.compile(r"^(\S+)\.([a-z]{2})\d?$")
# Guide ids commonly end in the channel's country ("ESPN.us"): it names the country of a
# display name that gives none, so "ESPN HD [US]" finds ESPN.us among two channels "ESPN".
_ID_COUNTRY = re.compile(r"\.([A-Za-z]{2})$")
# Abbreviations of a brand that the sources spell either way ("M+ LaLiga" is "Movistar LaLiga").
_ABBREVIATIONS = ((re.compile(r"(?<![\w+])m\+"), "movistar "),)
# Words the sources add or leave out of the same channel's name ("LaLiga TV Hypermotion" is
# "LaLiga Hypermotion"), and the one they spell two ways ("Sky Sports" / "Sky Sport").
_FILLER_WORDS = frozenset({"tv"})
_SPELLINGS = {"sports": "sport"}
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_LETTERS_DIGITS = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")


@dataclass(slots=True)
class GuideChannel:
    """A guide channel that a scraped channel matched: what the refresh stores of it."""

    id: str
    display_name: str | None
    source: str
    programme_count: int = 0


def normalise_name(name: str) -> str:
    """Return `name` reduced to what identifies a channel, for comparing names across sources.

    Case-folded, accents stripped; bracketed groups that only hold quality, resolution, option
    or provider words ("(FHD)", "(1080 MultiAudio)", "(Opcion 2)", "(NEW ERA)") and an arrow
    with what follows ("--> NEW ERA") dropped; "M+" spelt "movistar"; punctuation turned into
    spaces, letters split from digits ("ESPN2" is "espn 2"), quality words ("HD", "1080p")
    removed wherever they stand, whitespace collapsed. A country ("[FR]", "FR | ", a final
    ".fr" of a dotted name) ends the result as " [fr]", so "BEIN SPORTS 1 [FR] (FHD)" and
    "FR | beIN SPORTS 1" both give "bein sports 1 [fr]". Empty if nothing identifying is left.
    """
    text = unicodedata.normalize("NFKD", name).casefold()
    # ASCII has no combining marks: skipping the per-character pass for it takes ~40 % off
    # this call, which a guide of 1 000 000 channels makes a million times.
    if not text.isascii():
        text = "".join(char for char in text if not unicodedata.combining(char))
    text = _PROVIDER_ARROW.sub("", text).strip()
    country = None
    if match := _COUNTRY_PREFIX.match(text):
        country, text = match.group(1), text[match.end() :]
    elif " " not in text and (match := _COUNTRY_DOTTED.match(text)):
        text, country = match.group(1), match.group(2)

    def group(match: re.Match[str]) -> str:
        nonlocal country
        inside = match.group(1) if match.group(1) is not None else match.group(2)
        words = _NOT_ALPHANUMERIC.sub(" ", inside).split()
        if match.group(2) is not None and len(words) == 1 and re.fullmatch("[a-z]{2}", words[0]):
            country = words[0]
            return " "
        if all(word in _GROUP_WORDS or _RESOLUTION_OR_NUMBER.fullmatch(word) for word in words):
            return " "
        return f" {inside} "

    text = _GROUP.sub(group, text)
    for abbreviation, spelt_out in _ABBREVIATIONS:
        text = abbreviation.sub(spelt_out, text)
    words = _NOT_ALPHANUMERIC.sub(" ", text).split()
    words = [word for word in words if word not in _QUALITY_WORDS]
    # Quality words go before splitting too, or "1080p" would leave its "1080".
    words = _LETTERS_DIGITS.sub(" ", " ".join(words)).split()
    core = " ".join(
        _SPELLINGS.get(word, word)
        for word in words
        if word not in _QUALITY_WORDS and word not in _FILLER_WORDS
    )
    return f"{core} [{country}]" if core and country else core


def _loose(normalised: str) -> str:
    """A looser form of a normalised name, for a last try when no exact form fits: words
    run together ("auto motor sport" is "automotorsport") and a final " 1" left out (lists
    call "Eurosport 1" plain "Eurosport"). The country, if any, stays."""
    core, bracket, country = normalised.partition(" [")
    return core.removesuffix(" 1").replace(" ", "") + bracket + country


class GuideMatcher:
    """Match scraped channels to the channels of guides read one after another, keeping only
    what concerns the scraped channels.

    Built from (key, tvg_id, name) triples, e.g. (row id, tvg_id, name) of each scraped
    Channel; the key is opaque here. A tvg_id equal to a guide channel id wins; otherwise the
    name matches a channel when `normalise_name` makes it equal to one of that channel's
    display names, but only when exactly one guide channel id answers to it across all guides
    read: a name several channels share ("ESPN" for ESPN.es and ESPN.us) matches none rather
    than a guess. A display name without a country takes the one its id ends in, if any
    ("ESPN" of ESPN.us answers to "ESPN [US]" too). A name without a country that no display
    name equals may match a display name with its country left out ("ZIGGO SPORT" for
    "Ziggo.Sport.nl"), on the same terms; a name with a country never matches a display name
    with another or none. Last, a name no display name fits in those ways may match one whose
    `_loose` form equals its own ("Eurosport" for "Eurosport 1 HD"), on the same terms.
    Programmes are counted for
    matched channels only, those declared before them (XMLTV's DTD puts every <channel> before
    the first <programme>); when several guides declare a matched channel, the last one read
    gives its name, source and count.
    """

    def __init__(self, scraped: Iterable[tuple[str, str | None, str | None]]) -> None:
        self._keys_by_id: dict[str, list[str]] = {}
        self._keys_by_name: dict[str, list[str]] = {}
        self._keys_by_loose_name: dict[str, list[str]] = {}
        for key, tvg_id, name in scraped:
            if tvg_id:
                self._keys_by_id.setdefault(tvg_id, []).append(key)
            if name and (normalised := normalise_name(name)):
                self._keys_by_name.setdefault(normalised, []).append(key)
                self._keys_by_loose_name.setdefault(_loose(normalised), []).append(key)
        self._by_id: dict[str, str] = {}
        # Every guide channel id each scraped key's name equals, and equals once the guide
        # name's country is left out, in the order found.
        self._by_name: dict[str, dict[str, None]] = {}
        self._by_name_without_country: dict[str, dict[str, None]] = {}
        self._by_loose_name: dict[str, dict[str, None]] = {}
        self._channels: dict[str, GuideChannel] = {}
        self.channels = 0
        self.programmes = 0

    def read(self, items: Iterable[XmltvItem], *, source: str) -> None:
        """Take in one guide's items, from `source` (its URL).

        `channels` and `programmes` grow by the guide's <channel> and <programme> elements. If
        iterating `items` raises (an XmltvError from `read_xmltv`), the exception propagates
        and nothing of this guide is kept.
        """
        known_ids = set(self._channels)
        by_id: dict[str, str] = {}
        by_name: dict[str, dict[str, None]] = {}
        by_name_without_country: dict[str, dict[str, None]] = {}
        by_loose_name: dict[str, dict[str, None]] = {}
        found: dict[str, GuideChannel] = {}
        channels = programmes = 0
        for item in items:
            if isinstance(item, XmltvProgramme):
                programmes += 1
                if (channel := found.get(item.channel)) is not None:
                    channel.programme_count += 1
                continue
            channels += 1
            keys_by_name: dict[str, None] = {}
            keys_without_country: dict[str, None] = {}
            keys_by_loose_name: dict[str, None] = {}
            id_country = _ID_COUNTRY.search(item.id)
            for display_name in item.display_names:
                name = normalise_name(display_name)
                forms = [name]
                keys_by_name.update(dict.fromkeys(self._keys_by_name.get(name, ())))
                core, country_given, _ = name.partition(" [")
                if country_given:
                    keys_without_country.update(dict.fromkeys(self._keys_by_name.get(core, ())))
                    forms.append(core)
                elif name and id_country:
                    with_country = f"{name} [{id_country.group(1).casefold()}]"
                    keys_by_name.update(dict.fromkeys(self._keys_by_name.get(with_country, ())))
                    forms.append(with_country)
                for form in forms if name else ():
                    loose_keys = self._keys_by_loose_name.get(_loose(form), ())
                    keys_by_loose_name.update(dict.fromkeys(loose_keys))
            keys_by_id = self._keys_by_id.get(item.id, ())
            if not (
                keys_by_id
                or keys_by_name
                or keys_without_country
                or keys_by_loose_name
                or item.id in known_ids
            ):
                continue
            by_id.update(dict.fromkeys(keys_by_id, item.id))
            for key in keys_by_name:
                by_name.setdefault(key, {})[item.id] = None
            for key in keys_without_country:
                by_name_without_country.setdefault(key, {})[item.id] = None
            for key in keys_by_loose_name:
                by_loose_name.setdefault(key, {})[item.id] = None
            first_name = item.display_names[0] if item.display_names else None
            if (channel := found.get(item.id)) is None:
                found[item.id] = GuideChannel(item.id, first_name, source)
            elif channel.display_name is None:
                channel.display_name = first_name
        self._by_id.update(by_id)
        for key, channel_ids in by_name.items():
            self._by_name.setdefault(key, {}).update(channel_ids)
        for key, channel_ids in by_name_without_country.items():
            self._by_name_without_country.setdefault(key, {}).update(channel_ids)
        for key, channel_ids in by_loose_name.items():
            self._by_loose_name.setdefault(key, {}).update(channel_ids)
        self._channels.update(found)
        self.channels += channels
        self.programmes += programmes

    @property
    def matches(self) -> dict[str, str]:
        """Scraped key -> guide channel id, for each scraped channel a guide knows."""
        by_name = {
            key: next(iter(channel_ids))
            for key, channel_ids in (
                self._by_loose_name | self._by_name_without_country | self._by_name
            ).items()
            if len(channel_ids) == 1
        }
        return {**by_name, **self._by_id}

    @property
    def matched_channels(self) -> list[GuideChannel]:
        """The guide channels that `matches` names, each once."""
        return [self._channels[channel_id] for channel_id in dict.fromkeys(self.matches.values())]
