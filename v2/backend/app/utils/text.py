"""Text from outside the service (scraped pages, guides, exception messages), cleaned once
where it enters, so that every store and every output downstream can take it as it is.

PostgreSQL's text and jsonb refuse NUL: one such character in a scraped `tvg-logo` failed a
whole scrape there, and went raw into `playlist.m3u` on SQLite. Other control characters
(escape sequences, a CR or LF inside a name) break an M3U line or a log line. Each of them is
shown as U+FFFD, so that a reader sees something was there; in a single-line value (a name, a
URL) line breaks and tabs become spaces instead.
"""

import re

REPLACEMENT = "\ufffd"

# C0 controls, DEL and C1 controls (NEL, U+0085, among them).
_CONTROLS = "\x00-\x1f\x7f-\x9f"
# What str.splitlines() splits at, plus the tab: spaces in a single-line value.
_BREAKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
_KEPT_IN_MULTILINE = "\t\n\r"

_CONTROL_CODES = [*range(0x20), *range(0x7F, 0xA0)]
_SINGLE_LINE_TABLE = str.maketrans(
    dict.fromkeys(_CONTROL_CODES, REPLACEMENT) | dict.fromkeys(map(ord, _BREAKS), " ")
)
_MULTILINE_TABLE = str.maketrans(
    dict.fromkeys(set(_CONTROL_CODES) - set(map(ord, _KEPT_IN_MULTILINE)), REPLACEMENT)
)
# Most text has nothing to clean and is returned without a translate.
_SINGLE_LINE_DIRTY = re.compile(f"[{_CONTROLS}\u2028\u2029]")
_MULTILINE_DIRTY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Return `value` with control characters shown as U+FFFD.

    A single-line value (the default: names, ids, URLs) also has its line breaks and tabs
    turned into spaces; `multiline` text (a message, a stack trace) keeps tab, LF and CR.
    """
    if value.isprintable():  # a C scan, several times faster than the search below
        return value
    if multiline:
        if _MULTILINE_DIRTY.search(value) is None:
            return value
        return value.translate(_MULTILINE_TABLE)
    if _SINGLE_LINE_DIRTY.search(value) is None:
        return value
    return value.translate(_SINGLE_LINE_TABLE)


def clean_optional(value: str | None) -> str | None:
    """`clean_text` for a single-line value that may be absent."""
    return None if value is None else clean_text(value)
