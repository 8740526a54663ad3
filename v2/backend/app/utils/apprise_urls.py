"""Notification target URLs (Apprise's syntax): whether Apprise can use one, and an id for
one that shows nothing of it. (`app.utils.redaction` hides their secrets where they are shown.)"""

import functools
import hashlib


@functools.lru_cache(maxsize=256)
def url_problem(url: str) -> str | None:
    """Why Apprise cannot notify `url` (None if it can): an unknown scheme, or a URL its
    service refuses (a Telegram URL without a chat, ...)."""
    from apprise import Apprise  # on first use, as in notification_sender

    if "://" not in url:
        return "is not a URL: write it as scheme://... (Apprise's syntax, e.g. tgram://token/chat)"
    if Apprise.instantiate(url) is None:
        scheme = url.split("://", 1)[0]
        return (
            f"is not a notification URL Apprise can use (scheme {scheme}://): see "
            "https://appriseit.com/services/ for each service's syntax"
        )
    return None


def fingerprint(url: str) -> str:
    """A short, stable id of `url` that reveals nothing of it: which targets took a message."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]
