"""HTML (and XML, such as a W3U `<channel>` list): each id named from its link text or the text
around it, and the M3U/W3U lists a page links to.

CPython's `html.parser` is quadratic on unterminated markup (see the package docstring), so a
page goes through the small tokenizer here, linear however broken the markup.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from app.parsing.acestream.common import (
    BARE_ID,
    LINK,
    NAME_MAX_LENGTH,
    Found,
    clean_text,
    ids_in,
    line_name,
    linked_ids,
    without_ids,
)
from app.parsing.acestream.scripts import scan_script

# Open <li>/<ul>/... beyond this depth are ignored: no page needs it, and it bounds the memory
# and the pending-name bookkeeping of a page that opens a million lists.
MAX_NESTING = 512
# A page linking more lists than this has the first ones followed (the scraper fetches each).
MAX_LINKED_LISTS = 10
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
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
_HUGE_DECIMAL_REFERENCE = re.compile(r"&#[0-9]{8,}")


def looks_like_html(text: str) -> bool:
    """Whether `text` has anything tag-like: then it is read as HTML (or XML)."""
    return _HTML_HINT.search(text) is not None


def scan_html(text: str, *, bare_ids: bool) -> list[Found]:
    """The ids of a page in page order, each named as `_HtmlScanner` says."""
    return _HtmlScanner(bare_ids=bare_ids).scan(text)


def playlist_links(text: str, source_url: str) -> list[str]:
    """The lists the `<a href>`s of a page point to (see `linked_playlists` for which count)."""
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


def _unescape(text: str) -> str:
    try:
        return html.unescape(text)
    except ValueError:
        # int() refuses decimal strings over 4,300 digits, and html.unescape lets that escape.
        # Eight digits are already past U+10FFFF, which unescape renders as U+FFFD too.
        return html.unescape(_HUGE_DECIMAL_REFERENCE.sub("\ufffd", text))


@dataclass(slots=True)
class _Frame:
    """An open <li>, <tr>, <p>, heading or container.

    `pending` holds the ids inside it still without a name, each with the heading that preceded
    it; `text_start` indexes the first piece of text inside it.
    """

    tag: str
    text_start: int
    pending: list[tuple[Found, str | None]] = field(default_factory=list)


@dataclass(slots=True)
class _Link:
    """An open <a> whose attributes carry ids; its text names them when the link closes,
    unless it shows an id (`<a href="acestream://ID">ID</a>`): then it is a caption."""

    found: list[Found]
    text: list[str] = field(default_factory=list)
    length: int = 0
    shows_id: bool = False


class _HtmlScanner:
    """Tokenize a page once, naming each id from its link text or the text around it.

    Text of id links is kept apart from the surrounding text, so a row "ESPN | <a>Play</a>"
    is named "ESPN". Outside any list item, row or paragraph, an id without a name of its own
    takes the text before it up to the previous block tag, else the last such run of text (the
    `<div>` label above a copy-box, a W3U `<title>`); a <button>'s text ("Copy") is no name.
    Comments are skipped (not shown by a browser); <script> is read by `scan_script`, <style>
    only searched for ids. Unclosed elements are closed as a browser would at the next
    <li>/<tr>/heading, at the end tag of an outer element, or at the end.
    """

    def __init__(self, *, bare_ids: bool = False) -> None:
        self._bare_ids = bare_ids
        self._found: list[Found] = []
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

    def scan(self, text: str) -> list[Found]:
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
                    self._found.extend(scan_script(text[position:stop], self._bare_ids))
                else:
                    self._found.extend(Found(*id_) for id_ in linked_ids(text[position:stop]))
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
        if LINK.search(text) is None and not (bare_ids and BARE_ID.search(text)):
            self._add_text(without_ids(text))
            return
        words: list[str] = []
        for line in text.splitlines():
            line_text = without_ids(line)
            words.append(line_text)
            for kind, content_id in ids_in(line, bare_ids):
                found = Found(kind, content_id)
                self._found.append(found)
                self._run_has_id = True
                if self._link is not None:
                    self._link.found.append(found)
                else:
                    found.name = line_name(line_text)
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
            self._label = line_name(" ".join(self._run)) or self._label
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
        found = [Found(*id_) for id_ in linked_ids(_unescape(attributes))]
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
        name = clean_text(" ".join(link.text))
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

    def _defer(self, found: Found, fallback: str | None = None) -> None:
        """Name `found` later from its enclosing block (else the heading before it), or now
        from the text run before it (else the last run)."""
        if self._stack:
            self._stack[-1].pending.append((found, self._heading or fallback))
        else:
            run = line_name(" ".join(self._run)) if self._run else None
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
        return line_name(" ".join(parts))
