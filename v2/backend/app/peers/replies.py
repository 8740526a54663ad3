"""The first reading of a peer's HTTP reply that every status parser shares: a 200, within
the size cap, holding JSON. What else came back is told as a sentence the parser puts into
its result's `error` (after "acexy at URL" or "AceStream engine at URL")."""

import json
from typing import Any

from app.peers import snippet
from app.peers.fetch import MAX_PEER_REPLY_BYTES, PeerReply


class ReplyProblem(Exception):
    """The reply is not what was asked for; the message says what it is instead."""


def json_of(reply: PeerReply, *, what: str, json_name: str = "JSON") -> Any:
    """The JSON value of `reply`, a 200 answer of at most MAX_PEER_REPLY_BYTES; otherwise
    ReplyProblem. `what` names the expected answer ("a status"), `json_name` the JSON in the
    message for a body that does not parse ("JSON", "a JSON status")."""
    if reply.status_code != 200:
        raise ReplyProblem(f"answered HTTP {reply.status_code}: {snippet(reply.body)}")
    if reply.truncated:
        cap = MAX_PEER_REPLY_BYTES // 1024
        raise ReplyProblem(f"sent more than {cap} KiB, which is not {what}")
    try:
        return json.loads(reply.body)
    except (ValueError, RecursionError):
        body = snippet(reply.body)
        raise ReplyProblem(f"sent something that is not {json_name}: {body}") from None
