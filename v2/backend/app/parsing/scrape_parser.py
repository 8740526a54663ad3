"""Find AceStream ids, and the channel names a source gives them, in a scraped page or list.

Pure: text in, channels out (no database, no HTTP). The format is read from the text itself:
an M3U playlist (`#EXTM3U` first, or any `#EXTINF` line), else a JSON document (an object or
array: Elcano's `hashes.json`, W3U lists, channel arrays), else HTML or XML (anything
tag-like; a W3U `<channel><title/><url/></channel>` list reads as markup), else plain text
(`NAME: acestream://ID` lines, or a title line followed by an id line). Ids are the 40 hex
characters after `acestream://`, `/ace/getstream?id=`, `/ace/manifest.m3u8?id=`,
`content_id=` or `infohash=`. A bare 40-hex word is an id only in bare-id mode
(`bare_ids=True`, the SCRAPE_BARE_IDS setting) or inside NEW ERA's `.item-url` markup, since
pages are full of SHA-1s; even then a hex run inside a URL path (`/commit/<sha>`), a query
(`=<sha>`) or a magnet link (`btih:<sha>`) is not one. A name never contains the id itself:
a page that prints the id as text beside its link is named by the text around it.

Size: the caller caps the body at a few MB. Every step is linear in the length of the text, so
a hostile page costs time in proportion to its size: no regex here can backtrack past the next
`<` or the end of a token, an M3U line is split with `str.find`, and a quadratic HTML
structure (deep nesting) is bounded by MAX_NESTING. That rules out `html.parser`: CPython's
HTMLParser is quadratic on unterminated markup (python/cpython#135462, CVE-2025-6069; 3.11.7
took 37 s for 80 kB of `<a `), so HTML goes through the small tokenizer below instead.
"""

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple
from urllib.parse import urljoin, urlsplit

from app.utils.text import clean_optional

IdKind = Literal["content_id", "infohash"]

NAME_MAX_LENGTH = 200
LOGO_MAX_LENGTH = 2048
# Open <li>/<ul>/... beyond this depth are ignored: no page needs it, and it bounds the memory
# and the pending-name bookkeeping of a page that opens a million lists.
MAX_NESTING = 512
# JSON nested deeper than this is not searched: real lists are 3-5 levels deep, and the walk
# is recursive.
MAX_JSON_DEPTH = 64
# A page linking more lists than this has the first ones followed (the scraper fetches each).
MAX_LINKED_LISTS = 10

_LINK = re.compile(
    r"(?:acestream://|/ace/(?:getstream|manifest\.m3u8)\?id=|(?<!\w)content_id="
    r"|(?<!\w)(?P<infohash>infohash=))"
    r"(?P<id>[0-9a-f]{40})(?![0-9a-f])",
    re.IGNORECASE,
)
# A 40-hex word standing alone: not the tail of a URL path, query, magnet `btih:` or fragment.
_BARE_ID = re.compile(r"(?<![\w/:=?&#.%+@-])(?P<id>[0-9a-fA-F]{40})(?![\w/])")
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
_HEX_WORD = re.compile(r"[^0-9A-Za-z]*[0-9a-fA-F]{40}[^0-9A-Za-z]*")
# What separates a name from the id on its line ("ESPN: acestream://...", "ESPN | <id>").
_NAME_SEPARATORS = " :|-\u2013\u2014=>,;"
_EXTINF_LINE = re.compile(r"^[ \t]*#EXTINF", re.IGNORECASE | re.MULTILINE)
_M3U_ATTRIBUTE = re.compile(r'(?<![\w-])([\w-]+)="([^"]*)"')
_HTML_HINT = re.compile(r"<[A-Za-z!/?]")
# Every alternative starts at `<` and none can cross another `<`, so a failed attempt costs at
# most the distance to the next `<`: linear over the page however broken the markup.
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^<>]*>"
    r"|<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9]*)"
    r"(?P<attributes>(?:\"[^\"<]*\"|'[^'<]*'|[^<>\"'])*)>",
    re.DOTALL,
)
_HREF = re.compile(r"""(?<![\w-])href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_CLASS = re.compile(r"""(?<![\w-])class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_LIST_SUFFIXES = (".m3u", ".m3u8", ".w3u")
_RAW_TEXT_END = {
    "script": re.compile(r"</script", re.IGNORECASE),
    "style": re.compile(r"</style", re.IGNORECASE),
}
# Elements whose text names the ids inside them; headings also name the ids that follow them.
_BLOCK_KIND = {"li": "li", "tr": "tr", "p": "p"} | {f"h{level}": "h" for level in range(1, 7)}
# Tracked only so that a nested list or table does not implicitly close the item around it.
_CONTAINERS = frozenset({"ul", "ol", "table"})
# Tags that do not break a run of text; any other tag (div, td, br, XML elements such as a
# W3U <title>) ends one, and the last run before an unnamed id names it.
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "big", "cite", "code", "em", "font", "i", "img", "kbd", "mark"}
    | {"q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var"}
)
# Link texts that say "click me" rather than which channel; the row around them names it.
_GENERIC_LINK_TEXT = re.compile(
    r"(?:play|watch|link|stream|open|go|here|click here|acestream|ace stream|ver|enlace)"
    r"(?: ?#?[0-9]{1,3})?",
    re.IGNORECASE,
)
# JavaScript string literals: where one opens, and its body up to (not including) the quote
# that closes it. A body that stops elsewhere (a line break, the end) is unterminated, and the
# scan resumes after it, so every character of a script is read once.
_JS_QUOTE = re.compile(r"[\"'`]")
_JS_BODY = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*", re.DOTALL),
    "`": re.compile(r"(?:[^`\\]|\\.)*", re.DOTALL),
}
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_JS_UNQUOTED_KEY = re.compile(r"([A-Za-z_$][\w$]*)\s*:\s*\Z")
_JS_COLON = re.compile(r"\s*:")
# Keys whose value names the object's id (linksData `name`, hashes.json `title`, W3U `name`).
_NAME_KEYS = ("name", "title", "nombre", "canal", "channel", "label")
_LOGO_KEYS = ("logo", "tvg-logo", "image", "icon")
_GROUP_KEYS = ("group", "group-title", "category", "grupo")
_TVG_ID_KEYS = ("tvg-id", "tvg_id", "epg-id", "epg_id")
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


