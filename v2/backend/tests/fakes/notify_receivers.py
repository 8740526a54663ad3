"""Real receivers for notifications on 127.0.0.1: a JSON webhook (Apprise's `json://`) and
an SMTP server (Apprise's `mailto://`, through aiosmtpd).

    with serve_webhook() as hook:
        hook.statuses = [500, 200]  # answer 500 once, then 200
        ...  # json://127.0.0.1:{hook.port}/
        hook.received  # the JSON bodies, in order
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from tests.fakes.http_peer import closed_port_url


@dataclass
class Webhook:
    port: int
    # Statuses to answer, one per request; once used up, 200 for every request.
    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"


@contextmanager
def serve_webhook() -> Iterator[Webhook]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                hook.attempts += 1
                status = hook.statuses.pop(0) if hook.statuses else 200
                if status == 200:
                    hook.received.append(json.loads(body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook = Webhook(port=server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Mailbox:
    port: int
    messages: list[Message] = field(default_factory=list)

    def url(self, password: str) -> str:
        return (
            f"mailto://alerts:{password}@127.0.0.1:{self.port}"
            "?from=alerts@example.org&to=admin@example.org&secure=no&smtp=127.0.0.1"
        )


class _Collect:
    def __init__(self, mailbox: Mailbox) -> None:
        self._mailbox = mailbox

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or b""
        self._mailbox.messages.append(message_from_bytes(content))
        return "250 Message accepted for delivery"


def _any_login(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    """Accepts every login: the tests check what is sent, not who sends it."""
    return AuthResult(success=True)


@contextmanager
def serve_mailbox() -> Iterator[Mailbox]:
    # aiosmtpd checks its server by connecting to the port it was given: it needs a real one.
    port = int(closed_port_url().rsplit(":", 1)[1])
    mailbox = Mailbox(port=port)
    controller = Controller(
        _Collect(mailbox),
        hostname="127.0.0.1",
        port=port,
        authenticator=_any_login,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
