"""M3U playlists: `#EXTINF` lines, and the AceStream engine's `#EXTTV`, `#EXTLOGO` and
`#EXTGRP` tags."""

import re
from typing import NamedTuple

from app.parsing.acestream.common import Found, clean_text, linked_ids, logo_url

_EXTINF_LINE = re.compile(r"^[ \t]*#EXTINF", re.IGNORECASE | re.MULTILINE)
_M3U_ATTRIBUTE = re.compile(r'(?<![\w-])([\w-]+)="([^"]*)"')


def is_playlist(text: str) -> bool:
    """Whether `text` starts with `#EXTM3U` or has an `#EXTINF` line anywhere."""
    header = text.lstrip("\ufeff \t\r\n")[:7].upper()
    return header == "#EXTM3U" or _EXTINF_LINE.search(text) is not None


class _ExtInf(NamedTuple):
    name: str | None
    tvg_id: str | None
    tvg_logo: str | None
    group_title: str | None


_NO_EXTINF = _ExtInf(None, None, None, None)


def scan_playlist(text: str, source_url: str) -> list[Found]:
    """Each `#EXTINF` line describes the ids on the URL line that follows it, and only those.

    Between the two, `#EXTTV:tags;language;tvg-id[;logo]` and `#EXTLOGO:url` (the AceStream
    engine's own tags) give a tvg-id and logo the `#EXTINF` line left out. `#EXTGRP:
    group-title="..." group-logo="..."` sets the group of the entries after it that name none,
    and their logo when they have none; an entry with its own group-title does not take the
    `#EXTGRP` logo, and an `#EXTGRP` line without `key="value"` pairs clears both (as upstream
    acestream-scraper reads it).
    """
    found: list[Found] = []
    info = _NO_EXTINF
    engine_tvg_id: str | None = None
    engine_logo: str | None = None
    group = group_logo = None
    for raw_line in text.splitlines():
        line = raw_line.strip()
        tag = line[: line.find(":") + 1].upper() if line.startswith("#") else ""
        if tag == "#EXTINF:":
            info = _parse_extinf(line[8:], source_url)
        elif tag == "#EXTGRP:":
            attributes = {key.lower(): value for key, value in _M3U_ATTRIBUTE.findall(line)}
            group = clean_text(attributes.get("group-title", ""))
            group_logo = logo_url(attributes.get("group-logo", ""), source_url)
        elif tag == "#EXTTV:":
            fields = line[7:].split(";", 4)
            engine_tvg_id = clean_text(fields[2]) if len(fields) > 2 else None
            engine_logo = logo_url(fields[3], source_url) if len(fields) > 3 else engine_logo
        elif tag == "#EXTLOGO:":
            engine_logo = logo_url(line[9:], source_url)
        elif line and not line.startswith("#"):
            entry = _ExtInf(
                name=info.name,
                tvg_id=info.tvg_id or engine_tvg_id,
                tvg_logo=(
                    info.tvg_logo or engine_logo or (None if info.group_title else group_logo)
                ),
                group_title=info.group_title or group,
            )
            found.extend(Found(kind, content_id, *entry) for kind, content_id in linked_ids(line))
            info, engine_tvg_id, engine_logo = _NO_EXTINF, None, None
    return found


def _parse_extinf(body: str, source_url: str) -> _ExtInf:
    """Read `-1 tvg-id="x" group-title="A, B",Display name`."""
    attribute_text, name = _split_extinf(body)
    attributes = {key.lower(): value for key, value in _M3U_ATTRIBUTE.findall(attribute_text)}
    return _ExtInf(
        name=clean_text(name) or clean_text(attributes.get("tvg-name", "")),
        tvg_id=clean_text(attributes.get("tvg-id", "")),
        tvg_logo=logo_url(attributes.get("tvg-logo", ""), source_url),
        group_title=clean_text(attributes.get("group-title", "")),
    )


def _split_extinf(body: str) -> tuple[str, str]:
    """Split at the first comma outside double quotes: attributes before it, the name after.

    The first (not the last) comma, so that a name may contain commas ("Match, live"); quoted
    attribute values may contain them too. With an unbalanced quote the last comma is used.
    Each `find` resumes past the previous one, so a line is scanned a bounded number of times.
    """
    comma = body.find(",")
    quote = body.find('"')
    while comma != -1 and quote != -1 and quote < comma:
        closing = body.find('"', quote + 1)
        if closing == -1:
            comma = body.rfind(",")
            break
        if comma < closing:
            comma = body.find(",", closing + 1)
        quote = body.find('"', closing + 1)
    if comma == -1:
        return body, ""
    return body[:comma], body[comma + 1 :]
