"""Bytes of a fetched page or list to text, in the encoding it declares or, failing that, detects.

Lists in the wild come in UTF-8 (with or without a BOM), Latin-1 and windows-125x, and servers
often declare nothing, or declare UTF-8 for everything (raw file hosts do): decoding every page
as UTF-8 turned a Latin-1 list's "Atlético" into "Atl\ufffdtico". The evidence is taken
strongest first, and a declaration the bytes contradict is passed over.
"""

import codecs
import re

import charset_normalizer

# Byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# `<meta charset="x">`, `<meta http-equiv="Content-Type" content="text/html; charset=x">` or
# `<?xml version="1.0" encoding="x"?>`, looked for where HTML requires it: the first 1024 bytes.
_DOCUMENT_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_PRESCAN_BYTES = 1024
_WESTERN = "cp1252"


def decode_text(body: bytes, content_type: str | None) -> str:
    """Return `body` as text.

    In order: a byte order mark; the charset of the HTTP `content_type`; a `<meta charset>` or
    XML declaration near the start; UTF-8 if the bytes are valid UTF-8; else the encoding
    charset-normalizer detects; else UTF-8 with U+FFFD for undecodable bytes. A declared
    charset that Python does not know, or that the bytes are not valid in, is skipped.
    Never raises.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    declared = []
    if content_type and (header := _HTTP_CHARSET.search(content_type)):
        declared.append(header[1])
    if document := _DOCUMENT_CHARSET.search(body[:_PRESCAN_BYTES]):
        declared.append((document[1] or document[2]).decode("ascii"))
    for encoding in [*declared, "utf-8"]:
        if (text := _strict(body, encoding)) is not None:
            return text
    matches = charset_normalizer.from_bytes(body)
    best = matches.best()
    if best is None:
        return body.decode("utf-8", errors="replace")
    # Single-byte Western and Central European code pages tie on Latin text (same chaos, same
    # coherence), and the detector then lists windows-1250 first, which reads Spanish "ñ" as
    # "ń". On a tie windows-1252 wins: it is what browsers assume for an undeclared Western
    # page, and a superset of the Latin-1 the lists in the wild use.
    for match in matches:
        if (match.chaos, match.coherence) == (best.chaos, best.coherence) and (
            _WESTERN in match.could_be_from_charset
        ):
            return body.decode(_WESTERN, errors="replace")
    return str(best)


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
