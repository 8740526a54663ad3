"""Choose the reader by what the text looks like, and merge what it finds (see the package
docstring for the order of the formats)."""

from app.parsing.acestream.common import ScrapedChannel, merge
from app.parsing.acestream.html_pages import looks_like_html, playlist_links, scan_html
from app.parsing.acestream.json_lists import json_document, scan_json
from app.parsing.acestream.m3u import is_playlist, scan_playlist
from app.parsing.acestream.text import scan_text


def extract_channels(text: str, *, source_url: str, bare_ids: bool = False) -> list[ScrapedChannel]:
    """Return the channels of a scraped page, one per (kind, id), in order of first appearance.

    Names come from the `#EXTINF` line of a playlist; from a JSON object's `name`/`title`;
    from the text of an HTML link to the id, else from the text next to it (its line, its list
    item / table row / paragraph, the text or heading before it); from a script's
    `{name, url}` objects or the `NAME: acestream://ID` lines of its strings; in plain text
    from the id's line or the title line before it. The first occurrence of an id wins, field
    by field, but a later occurrence fills a field the first left empty. `source_url` resolves
    relative logo URLs; logos that are not http(s) are dropped. `bare_ids` also takes
    40-hex words without a scheme (see the package docstring for which are never taken).
    """
    text = text.removeprefix("\ufeff")
    if is_playlist(text):
        found = scan_playlist(text, source_url)
    elif (document := json_document(text)) is not None:
        found = scan_json(document, bare_ids=bare_ids, source_url=source_url)
    elif looks_like_html(text):
        found = scan_html(text, bare_ids=bare_ids)
    else:
        found = scan_text(text, bare_ids=bare_ids)
    return merge(found)


def linked_playlists(text: str, *, source_url: str) -> list[str]:
    """The M3U/W3U lists an HTML page links to (`<a href="....m3u8">`), for the scraper to follow.

    Relative links are resolved against `source_url`; only http(s) URLs whose path ends in
    .m3u, .m3u8 or .w3u count, each once, in page order, at most MAX_LINKED_LISTS. A playlist,
    JSON or plain text links nothing (the scraper follows one level only).
    """
    if is_playlist(text) or not looks_like_html(text):
        return []
    return playlist_links(text, source_url)
