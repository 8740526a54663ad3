"""Plain text: `NAME: acestream://ID` lines, or a title line followed by an id line.

The JSON and script readers hand it the strings that hold more than an id."""

from app.parsing.acestream.common import Found, ids_in, line_name, without_ids


def scan_text(text: str, *, bare_ids: bool, default_name: str | None = None) -> list[Found]:
    """Ids named by the rest of their line ("ESPN: acestream://..."), else by the line before
    when that line has no id (NEW ERA's listaplana.txt: a title line, then the id line), else
    `default_name`."""
    found: list[Found] = []
    title: str | None = None
    for line in text.splitlines():
        ids = ids_in(line, bare_ids)
        if not ids:
            title = line if line.strip() else title
            continue
        name = line_name(without_ids(line)) or line_name(title or "") or default_name
        title = None
        found.extend(Found(kind, content_id, name) for kind, content_id in ids)
    return found
