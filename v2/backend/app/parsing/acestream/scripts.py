"""The JavaScript of a page's <script>: ids named from the string and object literals they are
in."""

import re

from app.parsing.acestream.common import (
    NAME_KEYS,
    Found,
    clean_text,
    ids_in,
    linked_ids,
    without_ids,
)
from app.parsing.acestream.text import scan_text

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


def scan_script(script: str, bare_ids: bool) -> list[Found]:
    """The ids of a <script>, named from the string literals they are in.

    A literal that is just a link takes the `name`/`title` of the same object literal
    (`linksData = {"links": [{"name": "ESPN", "url": "acestream://..."}]}`, keys quoted or
    not, either order); a literal with more text is read as lines of text (`fileContents =
    {"listaplana.txt": `ESPN: acestream://...`}`). Ids outside literals are found unnamed.
    """
    found: list[Found] = []
    name: str | None = None
    unnamed: list[Found] = []
    key: str | None = None
    position = 0
    while (quote := _JS_QUOTE.search(script, position)) is not None:
        start, gap = position, script[position : quote.start()]
        body = _JS_BODY[quote[0]].match(script, quote.end())
        assert body is not None  # the body pattern matches the empty string
        position = body.end() + 1
        if script[body.end() : position] != quote[0]:  # unterminated: code, not a string
            found.extend(Found(*id_) for id_ in linked_ids(script[start:position]))
            continue
        if "{" in gap or "}" in gap:  # another object: its name is not this one's
            name, unnamed = None, []
        found.extend(Found(*id_) for id_ in linked_ids(gap))
        if (unquoted := _JS_UNQUOTED_KEY.search(gap[-64:])) is not None:
            key = unquoted[1]
        value = _JS_ESCAPE.sub(_js_unescape, body[0])
        if _JS_COLON.match(script, position) is not None:
            key = value
            continue
        value_key, key = (key or "").lower(), None
        ids = ids_in(value, bare_ids)
        if not ids:
            if value_key in NAME_KEYS and (name := clean_text(value)) is not None:
                for item in unnamed:
                    item.name = name
                unnamed = []
        elif without_ids(value):
            found.extend(scan_text(value, bare_ids=bare_ids))
        else:
            for kind, content_id in ids:
                item = Found(kind, content_id, name)
                found.append(item)
                if name is None:
                    unnamed.append(item)
    found.extend(Found(*id_) for id_ in linked_ids(script[position:]))
    return found


def _js_unescape(match: re.Match[str]) -> str:
    escaped = match[1]
    if len(escaped) == 5:
        return chr(int(escaped[1:], 16))
    return {"n": "\n", "r": "\n", "t": " "}.get(escaped, escaped)
