import gzip
import io
from pathlib import Path

import pytest

from app.parsing.xmltv import (
    ReadableBytes,
    XmltvChannel,
    XmltvError,
    XmltvItem,
    XmltvProgramme,
    read_xmltv,
)
from tests.fakes.web import Page, serve_pages

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


def test_billion_laughs_is_refused_at_the_first_entity_declaration() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE tv [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tv><channel id="x"><display-name>&lol3;</display-name></channel></tv>"""

    assert refusal(bomb) == (
        "The guide's DTD defines entities, which are refused as unsafe: "
        "EntitiesForbidden(name='lol', system_id=None, public_id=None)"
    )


def test_external_entities_are_refused_and_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    with serve_pages({"/secret.txt": Page(body=b"the secret")}) as site:
        for declaration in [
            f'<!ENTITY secret SYSTEM "{secret.as_uri()}">',
            f'<!ENTITY secret SYSTEM "{site.url("/secret.txt")}">',
            f'<!ENTITY secret PUBLIC "-//X//Secret//EN" "{site.url("/secret.txt")}">',
            f'<!ENTITY % secret SYSTEM "{site.url("/secret.txt")}"> %secret;',
        ]:
            xxe = f"""<?xml version="1.0"?>
<!DOCTYPE tv [{declaration}]>
<tv><channel id="x"><display-name>&secret;</display-name></channel></tv>"""

            assert refusal(xxe.encode()).startswith(
                "The guide's DTD defines entities, which are refused as unsafe: "
                "EntitiesForbidden(name='secret'"
            )
        assert site.pages["/secret.txt"].requests == 0


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tv SYSTEM "xmltv.dtd">',
        "<!DOCTYPE tv SYSTEM 'https://example.org/xmltv/xmltv.dtd'>",
        '<!DOCTYPE tv PUBLIC "-//XMLTV//DTD XMLTV 0.5//EN" "http://example.org/xmltv.dtd">',
        '<!DOCTYPE tv\n  SYSTEM "file:///usr/share/xmltv/xmltv.dtd"\n>',
        # An internal subset that declares no entity is only declarations; XMLTV's DTD has many.
        '<!DOCTYPE tv SYSTEM "xmltv.dtd" [<!ELEMENT tv (channel*, programme*)>]>',
    ],
    ids=["system", "https", "public", "file", "subset-without-entities"],
)
def test_a_doctype_naming_an_external_dtd_is_read(doctype: str) -> None:
    declaration, body = GUIDE.split(b"\n", 1)
    guide = declaration + b"\n" + doctype.encode() + b"\n" + body

    assert read_all(io.BytesIO(guide), len(guide)) == EXPECTED


def test_the_external_dtd_is_never_fetched_and_its_entities_stay_undefined(
    tmp_path: Path,
) -> None:
    dtd = b'<!ENTITY secret "from the DTD">'
    (tmp_path / "xmltv.dtd").write_bytes(dtd)
    with serve_pages({"/xmltv.dtd": Page(body=dtd, content_type="application/xml-dtd")}) as site:
        for url in [site.url("/xmltv.dtd"), (tmp_path / "xmltv.dtd").as_uri()]:
            plain = f'<!DOCTYPE tv SYSTEM "{url}"><tv><channel id="x"/></tv>'.encode()
            using = f'<!DOCTYPE tv SYSTEM "{url}">\n<tv>&secret;</tv>'.encode()

            assert read_all(io.BytesIO(plain), len(plain)) == [XmltvChannel("x", ())]
            assert refusal(using) == (
                "The guide is not well-formed XML: undefined entity at line 2, column 5"
            )
        assert site.pages["/xmltv.dtd"].requests == 0


# Windows-1252 has the dash, quotes and euro sign at 0x80-0x9F, where ISO-8859-1 has controls.
NAMED = "Télé Cinco \u2013 \u20185\u2019 \u20ac"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("ISO-8859-1", None),
        ("windows-1252", None),
        ("UTF-16", None),  # Python writes a BOM (little-endian here)
        ("UTF-16", "utf-16-be"),
        ("UTF-8", "utf-8-sig"),
    ],
    ids=["latin-1", "windows-1252", "utf-16-bom", "utf-16-be-bom", "utf-8-bom"],
)
def test_the_encoding_comes_from_the_bom_or_the_xml_declaration(
    encoding: str, data: str | None
) -> None:
    name = "Télé Cinco" if encoding == "ISO-8859-1" else NAMED
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<!DOCTYPE tv SYSTEM "xmltv.dtd">\n'
        f'<tv><channel id="t5"><display-name>{name}</display-name></channel></tv>\n'
    )
    codec = data or encoding
    guide = ("\ufeff" if codec == "utf-16-be" else "") + text
    raw = guide.encode(codec)

    assert read_all(io.BytesIO(raw), len(raw)) == [XmltvChannel("t5", (name,))]


@pytest.mark.parametrize(
    "space", [b"\n", b" \r\n\t\n", b"\n" * 10_000], ids=["newline", "mixed", "10000-newlines"]
)
@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_white_space_before_the_xml_declaration_is_skipped(space: bytes, compress: bool) -> None:
    guide = space + GUIDE
    data = gzip.compress(guide) if compress else guide

    assert read_all(Trickle(data), len(guide)) == EXPECTED


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_white_space_between_the_bom_and_the_xml_declaration_is_skipped(codec: str) -> None:
    encoding = "UTF-8" if codec == "utf-8-sig" else "UTF-16"
    text = f'\r\n <?xml version="1.0" encoding="{encoding}"?>\n<tv><channel id="t5"/></tv>'
    raw = (("\ufeff" if codec == "utf-16-be" else "") + text).encode(codec)

    assert read_all(Trickle(raw), len(raw)) == [XmltvChannel("t5", ())]


def test_an_error_after_a_bom_and_white_space_gives_the_guide_s_own_line() -> None:
    raw = ("\n\n" + BROKEN.decode()).encode("utf-16")

    assert refusal(raw) == "The guide is not well-formed XML: mismatched tag at line 5, column 21"


def test_white_space_before_the_xml_declaration_counts_against_the_cap() -> None:
    guide = b"\n" * 10_000 + GUIDE

    assert refusal(guide, max_bytes=len(guide) - 1) == (
        f"The guide is larger than {len(guide) - 1} bytes of XML"
    )
    assert refusal(b"\n" * 10_000, max_bytes=9_999) == "The guide is larger than 9999 bytes of XML"
    assert refusal(b" \n") == (
        "The guide is not well-formed XML: no element found at line 2, column 1"
    )


BROKEN = b'<?xml version="1.0"?>\n<tv>\n  <channel id="a"></chanel>\n</tv>'


@pytest.mark.parametrize(
    ("data", "position"),
    [
        (BROKEN, "line 3, column 21"),
        (b"\r\n" * 3 + BROKEN, "line 6, column 21"),
        (b"\n" * 5000 + BROKEN, "line 5003, column 21"),
        (b'<?xml version="1.0"?><tv></b></tv>', "line 1, column 28"),
        (b'  <?xml version="1.0"?><tv></b></tv>', "line 1, column 30"),
    ],
    ids=["none", "crlf", "over-a-read", "none-same-line", "same-line"],
)
def test_errors_after_skipped_white_space_give_the_guide_s_own_position(
    data: bytes, position: str
) -> None:
    assert refusal(data) == f"The guide is not well-formed XML: mismatched tag at {position}"


def test_programmes_are_counted_whatever_their_time_zone_and_without_a_stop() -> None:
    guide = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tv SYSTEM "xmltv.dtd">
<tv>
  <channel id="bbc1"><display-name>BBC 1</display-name></channel>
  <programme start="20250601180000 +0100" stop="20250601190000 +0100" channel="bbc1"/>
  <programme start="20250601190000 -0530" channel="bbc1"><title>No stop</title></programme>
  <programme start="20250601200000 BST" stop="20250601210000 BST" channel="bbc1"/>
  <programme start="200006012100 UTC" channel="bbc1"/>
  <programme start="20250601" channel="bbc1"/>
</tv>"""

    items = read_all(io.BytesIO(guide), len(guide))

    assert items == [XmltvChannel("bbc1", ("BBC 1",)), *[XmltvProgramme("bbc1")] * 5]


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
