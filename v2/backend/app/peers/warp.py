"""The Cloudflare WARP client's state, from `warp-cli status`.

`warp-cli --accept-tos --json status` is tried first; builds without `--json` reject it
(usage error) and some print text anyway, so when no JSON status comes back the plain
`warp-cli --accept-tos status` is run and its `Status update:` line read. Each known text
era is understood, including the old one-line `Disconnected. Reason: ...`.

Statuses: "connected", "connecting" and "disconnected" are WARP's own. "error" means
warp-cli ran but WARP is not working or could not say (the daemon is down, WARP is
"Unable", warp-cli hung or printed nothing readable). "unavailable" means warp-cli itself
cannot be run (not installed, not executable): the WARP feature is absent, not failing.
"""

import asyncio
import json
import os
import re
import signal
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from app.peers import snippet

WarpState = Literal["connected", "connecting", "disconnected", "error", "unavailable"]
DetailValue = str | int | float | bool

MAX_OUTPUT_BYTES = 64 * 1024

_JSON_STATES: dict[str, WarpState] = {
    "Connected": "connected",
    "Connecting": "connecting",
    "Disconnected": "disconnected",
    "Unable": "error",
}
# Text states in test order: "Disconnected" and "Unable" before "Connected" (case-sensitive).
_TEXT_STATES: tuple[tuple[str, WarpState], ...] = (
    ("Disconnected", "disconnected"),
    ("Unable", "error"),
    ("Connecting", "connecting"),
    ("Connected", "connected"),
)
_STATUS_PREFIX = "Status update:"
_ONE_LINE_STATUS = re.compile(r"^(Disconnected|Unable|Connecting|Connected)\b")
_DAEMON_DOWN = re.compile(
    r"Unable to connect to (the )?CloudflareWARP daemon|daemon is not running"
)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class WarpStatus:
    """`reason` is WARP's own explanation; `details` holds any other fields it printed
    (e.g. `network: healthy`); `error` is set for "error" and "unavailable"."""

    status: WarpState
    reason: str | None = None
    details: dict[str, DetailValue] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class _Output:
    returncode: int
    stdout: str
    stderr: str
    truncated: bool


async def check_warp(warp_cli: str, *, timeout_seconds: float) -> WarpStatus:
    """Run `warp_cli` (JSON, then text if needed) and return WARP's state; never raises.

    `timeout_seconds` bounds the whole check; a warp-cli still running then is killed with
    its process group (a hung daemon connection must not leave processes behind).
    """
    try:
        async with asyncio.timeout(timeout_seconds):
            output = await _run([warp_cli, "--accept-tos", "--json", "status"])
            status = _from_json(output.stdout)
            if status is None:
                status = _from_text(await _run([warp_cli, "--accept-tos", "status"]))
            return status
    except TimeoutError:
        return WarpStatus("error", error=f"warp-cli did not answer within {timeout_seconds:g} s")
    except FileNotFoundError:
        return WarpStatus("unavailable", error=f"WARP_CLI {warp_cli!r} was not found")
    except PermissionError:
        return WarpStatus("unavailable", error=f"WARP_CLI {warp_cli!r} is not executable")
    except OSError as exc:
        return WarpStatus(
            "unavailable", error=f"WARP_CLI {warp_cli!r} cannot be run: {exc.strerror or exc}"
        )