def extract_channels(text: str, *, source_url: str, bare_ids: bool = False) -> list[ScrapedChannel]:
    """Return the channels of a scraped page, one per (kind, id), in order of first appearance.

    Names come from the `#EXTINF` line of a playlist; from a JSON object's `name`/`title`;
    from the text of an HTML link to the id, else from the text next to it (its line, its list
    item / table row / paragraph, the text or heading before it); from a script's
    `{name, url}` objects or the `NAME: acestream://ID` lines of its strings; in plain text
    from the id's line or the title line before it. The first occurrence of an id wins, field
    by field, but a later occurrence fills a field the first left empty. `source_url` resolves
    relative logo URLs; logos that are not http(s) are dropped. `bare_ids` also takes
    40-hex words without a scheme (see the module docstring for which are never taken).
    """
    text = text.removeprefix("\ufeff")
    if _is_playlist(text):
        found = _scan_playlist(text, source_url)
    elif (document := _json_document(text)) is not None:
        found = []
        _walk_json(document, _JsonContext(bare_ids, source_url), found, depth=0)
    elif _HTML_HINT.search(text):
        found = _HtmlScanner(bare_ids=bare_ids).scan(text)
    else:
        found = _scan_text(text, bare_ids=bare_ids)
    return _merge(found)


def linked_playlists(text: str, *, source_url: str) -> list[str]:
    """The M3U/W3U lists an HTML page links to (`<a href="....m3u8">`), for the scraper to follow.

    Relative links are resolved against `source_url`; only http(s) URLs whose path ends in
    .m3u, .m3u8 or .w3u count, each once, in page order, at most MAX_LINKED_LISTS. A playlist,
    JSON or plain text links nothing (the scraper follows one level only).
    """
    if _is_playlist(text) or _HTML_HINT.search(text) is None:
        return []
    urls: list[str] = []
    for token in _HTML_TOKEN.finditer(text):
        if token["end"] or (token["tag"] or "").lower() != "a":
            continue
        href = _HREF.search(token["attributes"])
        if href is None:
            continue
        value = _unescape(href[1] or href[2] or href[3] or "").strip()
        try:
            url = urljoin(source_url, value)
            parts = urlsplit(url)
        except ValueError:  # e.g. "http://[::1" (an unterminated IPv6 host)
            continue
        if (
            parts.scheme in ("http", "https")
            and parts.path.lower().endswith(_LIST_SUFFIXES)
            and url not in urls
            and url != source_url
        ):
            urls.append(url)
            if len(urls) == MAX_LINKED_LISTS:
                break
    return urls


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


def _ids_in(text: str, bare_ids: bool) -> list[tuple[IdKind, str]]:
    """The linked ids of `text`, then (in bare-id mode) its bare 40-hex words."""
    found = _ids(text)
    if bare_ids:
        found += [("content_id", match["id"].lower()) for match in _BARE_ID.finditer(text)]
    return found


