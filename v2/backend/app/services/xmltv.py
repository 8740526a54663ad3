"""Read an XMLTV guide in one streaming pass, and match scraped channels to its channels.

Pure: a byte stream in, a summary out (no database, no HTTP). A guide comes from a URL the
user typed, so it is treated as hostile:

- DTDs are refused outright (`forbid_dtd=True`): no entity expansion ("billion laughs"), no
  external entities (`SYSTEM "file:///etc/passwd"`). XMLTV needs none.
- At most `max_bytes` of XML reach the parser, counted after decompression, so a gzip bomb
  stops after `max_bytes` of output rather than after its whole expansion.
- Each child of <tv> is dropped once counted, so memory holds one <channel> or <programme>
  at a time, not the guide (a 100 MB guide is mostly programmes).
"""

import gzip
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from app.utils.text import clean_text

_GZIP_MAGIC = b"\x1f\x8b"
# Words that say how a channel is broadcast, not which channel it is ("ESPN HD" is "ESPN").
_QUALITY_WORDS = frozenset(
    {"hd", "fhd", "uhd", "sd", "hq", "4k", "8k", "1080p", "1080i", "720p", "576p", "480p", "hevc"}
)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


class XmltvError(ValueError):
    """The guide was refused; the message says why in words fit for the activity log."""


@dataclass(frozen=True, slots=True)
class XmltvChannel:
    id: str
    display_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class XmltvSummary:
    """What a guide holds: its channels by id, and how many programmes each channel has.

    `programmes_per_channel` may name channels the guide does not declare; `programmes` is
    the sum of its values.
    """

    channels: dict[str, XmltvChannel]
    programmes_per_channel: dict[str, int]
    programmes: int


class ReadableBytes(Protocol):
    """What parse_xmltv reads: any binary file object (BinaryIO, BytesIO, SpooledTemporaryFile)."""

    def read(self, size: int = -1, /) -> bytes: ...


class _Prefixed:
    """`stream` with the bytes already read from its start (to sniff gzip) put back in front."""

    def __init__(self, head: bytes, stream: ReadableBytes) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if size < 0:
            data, self._head = self._head + self._stream.read(), b""
        else:
            data, self._head = self._head[:size], self._head[size:]
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        # GzipFile declares that it needs seek, but calls it only to rewind, which we never do.
        raise io.UnsupportedOperation("seek")


class _CappedReader:
    """Hand the parser at most `max_bytes`; asking for more refuses the guide."""

    def __init__(self, source: ReadableBytes, max_bytes: int) -> None:
        self._source = source
        self._max_bytes = max_bytes
        self._remaining = max_bytes

    def read(self, size: int = -1, /) -> bytes:
        # Never ask for more than one byte past the cap, so a single read cannot inflate a bomb.
        allowed = self._remaining + 1
        try:
            data = self._source.read(allowed if size < 0 else min(size, allowed))
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise XmltvError(f"The guide is not valid gzip: {exc}") from exc
        self._remaining -= len(data)
        if self._remaining < 0:
            raise XmltvError(f"The guide is larger than {self._max_bytes} bytes of XML")
        return data


def parse_xmltv(stream: ReadableBytes, *, max_bytes: int) -> XmltvSummary:
    """Summarise the XMLTV guide in `stream`, plain or gzip (sniffed from its first bytes).

    Raise XmltvError if the guide declares a DTD or entities, is not well-formed XML (the
    message gives line and column), holds more than `max_bytes` of XML once decompressed, is
    corrupt gzip, or has a root other than <tv>. A <channel> without an id and a <programme>
    without a channel are skipped; a channel declared twice keeps both sets of display names.
    The caller owns `stream` and closes it.
    """
    head = stream.read(len(_GZIP_MAGIC))
    source = _Prefixed(head, stream)
    if head == _GZIP_MAGIC:
        with gzip.GzipFile(fileobj=source, mode="rb") as unzipped:
            return _summarise(_CappedReader(unzipped, max_bytes))
    return _summarise(_CappedReader(source, max_bytes))


def _summarise(source: _CappedReader) -> XmltvSummary:
    channels: dict[str, XmltvChannel] = {}
    programmes_per_channel: dict[str, int] = {}
    try:
        for element in _children_of_tv(source):
            if element.tag == "channel":
                _add_channel(channels, element)
            elif element.tag == "programme" and (channel_id := element.get("channel")):
                programmes_per_channel[channel_id] = programmes_per_channel.get(channel_id, 0) + 1
    except DefusedXmlException as exc:
        raise XmltvError(
            f"The guide declares a DTD or entities, which are refused as unsafe: {exc}"
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        raise XmltvError(
            f"The guide is not well-formed XML: {ErrorString(exc.code)} "
            f"at line {line}, column {column + 1}"
        ) from exc
    return XmltvSummary(
        channels=channels,
        programmes_per_channel=programmes_per_channel,
        programmes=sum(programmes_per_channel.values()),
    )


def _children_of_tv(source: _CappedReader) -> Iterator[Element]:
    """Yield each child of <tv> once fully parsed, then drop it from the tree."""
    events = iterparse(source, events=("start", "end"), forbid_dtd=True)
    _, root = next(events)
    if root.tag != "tv":
        raise XmltvError(f"The guide's root element is <{root.tag}>, expected <tv>")
    depth = 1
    for event, element in events:
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if depth == 1:
            yield element
            root.clear()


def _add_channel(channels: dict[str, XmltvChannel], element: Element) -> None:
    channel_id = (element.get("id") or "").strip()
    if not channel_id:
        return
    names = [" ".join(clean_text(n.text or "").split()) for n in element.findall("display-name")]
    known = channels[channel_id].display_names if channel_id in channels else ()
    display_names = tuple(dict.fromkeys(name for name in (*known, *names) if name))
    channels[channel_id] = XmltvChannel(id=channel_id, display_names=display_names)


def normalise_name(name: str) -> str:
    """Return `name` reduced to what identifies a channel, for comparing names across sources.

    Case-folded, accents stripped, punctuation turned into spaces, quality words ("HD", "FHD",
    "1080p", ...) removed wherever they stand, whitespace collapsed: "Movistar+ LaLiga FHD"
    and "movistar laliga" compare equal. Empty if nothing identifying is left.
    """
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NOT_ALPHANUMERIC.sub(" ", unaccented).split()
    return " ".join(word for word in words if word not in _QUALITY_WORDS)


def match_channels(
    xmltv_channels: Mapping[str, XmltvChannel],
    scraped: Iterable[tuple[str, str | None, str | None]],
) -> dict[str, str]:
    """Return scraped key -> XMLTV channel id for each scraped channel the guide knows.

    `scraped` yields (key, tvg_id, name) triples, e.g. (content_id, tvg_id, name) of each
    ScrapedChannel; the key is opaque here. A tvg_id equal to a guide channel id wins;
    otherwise the name matches a channel when `normalise_name` makes it equal to one of that
    channel's display names. When several channels share a normalised name, the first in guide
    order wins, so the result does not depend on set ordering. Unmatched keys are absent.
    """
    by_name: dict[str, str] = {}
    for channel in xmltv_channels.values():
        for display_name in channel.display_names:
            by_name.setdefault(normalise_name(display_name), channel.id)
    by_name.pop("", None)
    matches: dict[str, str] = {}
    for key, tvg_id, name in scraped:
        if tvg_id and tvg_id in xmltv_channels:
            matches[key] = xmltv_channels[tvg_id].id
        elif name and (channel_id := by_name.get(normalise_name(name))):
            matches[key] = channel_id
    return matches
