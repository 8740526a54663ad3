"""Find AceStream ids, and the channel names a page gives them, in a scraped page.

Pure: text in, channels out (no database, no HTTP). The format is read from the text itself:
an M3U playlist (`#EXTM3U` first, or any `#EXTINF` line), else HTML (anything tag-like), else
plain text. Ids are the 40 hex characters after `acestream://`, `/ace/getstream?id=`,
`/ace/manifest.m3u8?id=`, `content_id=` or `infohash=`; a bare hex string is not an id (pages
are full of SHA-1s), nor is a run of 39 or 41 hex characters.

Size: the caller caps the body at a few MB. Every step is linear in the length of the text, so
a hostile page costs time in proportion to its size: no regex here can backtrack past the next
`<` or the end of a token, an M3U line is split with `str.find`, and a quadratic HTML
structure (deep nesting) is bounded by MAX_NESTING. That rules out `html.parser`: CPython's
HTMLParser is quadratic on unterminated markup (python/cpython#135462, CVE-2025-6069; 3.11.7
took 37 s for 80 kB of `<a `), so HTML goes through the small tokenizer below instead.
"""

import html
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple
from urllib.parse import urljoin, urlsplit

from app.utils.text import clean_optional

IdKind = Literal["content_id", "infohash"]

NAME_MAX_LENGTH = 200
LOGO_MAX_LENGTH = 2048
# Open <li>/<ul>/... beyond this depth are ignored: no page needs it, and it bounds the memory
# and the pending-name bookkeeping of a page that opens a million lists.
MAX_NESTING = 512

_LINK = re.compile(
    r"(?:acestream://|/ace/(?:getstream|manifest\.m3u8)\?id=|(?<!\w)content_id="
    r"|(?<!\w)(?P<infohash>infohash=))"
    r"(?P<id>[0-9a-f]{40})(?![0-9a-f])",
    re.IGNORECASE,
)
_EXTINF_LINE = re.compile(r"^[ \t]*#EXTINF", re.IGNORECASE | re.MULTILINE)
_M3U_ATTRIBUTE = re.compile(r'(?<![\w-])([\w-]+)="([^"]*)"')
_HTML_HINT = re.compile(r"<[A-Za-z!/]")
# Every alternative starts at `<` and none can cross another `<`, so a failed attempt costs at
# most the distance to the next `<`: linear over the page however broken the markup.
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^<>]*>"
    r"|<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9]*)"
    r"(?P<attributes>(?:\"[^\"<]*\"|'[^'<]*'|[^<>\"'])*)>",
    re.DOTALL,
)
_RAW_TEXT_END = {
    "script": re.compile(r"</script", re.IGNORECASE),
    "style": re.compile(r"</style", re.IGNORECASE),
}
# Elements whose text names the ids inside them; headings also name the ids that follow them.
_BLOCK_KIND = {"li": "li", "tr": "tr", "p": "p"} | {f"h{level}": "h" for level in range(1, 7)}
# Tracked only so that a nested list or table does not implicitly close the item around it.
_CONTAINERS = frozenset({"ul", "ol", "table"})
# Link texts that say "click me" rather than which channel; the row around them names it.
_GENERIC_LINK_TEXT = re.compile(
    r"(?:play|watch|link|stream|open|go|here|click here|acestream|ace stream|ver|enlace)"
    r"(?: ?#?[0-9]{1,3})?",
    re.IGNORECASE,
)
_HUGE_DECIMAL_REFERENCE = re.compile(r"&#[0-9]{8,}")
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
class _Found:
    """One occurrence of an id; the HTML scanner fills its name once the text around it is read."""

    kind: IdKind
    content_id: str
    name: str | None = None
    tvg_id: str | None = None
    tvg_logo: str | None = None
    group_title: str | None = None


def extract_channels(text: str, *, source_url: str) -> list[ScrapedChannel]:
    """Return the channels of a scraped page, one per (kind, id), in order of first appearance.

    Names come from the `#EXTINF` line of a playlist, from the text of an HTML link to the id,
    else from the text next to it (its line, its list item / table row / paragraph, the heading
    before it); plain text gives ids without names. The first occurrence of an id wins, field
    by field, but a later occurrence fills a field the first left empty. `source_url` resolves
    relative `tvg-logo` URLs; logos that are not http(s) are dropped.
    """
    if _is_playlist(text):
        found = _scan_playlist(text, source_url)
    elif _HTML_HINT.search(text):
        found = _HtmlScanner().scan(text)
    else:
        found = [_Found(kind, content_id) for kind, content_id in _ids(text)]
    return _merge(found)


