"""Read an XMLTV guide in one streaming pass, and match scraped channels to its channels.

Pure: a byte stream in, channels and programmes out (no database, no HTTP). A guide comes from
a URL the user typed, so it is treated as hostile:

- A DOCTYPE naming an external DTD (`<!DOCTYPE tv SYSTEM "xmltv.dtd">`, which every sample
  of the XMLTV project and most grabbers write) is read, and the DTD is never fetched: expat
  reads no external subset unless asked, so an entity it would define stays undefined (the
  guide is refused as not well-formed if it uses one). Any entity declaration in the
  internal subset (`[...]`) refuses the guide before it is expanded ("billion laughs") or
  resolved (`SYSTEM "file:///etc/passwd"`): defusedxml's `forbid_entities` and
  `forbid_external`. XMLTV needs no entities.
- The encoding is the XML's own: a BOM (UTF-8, UTF-16) or the XML declaration (expat reads
  UTF-8/16, ISO-8859-1 and, through Python's codecs, any single-byte encoding such as
  windows-1252); white space before the declaration, which expat refuses, is skipped.
- At most `max_bytes` of XML reach the parser, counted after decompression, so a gzip bomb
  stops after `max_bytes` of output rather than after its whole expansion.
- Each child of <tv> is dropped once yielded, and `GuideMatcher` keeps only the guide channels
  that scraped channels match, so memory holds the scraped channels and one element at a time,
  never the guide: a 1 000 000-channel guide took 629 MB above idle when it was summarised
  whole, and takes 11 MB this way (docs/performance.md, section 7).
"""

import gzip
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from app.utils.text import clean_text

_GZIP_MAGIC = b"\x1f\x8b"
# XML's white space (production S) as bytes; a guide in UTF-16 starts with its BOM instead.
_XML_SPACE = b" \t\r\n"
_SNIFF_BYTES = 4096
# Words that say how a channel is broadcast, not which channel it is ("ESPN HD" is "ESPN").
_QUALITY_WORDS = frozenset(
    {"hd", "fhd", "uhd", "sd", "hq", "4k", "8k", "1080p", "1080i", "720p", "576p", "480p", "hevc"}
)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


class XmltvError(ValueError):
    """The guide was refused; the message says why in words fit for the activity log."""


@dataclass(frozen=True, slots=True)
class XmltvChannel:
    """One <channel> element: its id and its display names (whitespace collapsed, no empties)."""

    id: str
    display_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class XmltvProgramme:
    """One <programme> element; only its channel id matters here."""

    channel: str


XmltvItem = XmltvChannel | XmltvProgramme


@dataclass(slots=True)
class GuideChannel:
    """A guide channel that a scraped channel matched: what the refresh stores of it."""

    id: str
    display_name: str | None
    source: str
    programme_count: int = 0


class ReadableBytes(Protocol):
    """What read_xmltv reads: any binary file object (BinaryIO, BytesIO, SpooledTemporaryFile)."""

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


def read_xmltv(stream: ReadableBytes, *, max_bytes: int) -> Iterator[XmltvItem]:
    """Yield the channels and programmes of the XMLTV guide in `stream` (plain or gzip, sniffed
    from its first bytes) in guide order, each as soon as it is parsed.

    Raise XmltvError, part way through, if the guide's DTD declares entities, is not
    well-formed XML (the message gives line and column), holds more than `max_bytes` of XML
    once decompressed, is corrupt gzip, or has a root other than <tv>. A <channel> without an
    id and a <programme> without a channel are skipped; a channel declared twice is yielded
    twice. The caller owns `stream` and closes it.
    """
    head = stream.read(len(_GZIP_MAGIC))
    source = _Prefixed(head, stream)
    if head == _GZIP_MAGIC:
        with gzip.GzipFile(fileobj=source, mode="rb") as unzipped:
            yield from _items(_CappedReader(unzipped, max_bytes))
    else:
        yield from _items(_CappedReader(source, max_bytes))


def _skip_leading_space(source: ReadableBytes) -> tuple[_Prefixed, int, int]:
    """`source` from its first byte that is not XML white space, with the line and column
    (from 0) where that byte stands, to give parse errors the guide's own positions.

    A guide written with a newline before `<?xml ...?>` is not well-formed (the declaration
    must come first) and expat refuses it, but that is a slip of the tool that wrote it, and
    the white space carries nothing, so it is dropped. The bytes skipped are read through
    `source`, so they count against the cap.
    """
    lines = columns = 0
    head = b""
    while not head and (chunk := source.read(_SNIFF_BYTES)):
        head = chunk.lstrip(_XML_SPACE)
        skipped = chunk[: len(chunk) - len(head)]
        lines += skipped.count(b"\n")
        after_newline = len(skipped) - skipped.rfind(b"\n") - 1
        columns = after_newline if b"\n" in skipped else columns + len(skipped)
    return _Prefixed(head, source), lines, columns


