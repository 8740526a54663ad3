import gzip
import io
from pathlib import Path

import pytest

from app.services.xmltv import (
    ReadableBytes,
    XmltvChannel,
    XmltvError,
    XmltvItem,
    XmltvProgramme,
    read_xmltv,
)

GUIDE = b"""<?xml version="1.0" encoding="UTF-8"?>
<tv generator-info-name="test">
  <channel id="la1.es">
    <display-name lang="es">La 1 HD</display-name>
    <display-name>  La
      1 </display-name>
    <icon src="http://example.org/la1.png"/>
  </channel>
  <channel id="dazn1.es"><display-name>DAZN 1</display-name></channel>
  <channel><display-name>No id, skipped</display-name></channel>
  <channel id="la1.es">
    <display-name>TVE La 1</display-name><display-name>La 1</display-name>
  </channel>
  <programme start="20250101000000 +0000" channel="la1.es"><title>News</title></programme>
  <programme start="20250101010000 +0000" channel="la1.es"><title>Film</title></programme>
  <programme start="20250101000000 +0000" channel="dazn1.es"><title>Match</title></programme>
  <programme start="20250101000000 +0000" channel="undeclared.es"><title>X</title></programme>
  <programme start="20250101000000 +0000"><title>No channel, skipped</title></programme>
</tv>
"""

EXPECTED = [
    XmltvChannel(id="la1.es", display_names=("La 1 HD", "La 1")),
    XmltvChannel(id="dazn1.es", display_names=("DAZN 1",)),
    XmltvChannel(id="la1.es", display_names=("TVE La 1", "La 1")),
    XmltvProgramme(channel="la1.es"),
    XmltvProgramme(channel="la1.es"),
    XmltvProgramme(channel="dazn1.es"),
    XmltvProgramme(channel="undeclared.es"),
]


class Trickle:
    """A non-seekable stream that hands out three bytes at a time."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1, /) -> bytes:
        return self._data.read(3 if size < 0 else min(size, 3))


def read_all(stream: ReadableBytes, max_bytes: int) -> list[XmltvItem]:
    return list(read_xmltv(stream, max_bytes=max_bytes))


def refusal(data: bytes, max_bytes: int = 1_000_000) -> str:
    with pytest.raises(XmltvError) as caught:
        read_all(io.BytesIO(data), max_bytes)
    return str(caught.value)


def test_plain_guide_gives_its_channels_and_programmes_in_order() -> None:
    assert read_all(io.BytesIO(GUIDE), len(GUIDE)) == EXPECTED


def test_items_come_while_the_stream_is_read_not_after_it() -> None:
    channels = b"".join(
        b'<channel id="c%d"><display-name>C</display-name></channel>' % i for i in range(5000)
    )
    stream = io.BytesIO(b"<tv>" + channels + b"</tv>")

    first = next(read_xmltv(stream, max_bytes=1_000_000))

    assert first == XmltvChannel(id="c0", display_names=("C",))
    assert stream.tell() < len(stream.getvalue())


def test_gzip_is_recognised_by_its_magic_bytes_not_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "guide.xml"
    path.write_bytes(gzip.compress(GUIDE))

    with path.open("rb") as stream:
        assert read_all(stream, len(GUIDE)) == EXPECTED


@pytest.mark.parametrize("data", [GUIDE, gzip.compress(GUIDE)], ids=["plain", "gzip"])
def test_short_reads_from_an_unseekable_stream_are_fine(data: bytes) -> None:
    assert read_all(Trickle(data), len(GUIDE)) == EXPECTED


def test_billion_laughs_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE tv [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tv><channel id="x"><display-name>&lol3;</display-name></channel></tv>"""

    assert refusal(bomb) == (
        "The guide declares a DTD or entities, which are refused as unsafe: "
        "DTDForbidden(name='tv', system_id=None, public_id=None)"
    )


def test_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE tv [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tv><channel id="x"><display-name>&secret;</display-name></channel></tv>"""

    assert refusal(xxe).startswith("The guide declares a DTD or entities")


def test_external_dtd_is_refused() -> None:
    external = b'<!DOCTYPE tv SYSTEM "http://example.org/xmltv.dtd"><tv/>'

    assert refusal(external) == (
        "The guide declares a DTD or entities, which are refused as unsafe: "
        "DTDForbidden(name='tv', system_id='http://example.org/xmltv.dtd', public_id=None)"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<tv>\n  <channel id="a">\n  <display-name>A</channel>\n</tv>',
            "The guide is not well-formed XML: mismatched tag at line 3, column 20",
        ),
        (b"", "The guide is not well-formed XML: no element found at line 1, column 1"),
        (
            b"<tv>&nbsp;</tv>",
            "The guide is not well-formed XML: undefined entity at line 1, column 5",
        ),
        (
            b"<tv></tv><tv></tv>",
            "The guide is not well-formed XML: junk after document element at line 1, column 10",
        ),
    ],
    ids=["mismatched-tag", "empty", "undefined-entity", "two-roots"],
)
def test_malformed_xml_is_refused_with_its_position(data: bytes, message: str) -> None:
    assert refusal(data) == message


def test_a_root_other_than_tv_is_refused() -> None:
    assert refusal(b"<rss><channel/></rss>") == "The guide's root element is <rss>, expected <tv>"


def test_a_guide_of_exactly_max_bytes_is_read_and_one_byte_more_is_refused() -> None:
    assert len(read_all(io.BytesIO(GUIDE), len(GUIDE))) == 7

    assert refusal(GUIDE, max_bytes=len(GUIDE) - 1) == (
        f"The guide is larger than {len(GUIDE) - 1} bytes of XML"
    )


def test_gzip_bomb_is_refused_once_max_bytes_are_inflated() -> None:
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb") as bomb:
        bomb.write(b"<tv>")
        for _ in range(50):
            bomb.write(b" " * 1_000_000)
        bomb.write(b"</tv>")
    assert len(compressed.getvalue()) < 100_000

    assert refusal(compressed.getvalue(), max_bytes=1_000_000) == (
        "The guide is larger than 1000000 bytes of XML"
    )


def test_truncated_gzip_is_refused() -> None:
    truncated = gzip.compress(GUIDE)[:40]

    assert refusal(truncated) == (
        "The guide is not valid gzip: "
        "Compressed file ended before the end-of-stream marker was reached"
    )


def test_control_characters_in_display_names_are_cleaned_where_they_enter() -> None:
    guide = b'<tv><channel id="x"><display-name>La&#x9B;2J 1&#x85;HD</display-name></channel></tv>'

    [channel] = read_xmltv(io.BytesIO(guide), max_bytes=len(guide))

    assert channel == XmltvChannel(id="x", display_names=("La\ufffd2J 1 HD",))
