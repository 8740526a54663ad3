"""Read an XMLTV guide in one streaming pass (matching it to scraped channels: epg_matching).

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

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from app.utils.text import clean_text

_GZIP_MAGIC = b"\x1f\x8b"
# The byte order marks a guide may start with, and the encoding each announces.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LONGEST_BOM = max(len(bom) for bom, _ in _BOMS)
_XML_SPACE = " \t\r\n"  # production S
_SNIFF_BYTES = 4096


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
    """`source` from its first character that is not XML white space (its BOM kept in front),
    with the line and column (from 0) where that character stands, to give parse errors the
    guide's own positions.

    A guide written with a newline before `<?xml ...?>` (or between its BOM and the
    declaration) is not well-formed (the declaration must come first) and expat refuses it,
    but that is a slip of the tool that wrote it, and the white space carries nothing, so it
    is dropped: in the BOM's encoding (UTF-8 or UTF-16), else byte by byte. The bytes skipped
    are read through `source`, so they count against the cap.
    """
    pending = b""
    while len(pending) < _LONGEST_BOM and (chunk := source.read(_SNIFF_BYTES)):
        pending += chunk
    bom, encoding = next(
        ((bom, encoding) for bom, encoding in _BOMS if pending.startswith(bom)), (b"", "ascii")
    )
    width = len(" ".encode(encoding))
    pending = pending[len(bom) :]
    lines = columns = 0
    while True:
        # Each white space character is one `width`-byte unit in these encodings.
        text = pending[: len(pending) - len(pending) % width].decode(encoding, errors="replace")
        space = text[: len(text) - len(text.lstrip(_XML_SPACE))]
        lines += space.count("\n")
        columns = len(space) - space.rfind("\n") - 1 if "\n" in space else columns + len(space)
        pending = pending[len(space) * width :]
        if len(pending) >= width or not (chunk := source.read(_SNIFF_BYTES)):
            return _Prefixed(bom + pending, source), lines, columns
        pending += chunk


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