def _clean(text: str) -> str | None:
    """Collapse whitespace and control characters, cap the length; None if nothing is left."""
    collapsed = " ".join(text.translate(_CONTROLS_TO_SPACE).split())
    return collapsed[:NAME_MAX_LENGTH].rstrip() or None


def _without_ids(text: str) -> str:
    """The words of `text` minus every word that carries an id: the whole URL goes, and so does
    a 40-hex word (a page printing the id beside its link), so a name is never the id."""
    return " ".join(
        word
        for word in text.split()
        if _LINK.search(word) is None and _HEX_WORD.fullmatch(word) is None
    )


def _line_name(text: str) -> str | None:
    """`text` (a line with its ids taken out) as a name, without the separators left around
    where the id was: "ESPN:" and "ESPN |" name "ESPN"."""
    cleaned = _clean(text)
    return None if cleaned is None else cleaned.strip(_NAME_SEPARATORS) or None


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
    """Each `#EXTINF` line describes the ids on the URL line that follows it, and only those.

    Between the two, `#EXTTV:tags;language;tvg-id[;logo]` and `#EXTLOGO:url` (the AceStream
    engine's own tags) give a tvg-id and logo the `#EXTINF` line left out. `#EXTGRP:
    group-title="..." group-logo="..."` sets the group of the entries after it that name none,
    and their logo when they have none; an entry with its own group-title does not take the
    `#EXTGRP` logo, and an `#EXTGRP` line without `key="value"` pairs clears both (as upstream
    acestream-scraper reads it).
    """
    found: list[_Found] = []
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
            group = _clean(attributes.get("group-title", ""))
            group_logo = _logo(attributes.get("group-logo", ""), source_url)
        elif tag == "#EXTTV:":
            fields = line[7:].split(";", 4)
            engine_tvg_id = _clean(fields[2]) if len(fields) > 2 else None
            engine_logo = _logo(fields[3], source_url) if len(fields) > 3 else engine_logo
        elif tag == "#EXTLOGO:":
            engine_logo = _logo(line[9:], source_url)
        elif line and not line.startswith("#"):
            entry = _ExtInf(
                name=info.name,
                tvg_id=info.tvg_id or engine_tvg_id,
                tvg_logo=(
                    info.tvg_logo or engine_logo or (None if info.group_title else group_logo)
                ),
                group_title=info.group_title or group,
            )
            found.extend(_Found(kind, content_id, *entry) for kind, content_id in _ids(line))
            info, engine_tvg_id, engine_logo = _NO_EXTINF, None, None
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


# Plain text


def _scan_text(text: str, *, bare_ids: bool, default_name: str | None = None) -> list[_Found]:
    """Ids named by the rest of their line ("ESPN: acestream://..."), else by the line before
    when that line has no id (NEW ERA's listaplana.txt: a title line, then the id line), else
    `default_name`."""
    found: list[_Found] = []
    title: str | None = None
    for line in text.splitlines():
        ids = _ids_in(line, bare_ids)
        if not ids:
            title = line if line.strip() else title
            continue
        name = _line_name(_without_ids(line)) or _line_name(title or "") or default_name
        title = None
        found.extend(_Found(kind, content_id, name) for kind, content_id in ids)
    return found


# JSON


class _JsonContext(NamedTuple):
    bare_ids: bool
    source_url: str