async def _run(argv: Sequence[str]) -> _Output:
    """Run without a shell in a new session (so its whole group can be killed)."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        (stdout, stdout_cut), (stderr, stderr_cut) = await asyncio.gather(
            _read_capped(process.stdout, partial(_kill_group, process)),
            _read_capped(process.stderr, partial(_kill_group, process)),
        )
        returncode = await process.wait()
    except BaseException:
        _kill_group(process)
        await process.communicate()  # drain the pipes so the process can be reaped
        raise
    return _Output(
        returncode,
        stdout.decode("utf-8", errors="replace"),
        stderr.decode("utf-8", errors="replace"),
        truncated=stdout_cut or stderr_cut,
    )


async def _read_capped(
    stream: asyncio.StreamReader, on_overflow: Callable[[], None]
) -> tuple[bytes, bool]:
    """The first MAX_OUTPUT_BYTES, and whether there was more. Past the cap the writer is
    stopped and the rest discarded; reading on to end of file lets it be reaped."""
    kept = bytearray()
    overflowed = False
    while chunk := await stream.read(MAX_OUTPUT_BYTES):
        room = MAX_OUTPUT_BYTES - len(kept)
        if len(chunk) > room:
            overflowed = True
            on_overflow()
        kept += chunk[:room]
    return bytes(kept), overflowed


def _kill_group(process: asyncio.subprocess.Process) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _from_json(stdout: str) -> WarpStatus | None:
    """None when stdout holds no JSON status, so the caller falls back to text."""
    try:
        data = json.loads(stdout)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if "code" in data:
        code = str(data["code"])
        message = snippet(str(data.get("error") or "no message"))
        if code == "FailedToConnectToDaemon":
            return WarpStatus("error", error=f"WARP daemon is not running: {message}")
        return WarpStatus("error", error=f"warp-cli reported {code}: {message}")
    raw_status = data.get("status")
    if not isinstance(raw_status, str):
        return None
    reason = _reason(data["reason"]) if data.get("reason") is not None else None
    details = {
        key: value
        for key, value in data.items()
        if key not in ("status", "reason") and isinstance(value, DetailValue)
    }
    state = _JSON_STATES.get(raw_status)
    if state is None:
        return WarpStatus("error", reason, details, f"unknown WARP status {raw_status!r}")
    return WarpStatus(state, reason, details, _state_error(state, reason))


def _reason(value: Any) -> str:
    """`"ManualDisconnect"` or `{"RegistrationMissing": "DaemonStartup"}` as words."""
    if isinstance(value, str):
        return _CAMEL_BOUNDARY.sub(" ", value)
    if isinstance(value, dict) and len(value) == 1:
        ((key, cause),) = value.items()
        return _reason(key) if cause is None else f"{_reason(key)} due to: {_reason(cause)}"
    return json.dumps(value)


def _from_text(output: _Output) -> WarpStatus:
    lines = [line.strip() for line in f"{output.stdout}\n{output.stderr}".splitlines()]
    daemon_down = next((line for line in lines if _DAEMON_DOWN.search(line)), None)
    if daemon_down is not None:
        return WarpStatus("error", error=f"WARP daemon is not running: {snippet(daemon_down)}")
    found = _find_status_line(lines)
    if found is None:
        what = (
            f"more than {MAX_OUTPUT_BYTES // 1024} KiB"
            if output.truncated
            else f"exit {output.returncode}"
        )
        seen = snippet(output.stdout + output.stderr)
        return WarpStatus(
            "error", error=f"warp-cli printed no recognisable status ({what}): {seen}"
        )
    status_index, status_text = found
    state_text, _, inline_reason = status_text.partition("Reason:")
    reason = inline_reason.strip() or None
    details: dict[str, DetailValue] = {}
    for index, line in enumerate(lines):
        key, separator, value = (part.strip() for part in line.partition(":"))
        if index == status_index or not (separator and key and value):
            continue
        if key == "Reason":
            reason = value
        else:
            details[key.lower().replace(" ", "_")] = value
    state = next((state for word, state in _TEXT_STATES if word in state_text), None)
    if state is None:
        return WarpStatus("error", reason, details, f"unknown WARP status {snippet(state_text)}")
    return WarpStatus(state, reason, details, _state_error(state, reason))


def _find_status_line(lines: list[str]) -> tuple[int, str] | None:
    """Where the status is and its text: the `Status update:` line wherever it is, else
    the old one-line form (`Disconnected. Reason: Manual Disconnection`)."""
    for index, line in enumerate(lines):
        if line.startswith(_STATUS_PREFIX):
            return index, line.removeprefix(_STATUS_PREFIX).strip()
    for index, line in enumerate(lines):
        if _ONE_LINE_STATUS.match(line):
            return index, line
    return None


def _state_error(state: WarpState, reason: str | None) -> str | None:
    if state != "error":
        return None
    return f"WARP is unable to connect: {reason or 'no reason given'}"