def _items(source: ReadableBytes) -> Iterator[XmltvItem]:
    xml, skipped_lines, skipped_columns = _skip_leading_space(source)
    try:
        for element in _children_of_tv(xml):
            if element.tag == "channel" and (channel_id := (element.get("id") or "").strip()):
                names = (
                    " ".join(clean_text(name.text or "").split())
                    for name in element.findall("display-name")
                )
                yield XmltvChannel(id=channel_id, display_names=tuple(filter(None, names)))
            elif element.tag == "programme" and (programme_channel := element.get("channel")):
                yield XmltvProgramme(channel=programme_channel)
    except DefusedXmlException as exc:
        raise XmltvError(
            f"The guide's DTD defines entities, which are refused as unsafe: {exc}"
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        if line == 1:
            column += skipped_columns
        line += skipped_lines
        raise XmltvError(
            f"The guide is not well-formed XML: {ErrorString(exc.code)} "
            f"at line {line}, column {column + 1}"
        ) from exc


def _children_of_tv(source: ReadableBytes) -> Iterator[Element]:
    """Yield each child of <tv> once fully parsed, then drop it from the tree."""
    events = iterparse(
        source,
        events=("start", "end"),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
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


def normalise_name(name: str) -> str:
    """Return `name` reduced to what identifies a channel, for comparing names across sources.

    Case-folded, accents stripped, punctuation turned into spaces, quality words ("HD", "FHD",
    "1080p", ...) removed wherever they stand, whitespace collapsed: "Movistar+ LaLiga FHD"
    and "movistar laliga" compare equal. Empty if nothing identifying is left.
    """
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    # ASCII has no combining marks: skipping the per-character pass for it takes ~40 % off
    # this call, which a guide of 1 000 000 channels makes a million times (16.5 -> 10 µs).
    if not decomposed.isascii():
        decomposed = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NOT_ALPHANUMERIC.sub(" ", decomposed).split()
    return " ".join(word for word in words if word not in _QUALITY_WORDS)


class GuideMatcher:
    """Match scraped channels to the channels of guides read one after another, keeping only
    what concerns the scraped channels.

    Built from (key, tvg_id, name) triples, e.g. (content_id, tvg_id, name) of each scraped
    Channel; the key is opaque here. A tvg_id equal to a guide channel id wins; otherwise the
    name matches a channel when `normalise_name` makes it equal to one of that channel's display
    names, and when several channels share that name the first in guide order (guides in the
    order read) wins. Programmes are counted for matched channels only, those declared before
    them (XMLTV's DTD puts every <channel> before the first <programme>); when several guides
    declare a matched channel, the last one read gives its name, source and count.
    """

    def __init__(self, scraped: Iterable[tuple[str, str | None, str | None]]) -> None:
        self._keys_by_id: dict[str, list[str]] = {}
        self._keys_by_name: dict[str, list[str]] = {}
        for key, tvg_id, name in scraped:
            if tvg_id:
                self._keys_by_id.setdefault(tvg_id, []).append(key)
            if name and (normalised := normalise_name(name)):
                self._keys_by_name.setdefault(normalised, []).append(key)
        self._by_id: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._channels: dict[str, GuideChannel] = {}
        self.channels = 0
        self.programmes = 0

    def read(self, items: Iterable[XmltvItem], *, source: str) -> None:
        """Take in one guide's items, from `source` (its URL).

        `channels` and `programmes` grow by the guide's <channel> and <programme> elements. If
        iterating `items` raises (an XmltvError from `read_xmltv`), the exception propagates
        and nothing of this guide is kept.
        """
        known_ids = {*self._by_id.values(), *self._by_name.values()}
        by_id: dict[str, str] = {}
        by_name: dict[str, str] = {}
        found: dict[str, GuideChannel] = {}
        channels = programmes = 0
        for item in items:
            if isinstance(item, XmltvProgramme):
                programmes += 1
                if (channel := found.get(item.channel)) is not None:
                    channel.programme_count += 1
                continue
            channels += 1
            keys_by_name = [
                key
                for display_name in item.display_names
                for key in self._keys_by_name.get(normalise_name(display_name), ())
            ]
            keys_by_id = self._keys_by_id.get(item.id, ())
            if not (keys_by_id or keys_by_name or item.id in known_ids):
                continue
            by_id.update(dict.fromkeys(keys_by_id, item.id))
            for key in keys_by_name:
                by_name.setdefault(key, item.id)
            first_name = item.display_names[0] if item.display_names else None
            if (channel := found.get(item.id)) is None:
                found[item.id] = GuideChannel(item.id, first_name, source)
            elif channel.display_name is None:
                channel.display_name = first_name
        self._by_id.update(by_id)
        for key, channel_id in by_name.items():
            self._by_name.setdefault(key, channel_id)
        self._channels.update(found)
        self.channels += channels
        self.programmes += programmes

    @property
    def matches(self) -> dict[str, str]:
        """Scraped key -> guide channel id, for each scraped channel a guide knows."""
        return {**self._by_name, **self._by_id}

    @property
    def matched_channels(self) -> list[GuideChannel]:
        """The guide channels that `matches` names, each once."""
        return [self._channels[channel_id] for channel_id in dict.fromkeys(self.matches.values())]