def _json_document(text: str) -> Any:
    """The parsed document if `text` is a JSON object or array, else None."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        return None


def _json_text(fields: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and _LINK.search(value) is None:
            return _clean(value)
    return None


def _walk_json(
    value: Any,
    context: _JsonContext,
    found: list[_Found],
    *,
    depth: int,
    name: str | None = None,
    group: str | None = None,
) -> None:
    """Collect the ids of a JSON value in document order.

    An id in an object's string is named by that object's `name`/`title` (or the nearest
    enclosing object's), with its logo, tvg-id and group; the objects in an array inherit the
    name of the object holding the array as their group (W3U: groups of stations). In an array
    of strings, an id-only string is named by the string before it (`["ESPN", "<id>"]`).
    """
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(value, dict):
        fields = {str(key).lower(): item for key, item in value.items()}
        own_name = _json_text(fields, _NAME_KEYS)
        here = own_name or name
        group_here = _json_text(fields, _GROUP_KEYS) or group
        logo = _logo(_json_text(fields, _LOGO_KEYS) or "", context.source_url)
        tvg_id = _json_text(fields, _TVG_ID_KEYS)
        for item in fields.values():
            if isinstance(item, str):
                for new in _json_string(item, context, here):
                    new.tvg_id, new.tvg_logo, new.group_title = tvg_id, logo, group_here
                    found.append(new)
            elif isinstance(item, dict):
                _walk_json(item, context, found, depth=depth + 1, name=here, group=group_here)
            elif isinstance(item, list):
                inner_group = own_name or group_here
                _walk_json(item, context, found, depth=depth + 1, name=here, group=inner_group)
    elif isinstance(value, list):
        title: str | None = None
        for item in value:
            if isinstance(item, str):
                new_found = _json_string(item, context, title or name)
                for new in new_found:
                    new.group_title = group
                found.extend(new_found)
                title = None if new_found else _clean(item)
            else:
                _walk_json(item, context, found, depth=depth + 1, name=name, group=group)


def _json_string(text: str, context: _JsonContext, name: str | None) -> list[_Found]:
    """The ids of one JSON string: named `name` when the string is only the id or link,
    otherwise read as lines of text."""
    ids = _ids_in(text, context.bare_ids)
    if not ids:
        return []
    if not _without_ids(text):
        return [_Found(kind, content_id, name) for kind, content_id in ids]
    return _scan_text(text, bare_ids=context.bare_ids, default_name=name)


# Scripts


def _scan_script(script: str, bare_ids: bool) -> list[_Found]:
    """The ids of a <script>, named from the string literals they are in.

    A literal that is just a link takes the `name`/`title` of the same object literal
    (`linksData = {"links": [{"name": "ESPN", "url": "acestream://..."}]}`, keys quoted or
    not, either order); a literal with more text is read as lines of text (`fileContents =
    {"listaplana.txt": `ESPN: acestream://...`}`). Ids outside literals are found unnamed.
    """
    found: list[_Found] = []
    name: str | None = None
    unnamed: list[_Found] = []
    key: str | None = None
    position = 0
    while (quote := _JS_QUOTE.search(script, position)) is not None:
        start, gap = position, script[position : quote.start()]
        body = _JS_BODY[quote[0]].match(script, quote.end())
        assert body is not None  # the body pattern matches the empty string
        position = body.end() + 1
        if script[body.end() : position] != quote[0]:  # unterminated: code, not a string
            found.extend(_Found(*id_) for id_ in _ids(script[start:position]))
            continue
        if "{" in gap or "}" in gap:  # another object: its name is not this one's
            name, unnamed = None, []
        found.extend(_Found(*id_) for id_ in _ids(gap))
        if (unquoted := _JS_UNQUOTED_KEY.search(gap[-64:])) is not None:
            key = unquoted[1]
        value = _JS_ESCAPE.sub(_js_unescape, body[0])
        if _JS_COLON.match(script, position) is not None:
            key = value
            continue
        value_key, key = (key or "").lower(), None
        ids = _ids_in(value, bare_ids)
        if not ids:
            if value_key in _NAME_KEYS and (name := _clean(value)) is not None:
                for item in unnamed:
                    item.name = name
                unnamed = []
        elif _without_ids(value):
            found.extend(_scan_text(value, bare_ids=bare_ids))
        else:
            for kind, content_id in ids:
                item = _Found(kind, content_id, name)
                found.append(item)
                if name is None:
                    unnamed.append(item)
    found.extend(_Found(*id_) for id_ in _ids(script[position:]))
    return found


def _js_unescape(match: re.Match[str]) -> str:
    escaped = match[1]
    if len(escaped) == 5:
        return chr(int(escaped[1:], 16))
    return {"n": "\n", "r": "\n", "t": " "}.get(escaped, escaped)


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
    """An open <a> whose attributes carry ids; its text names them when the link closes,
    unless it shows an id (`<a href="acestream://ID">ID</a>`): then it is a caption."""

    found: list[_Found]
    text: list[str] = field(default_factory=list)
    length: int = 0
    shows_id: bool = False


class _HtmlScanner:
    """Tokenize a page once, naming each id from its link text or the text around it.

    Text of id links is kept apart from the surrounding text, so a row "ESPN | <a>Play</a>"
    is named "ESPN". Outside any list item, row or paragraph, an id without a name of its own
    takes the text before it up to the previous block tag, else the last such run of text (the
    `<div>` label above a copy-box, a W3U `<title>`); a <button>'s text ("Copy") is no name.
    Comments are skipped (not shown by a browser); <script> is read by `_scan_script`, <style>
    only searched for ids. Unclosed elements are closed as a browser would at the next
    <li>/<tr>/heading, at the end tag of an outer element, or at the end.
    """

    def __init__(self, *, bare_ids: bool = False) -> None:
        self._bare_ids = bare_ids
        self._found: list[_Found] = []
        self._pieces: list[str] = []
        self._stack: list[_Frame] = []
        # Open frames per tag, so that a stray end tag costs O(1) instead of a stack search.
        self._open: dict[str, int] = {}
        self._link: _Link | None = None
        self._heading: str | None = None
        # The text since the last block tag, and the last such run that had any.
        self._run: list[str] = []
        self._run_length = 0
        self._label: str | None = None
        # A run holding an id named it already: it is no label for the ids after it.
        self._run_has_id = False
        self._in_button = False
        # Inside NEW ERA's `<span class="item-url">`, whose text is a bare id.
        self._in_item_url = False

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
                if tag == "script":
                    self._found.extend(_scan_script(text[position:stop], self._bare_ids))
                else:
                    self._found.extend(_Found(*id_) for id_ in _ids(text[position:stop]))
                position = stop
        self._data(text[position:])
        self._close_link()
        while self._stack:
            self._close_frame()
        return self._found

    def _data(self, raw: str) -> None:
        text = _unescape(raw)
        bare_ids = self._bare_ids or self._in_item_url
        if _HEX40.search(text) is None:
            self._add_text(" ".join(text.split()))
            return
        if self._link is not None:
            self._link.shows_id = True
        if _LINK.search(text) is None and not (bare_ids and _BARE_ID.search(text)):
            self._add_text(_without_ids(text))
            return
        words: list[str] = []
        for line in text.splitlines():
            line_text = _without_ids(line)
            words.append(line_text)
            for kind, content_id in _ids_in(line, bare_ids):
                found = _Found(kind, content_id)
                self._found.append(found)
                self._run_has_id = True
                if self._link is not None:
                    self._link.found.append(found)
                else:
                    found.name = _line_name(line_text)
                    if found.name is None:
                        self._defer(found)
        self._add_text(" ".join(words))

    def _add_text(self, text: str) -> None:
        if not text or self._in_button:
            return
        if self._link is not None:
            if self._link.length <= NAME_MAX_LENGTH:
                self._link.text.append(text)
                self._link.length += len(text) + 1
            return
        if self._stack:
            self._pieces.append(text)
        if self._run_length <= NAME_MAX_LENGTH:
            self._run.append(text)
            self._run_length += len(text) + 1

    def _boundary(self) -> None:
        """A block tag: the text run before it ends (and names what follows if it had text)."""
        if self._run and not self._run_has_id:
            self._label = _line_name(" ".join(self._run)) or self._label
        self._run.clear()
        self._run_length = 0
        self._run_has_id = self._in_button = self._in_item_url = False

    def _start(self, tag: str, attributes: str) -> None:
        if tag not in _INLINE:
            self._boundary()
        self._in_button = self._in_button or tag == "button"
        if "item-url" in attributes and (classes := _CLASS.search(attributes)) is not None:
            names = (classes[1] or classes[2] or classes[3] or "").split()
            self._in_item_url = self._in_item_url or "item-url" in names
        if tag == "a":
            self._close_link()
        if tag in _BLOCK_KIND or tag in _CONTAINERS:
            self._open_frame(tag)
        found = [_Found(*id_) for id_ in _ids(_unescape(attributes))]
        self._found.extend(found)
        self._run_has_id = self._run_has_id or bool(found)
        if tag == "a" and found:
            self._link = _Link(found)
        else:
            for item in found:
                self._defer(item)

    def _end(self, tag: str) -> None:
        if tag not in _INLINE:
            self._boundary()
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
        if link.shows_id:
            # The text beside a printed id is a caption ("ACE URI"): the last resort only.
            for found in link.found:
                self._defer(found, fallback=name)
        elif name is not None and _GENERIC_LINK_TEXT.fullmatch(name) is None:
            for found in link.found:
                found.name = name
        else:
            for found in link.found:
                self._defer(found)

    def _defer(self, found: _Found, fallback: str | None = None) -> None:
        """Name `found` later from its enclosing block (else the heading before it), or now
        from the text run before it (else the last run)."""
        if self._stack:
            self._stack[-1].pending.append((found, self._heading or fallback))
        else:
            run = _line_name(" ".join(self._run)) if self._run else None
            found.name = run or self._label or fallback
            if run is None:
                self._label = None  # one label names the one id below it

    def _text_since(self, start: int) -> str | None:
        parts: list[str] = []
        length = 0
        for index in range(start, len(self._pieces)):
            parts.append(self._pieces[index])
            length += len(self._pieces[index]) + 1
            if length > NAME_MAX_LENGTH:
                break
        return _line_name(" ".join(parts))