def _merge(found: list[_Found]) -> list[ScrapedChannel]:
    first: dict[tuple[IdKind, str], _Found] = {}
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


def _ids(text: str) -> list[tuple[IdKind, str]]:
    return [
        ("infohash" if match["infohash"] else "content_id", match["id"].lower())
        for match in _LINK.finditer(text)
    ]


def _clean(text: str) -> str | None:
    """Collapse whitespace and control characters, cap the length; None if nothing is left."""
    collapsed = " ".join(text.translate(_CONTROLS_TO_SPACE).split())
    return collapsed[:NAME_MAX_LENGTH].rstrip() or None


def _without_ids(text: str) -> str:
    """The words of `text` minus every word that carries an id (the whole URL goes)."""
    return " ".join(word for word in text.split() if _LINK.search(word) is None)


def _unescape(text: str) -> str:
    try:
        return html.unescape(text)
    except ValueError:
        # int() refuses decimal strings over 4,300 digits, and html.unescape lets that escape.
        # Eight digits are already past U+10FFFF, which unescape renders as U+FFFD too.
        return html.unescape(_HUGE_DECIMAL_REFERENCE.sub("\ufffd", text))


# M3U


def _is_playlist(text: str) -> bool:
    header = text.lstrip("\ufeff \t\r\n")[:7].upper()
    return header == "#EXTM3U" or _EXTINF_LINE.search(text) is not None


class _ExtInf(NamedTuple):
    name: str | None
    tvg_id: str | None
    tvg_logo: str | None
    group_title: str | None


_NO_EXTINF = _ExtInf(None, None, None, None)


def _scan_playlist(text: str, source_url: str) -> list[_Found]:
    """Each `#EXTINF` line describes the ids on the URL line that follows it, and only those."""
    found: list[_Found] = []
    info = _NO_EXTINF
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if line[:8].upper() == "#EXTINF:":
            info = _parse_extinf(line[8:], source_url)
        elif line and not line.startswith("#"):
            found.extend(_Found(kind, content_id, *info) for kind, content_id in _ids(line))
            info = _NO_EXTINF
    return found


