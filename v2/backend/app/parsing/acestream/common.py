"""What the readers of every format share: which text is an id, the record of one id found,
how a name is cleaned, and the merge of every occurrence into `ScrapedChannel`s."""

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

from app.utils.text import clean_optional

IdKind = Literal["content_id", "infohash"]

NAME_MAX_LENGTH = 200
LOGO_MAX_LENGTH = 2048

LINK = re.compile(
    r"(?:acestream://|/ace/(?:getstream|manifest\.m3u8)\?id=|(?<!\w)content_id="
    r"|(?<!\w)(?P<infohash>infohash=))"
    r"(?P<id>[0-9a-f]{40})(?![0-9a-f])",
    re.IGNORECASE,
)
# A 40-hex word standing alone: not the tail of a URL path, query, magnet `btih:` or fragment.
BARE_ID = re.compile(r"(?<![\w/:=?&#.%+@-])(?P<id>[0-9a-fA-F]{40})(?![\w/])")
_HEX_WORD = re.compile(r"[^0-9A-Za-z]*[0-9a-fA-F]{40}[^0-9A-Za-z]*")
# What separates a name from the id on its line ("ESPN: acestream://...", "ESPN | <id>").
_NAME_SEPARATORS = " :|-\u2013\u2014=>,;"
# Keys whose value names the object's id (linksData `name`, hashes.json `title`, W3U `name`).
NAME_KEYS = ("name", "title", "nombre", "canal", "channel", "label")
_CONTROLS_TO_SPACE = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0)], " ")


@dataclass(frozen=True, slots=True)
class ScrapedChannel:
    """One id found on a page, with what the page says about it.

    `content_id` is 40 lower-case hex characters. When `kind` is "infohash" it is a torrent
    infohash (played through `/ace/getstream?infohash=`), not a content id.
    """

    content_id: str
    name: str | None = None
    tvg_id: str | None = None
    tvg_logo: str | None = None
    group_title: str | None = None
    kind: IdKind = "content_id"


@dataclass(slots=True)
class Found:
    """One occurrence of an id; the HTML scanner fills its name once the text around it is read."""

    kind: IdKind
    content_id: str
    name: str | None = None
    tvg_id: str | None = None
    tvg_logo: str | None = None
    group_title: str | None = None


def merge(found: list[Found]) -> list[ScrapedChannel]:
    """One channel per (kind, id), in order of first occurrence, each field from the first
    occurrence that has it."""
    first: dict[tuple[IdKind, str], Found] = {}
    for item in found:
        kept = first.setdefault((item.kind, item.content_id), item)
        kept.name = kept.name or item.name
        kept.tvg_id = kept.tvg_id or item.tvg_id
        kept.tvg_logo = kept.tvg_logo or item.tvg_logo
        kept.group_title = kept.group_title or item.group_title
    # The page's text leaves the parser here, cleaned once for every store and output after
    # it: a NUL in a logo URL failed the whole scrape on PostgreSQL.
    return [
        ScrapedChannel(
            content_id=item.content_id,
            name=clean_optional(item.name),
            tvg_id=clean_optional(item.tvg_id),
            tvg_logo=clean_optional(item.tvg_logo),
            group_title=clean_optional(item.group_title),
            kind=item.kind,
        )
        for item in first.values()
    ]


def linked_ids(text: str) -> list[tuple[IdKind, str]]:
    """The ids of the links in `text` (never a bare 40-hex word), lower-cased, in order."""
    return [
        ("infohash" if match["infohash"] else "content_id", match["id"].lower())
        for match in LINK.finditer(text)
    ]


def ids_in(text: str, bare_ids: bool) -> list[tuple[IdKind, str]]:
    """The linked ids of `text`, then (in bare-id mode) its bare 40-hex words."""
    found = linked_ids(text)
    if bare_ids:
        found += [("content_id", match["id"].lower()) for match in BARE_ID.finditer(text)]
    return found


def clean_text(text: str) -> str | None:
    """Collapse whitespace and control characters, cap the length; None if nothing is left."""
    collapsed = " ".join(text.translate(_CONTROLS_TO_SPACE).split())
    return collapsed[:NAME_MAX_LENGTH].rstrip() or None


def without_ids(text: str) -> str:
    """The words of `text` minus every word that carries an id: the whole URL goes, and so does
    a 40-hex word (a page printing the id beside its link), so a name is never the id."""
    return " ".join(
        word
        for word in text.split()
        if LINK.search(word) is None and _HEX_WORD.fullmatch(word) is None
    )


def line_name(text: str) -> str | None:
    """`text` (a line with its ids taken out) as a name, without the separators left around
    where the id was: "ESPN:" and "ESPN |" name "ESPN"."""
    cleaned = clean_text(text)
    return None if cleaned is None else cleaned.strip(_NAME_SEPARATORS) or None


def logo_url(value: str, source_url: str) -> str | None:
    """`value` resolved against `source_url` if that makes an http(s) URL of at most
    LOGO_MAX_LENGTH characters, else None."""
    if not value.strip() or len(value) > LOGO_MAX_LENGTH:
        return None
    try:
        url = urljoin(source_url, value.strip())
        scheme = urlsplit(url).scheme
    except ValueError:  # e.g. "http://[::1" (an unterminated IPv6 host)
        return None
    return url if scheme in ("http", "https") and len(url) <= LOGO_MAX_LENGTH else None
