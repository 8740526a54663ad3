"""Clients for the peers the dashboard watches: acexy, the AceStream engine and warp-cli.

Each check makes one attempt and never raises; what went wrong comes back as a sentence in
the result's `error`. The HTTP checks go through `fetch.fetch_reply`, so both read at most
MAX_PEER_REPLY_BYTES and give up after the deadline they are given.
"""


def snippet(data: bytes | str, limit: int = 120) -> str:
    """A short, quoted, single-line excerpt of what a peer sent, safe to put in a message."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)
