"""JSON documents: Elcano's `hashes.json`, W3U lists, channel arrays.

Named `json_lists`, not `json`, so that it never stands for the standard library's module."""

import json
from typing import Any, NamedTuple

from app.parsing.acestream.common import (
    LINK,
    NAME_KEYS,
    Found,
    clean_text,
    ids_in,
    logo_url,
    without_ids,
)
from app.parsing.acestream.text import scan_text

# JSON nested deeper than this is not searched: real lists are 3-5 levels deep, and the walk
# is recursive.
MAX_JSON_DEPTH = 64
_LOGO_KEYS = ("logo", "tvg-logo", "image", "icon")
_GROUP_KEYS = ("group", "group-title", "category", "grupo")
_TVG_ID_KEYS = ("tvg-id", "tvg_id", "epg-id", "epg_id")


class _JsonContext(NamedTuple):
    bare_ids: bool
    source_url: str


def json_document(text: str) -> Any:
    """The parsed document if `text` is a JSON object or array, else None."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        return None


def scan_json(document: Any, *, bare_ids: bool, source_url: str) -> list[Found]:
    """The ids of a parsed JSON document, in document order (see `_walk_json`)."""
    found: list[Found] = []
    _walk_json(document, _JsonContext(bare_ids, source_url), found, depth=0)
    return found


def _json_text(fields: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and LINK.search(value) is None:
            return clean_text(value)
    return None


def _walk_json(
    value: Any,
    context: _JsonContext,
    found: list[Found],
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
        own_name = _json_text(fields, NAME_KEYS)
        here = own_name or name
        group_here = _json_text(fields, _GROUP_KEYS) or group
        logo = logo_url(_json_text(fields, _LOGO_KEYS) or "", context.source_url)
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
                title = None if new_found else clean_text(item)
            else:
                _walk_json(item, context, found, depth=depth + 1, name=name, group=group)


def _json_string(text: str, context: _JsonContext, name: str | None) -> list[Found]:
    """The ids of one JSON string: named `name` when the string is only the id or link,
    otherwise read as lines of text."""
    ids = ids_in(text, context.bare_ids)
    if not ids:
        return []
    if not without_ids(text):
        return [Found(kind, content_id, name) for kind, content_id in ids]
    return scan_text(text, bare_ids=context.bare_ids, default_name=name)
