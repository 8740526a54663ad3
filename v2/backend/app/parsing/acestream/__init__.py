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
took 37 s for 80 kB of `<a `), so HTML goes through the small tokenizer of `html_pages`
instead.

Layout: `reader` picks the format and merges; one module reads each format (`m3u`,
`json_lists`, `html_pages`, `text`, and `scripts` for a page's <script>); `common` holds what
they share. A JSON or script string with more than an id in it is read as plain text, so
`json_lists` and `scripts` use `text`, and `html_pages` uses `scripts`; nothing else crosses.
"""

from app.parsing.acestream.common import ScrapedChannel
from app.parsing.acestream.reader import extract_channels, linked_playlists

__all__ = ["ScrapedChannel", "extract_channels", "linked_playlists"]
