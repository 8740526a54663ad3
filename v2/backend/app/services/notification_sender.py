"""Send one message to one target through Apprise, and say how it went."""

import logging
from dataclasses import dataclass

from app.utils.redaction import redact_text

# Longest one target may take to answer; a slower one counts as failed and is retried.
SEND_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Delivery:
    """The outcome of one send: `ok`, and in `detail` what the target answered (redacted)."""

    ok: bool
    detail: str


class AppriseSender:
    """Sends through Apprise, one target at a time, so that each target has its own outcome."""

    def send(self, url: str, title: str, body: str, *, problem: bool) -> Delivery:
        """Send `title` and `body` to `url`; never raises for a failing target."""
        # Imported on first use: Apprise and its plugins are a tenth of the service's
        # import time, and most services never notify (`bench/startup.py`).
        from apprise import Apprise, NotifyType

        apprise = Apprise()
        if not apprise.add(url):
            return Delivery(ok=False, detail="Apprise cannot use this URL")
        try:
            result = apprise.notify(
                body,
                title=title,
                notify_type=NotifyType.FAILURE if problem else NotifyType.SUCCESS,
                timeout=SEND_TIMEOUT_SECONDS,
                log_level=logging.WARNING,
            )
        except Exception as exc:  # a plugin's bug must not stop the other targets' sends
            return Delivery(ok=False, detail=redact_text(f"{type(exc).__name__}: {exc}"))
        if result:
            return Delivery(ok=True, detail="delivered")
        complaints = [entry.message for entry in result.logs() if entry.level != "DEBUG"]
        detail = complaints[-1] if complaints else f"not delivered ({result.status.name.lower()})"
        return Delivery(ok=False, detail=redact_text(detail))
