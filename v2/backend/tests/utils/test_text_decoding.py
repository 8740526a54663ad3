import codecs

import pytest

from app.utils.text_decoding import decode_text

# A list as a Spanish source writes it in Latin-1: long enough for detection to be sure.
LATIN1_LIST = "\n".join(
    f'#EXTINF:-1 group-title="Fútbol",Rayo Vallecano vs Atlético Madrid {n} (España, Cádiz)'
    f"\nacestream://{n:040x}"
    for n in range(20)
)


def test_a_page_that_declares_nothing_is_decoded_by_detection_keeping_its_accents() -> None:
    text = decode_text(LATIN1_LIST.encode("latin-1"), content_type="text/plain")

    assert text == LATIN1_LIST


def test_a_utf8_declaration_the_bytes_contradict_falls_back_to_detection() -> None:
    text = decode_text(LATIN1_LIST.encode("latin-1"), content_type="text/plain; charset=utf-8")

    assert "Atlético" in text
    assert "\ufffd" not in text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("Atlético €".encode("cp1252"), "text/html; charset=windows-1252"),
        ("Atlético €".encode("cp1252"), 'text/html; charset="Windows-1252"'),
        (codecs.BOM_UTF8 + "Atlético €".encode(), "text/plain; charset=latin-1"),
        (codecs.BOM_UTF16_LE + "Atlético €".encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + "Atlético €".encode("utf-16-be"), None),
        ("Atlético €".encode(), None),
        ("Atlético €".encode(), "text/plain; charset=no-such-charset"),
    ],
    ids=["http-charset", "quoted", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf8", "unknown"],
)
def test_boms_and_http_charsets_are_honoured(body: bytes, content_type: str | None) -> None:
    assert decode_text(body, content_type) == "Atlético €"


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1252">',
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>",
        '<?xml version="1.0" encoding="windows-1252"?>',
    ],
)
def test_a_meta_charset_or_xml_declaration_is_honoured(head: str) -> None:
    page = f"{head}<p>Atlético €</p>"

    assert decode_text(page.encode("cp1252"), content_type="text/html") == page


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(decode_text(bytes(range(256)) * 4, content_type=None), str)