def _parse_extinf(body: str, source_url: str) -> _ExtInf:
    """Read `-1 tvg-id="x" group-title="A, B",Display name`."""
    attribute_text, name = _split_extinf(body)
    attributes = {key.lower(): value for key, value in _M3U_ATTRIBUTE.findall(attribute_text)}
    return _ExtInf(
        name=_clean(name) or _clean(attributes.get("tvg-name", "")),
        tvg_id=_clean(attributes.get("tvg-id", "")),
        tvg_logo=_logo(attributes.get("tvg-logo", ""), source_url),
        group_title=_clean(attributes.get("group-title", "")),
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


def _logo(value: str, source_url: str) -> str | None:
    if not value.strip() or len(value) > LOGO_MAX_LENGTH:
        return None
    try:
        url = urljoin(source_url, value.strip())
        scheme = urlsplit(url).scheme
    except ValueError:  # e.g. "http://[::1" (an unterminated IPv6 host)
        return None
    return url if scheme in ("http", "https") and len(url) <= LOGO_MAX_LENGTH else None


# HTML


@dataclass(slots=True)
class _Frame:
    """An open <li>, <tr>, <p>, heading or container.

    `pending` holds the ids inside it still without a name, each with the heading that preceded
    it; `text_start` indexes the first piece of text inside it.
    """

    tag: str
    text_start: int
    pending: list[tuple[_Found, str | None]] = field(default_factory=list)


@dataclass(slots=True)
class _Link:
    """An open <a> whose attributes carry ids; its text names them when the link closes."""

    found: list[_Found]
    text: list[str] = field(default_factory=list)
    length: int = 0


class _HtmlScanner:
    """Tokenize a page once, naming each id from its link text or the text around it.

    Text of id links is kept apart from the surrounding text, so a row "ESPN | <a>Play</a>"
    is named "ESPN". Comments are skipped (not shown by a browser); <script> and <style> are
    searched for ids, but their text names nothing. Unclosed elements are closed as a browser
    would at the next <li>/<tr>/heading, at the end tag of an outer element, or at the end.
    """

    def __init__(self) -> None:
        self._found: list[_Found] = []
        self._pieces: list[str] = []
        self._stack: list[_Frame] = []
        # Open frames per tag, so that a stray end tag costs O(1) instead of a stack search.
        self._open: dict[str, int] = {}
        self._link: _Link | None = None
        self._heading: str | None = None

    def scan(self, text: str) -> list[_Found]:
        position = 0
        while (token := _HTML_TOKEN.search(text, position)) is not None:
            self._data(text[position : token.start()])
            position = token.end()
            if token["tag"] is None:
                continue
            tag = token["tag"].lower()
            if token["end"]:
                self._end(tag)
                continue
            self._start(tag, token["attributes"])
            raw_text_end = _RAW_TEXT_END.get(tag)
            if raw_text_end is not None:
                closing = raw_text_end.search(text, position)
                stop = len(text) if closing is None else closing.start()
                self._found.extend(_Found(*id_) for id_ in _ids(text[position:stop]))
                position = stop
        self._data(text[position:])
        self._close_link()
        while self._stack:
            self._close_frame()
        return self._found

    def _data(self, raw: str) -> None:
        text = _unescape(raw)
        if _LINK.search(text) is None:
            self._add_text(" ".join(text.split()))
            return
        words: list[str] = []
        for line in text.splitlines():
            line_text = _without_ids(line)
            words.append(line_text)
            for kind, content_id in _ids(line):
                found = _Found(kind, content_id)
                self._found.append(found)
                if self._link is not None:
                    self._link.found.append(found)
                else:
                    found.name = _clean(line_text)
                    if found.name is None:
                        self._defer(found)
        self._add_text(" ".join(words))

    def _add_text(self, text: str) -> None:
        if not text:
            return
        if self._link is not None:
            if self._link.length <= NAME_MAX_LENGTH:
                self._link.text.append(text)
                self._link.length += len(text) + 1
        elif self._stack:
            self._pieces.append(text)

    def _start(self, tag: str, attributes: str) -> None:
        if tag == "a":
            self._close_link()
        if tag in _BLOCK_KIND or tag in _CONTAINERS:
            self._open_frame(tag)
        found = [_Found(*id_) for id_ in _ids(_unescape(attributes))]
        self._found.extend(found)
        if tag == "a" and found:
            self._link = _Link(found)
        else:
            for item in found:
                self._defer(item)

    def _end(self, tag: str) -> None:
        if tag == "a":
            self._close_link()
        elif self._open.get(tag, 0) > 0:
            while self._close_frame() != tag:
                pass

    def _open_frame(self, tag: str) -> None:
        if self._stack:
            innermost = self._stack[-1].tag
            kind = _BLOCK_KIND.get(tag)
            # A <p> cannot hold blocks; an <li>, <tr> or heading ends the open one of its kind.
            if innermost == "p" or (kind is not None and _BLOCK_KIND.get(innermost) == kind):
                self._close_frame()
        if len(self._stack) < MAX_NESTING:
            self._stack.append(_Frame(tag, len(self._pieces)))
            self._open[tag] = self._open.get(tag, 0) + 1

    def _close_frame(self) -> str:
        self._close_link()
        frame = self._stack.pop()
        self._open[frame.tag] -= 1
        name = None
        if frame.tag in _BLOCK_KIND and (frame.pending or _BLOCK_KIND[frame.tag] == "h"):
            name = self._text_since(frame.text_start)
        if name is not None:
            for found, _ in frame.pending:
                found.name = name
            if _BLOCK_KIND[frame.tag] == "h":
                self._heading = name
        elif self._stack:
            parent = self._stack[-1]
            # Move the shorter list into the longer: O(n log n) moves on the deepest nesting.
            pending = frame.pending
            if len(parent.pending) < len(pending):
                parent.pending, pending = pending, parent.pending
            parent.pending.extend(pending)
        else:
            for found, heading in frame.pending:
                found.name = heading
        if not self._stack:
            self._pieces.clear()
        return frame.tag

    def _close_link(self) -> None:
        link, self._link = self._link, None
        if link is None:
            return
        name = _clean(" ".join(link.text))
        if name is not None and _GENERIC_LINK_TEXT.fullmatch(name) is None:
            for found in link.found:
                found.name = name
        else:
            for found in link.found:
                self._defer(found)

    def _defer(self, found: _Found) -> None:
        """Name `found` later from its enclosing block, or now from the last heading."""
        if self._stack:
            self._stack[-1].pending.append((found, self._heading))
        else:
            found.name = self._heading

    def _text_since(self, start: int) -> str | None:
        parts: list[str] = []
        length = 0
        for index in range(start, len(self._pieces)):
            parts.append(self._pieces[index])
            length += len(self._pieces[index]) + 1
            if length > NAME_MAX_LENGTH:
                break
        return _clean(" ".join(parts))
