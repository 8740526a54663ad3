"""A fake `warp-cli`: an executable script that prints what one era of the real one prints
(as recorded by the projects that parse it), so the client runs a real subprocess in tests.

    path = make_fake_warp_cli(tmp_path, "text-disconnected")
    calls(path)  # -> [["--accept-tos", "--json", "status"], ["--accept-tos", "status"]]

Eras without JSON answer `--json` like a build that lacks the flag: clap's usage error on
stderr, exit 2. "hang" sleeps (with a child holding its output open, as a stuck daemon
connection might) until it is killed; "flood" writes output without end.
"""

import json
import stat
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Reply:
    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int = 0


@dataclass(frozen=True)
class Era:
    json: Reply | None  # None: the build has no --json flag
    text: Reply


NO_JSON_FLAG = Reply(
    stderr=b"error: unexpected argument '--json' found\n\n"
    b"  tip: to pass '--json' as a value, use '-- --json'\n\n"
    b"Usage: warp-cli [OPTIONS] <COMMAND>\n\nFor more information, try '--help'.\n",
    exit_code=2,
)
DAEMON_DOWN_TEXT = Reply(
    stderr=b"Unable to connect to the CloudflareWARP daemon: No such file or directory "
    b"(os error 2)\nMaybe the daemon is not running?\n",
    exit_code=1,
)
JUNK = bytes(range(256)) * 4


def _text(stdout: str) -> Reply:
    return Reply(stdout=stdout.encode())


def _json(stdout: str) -> Reply:
    return Reply(stdout=stdout.encode() + b"\n")


ERAS: dict[str, Era] = {
    "text-connected": Era(None, _text("Status update: Connected\n")),
    "text-connected-network": Era(None, _text("Status update: Connected\nNetwork: healthy\n")),
    "text-disconnected": Era(
        None, _text("Status update: Disconnected\nReason: Manual Disconnection\n")
    ),
    "text-disconnected-one-line": Era(None, _text("Disconnected. Reason: Manual Disconnection\n")),
    "text-connecting": Era(None, _text("Status update: Connecting\n")),
    "text-connecting-reason": Era(
        None, _text("Status update: Connecting\nReason: Establishing connection\n")
    ),
    "text-unable-one-line": Era(
        None, _text("Status update: Unable to connect. Reason: Registration Missing\n")
    ),
    "text-unable": Era(
        None, _text("Status update: Unable\nReason: Registration Missing due to: Daemon Startup\n")
    ),
    "text-unable-dns": Era(
        None,
        _text(
            "Status update: Unable\nReason: Connectivity check failed due to DNS Lookup Failed\n"
        ),
    ),
    "daemon-down": Era(None, DAEMON_DOWN_TEXT),
    "daemon-down-old": Era(
        None,
        Reply(
            stderr=b'Error: "Unable to connect to CloudflareWARP daemon. '
            b'Maybe the daemon is not running?"\n',
            exit_code=1,
        ),
    ),
    "json-connected": Era(
        _json('{"status":"Connected"}'), _text("Status update: Connected\nNetwork: healthy\n")
    ),
    "json-connected-healthy": Era(
        _json('{"status":"Connected","reason":"NetworkHealthy"}'),
        _text("Status update: Connected\nNetwork: healthy\n"),
    ),
    "json-connecting": Era(_json('{"status":"Connecting"}'), _text("Status update: Connecting\n")),
    "json-disconnected": Era(
        _json('{"status":"Disconnected","reason":{"ManualDisconnect":null}}'),
        _text("Status update: Disconnected\nReason: Manual Disconnection\n"),
    ),
    "json-unable": Era(
        _json('{"status":"Unable","reason":{"RegistrationMissing":"DaemonStartup"}}'),
        _text("Status update: Unable\nReason: Registration Missing due to: Daemon Startup\n"),
    ),
    "json-daemon-down": Era(
        Reply(
            stdout=b'{"code":"FailedToConnectToDaemon","error":"Unable to connect to the '
            b'CloudflareWARP daemon: No such file or directory (os error 2)"}\n',
            exit_code=1,
        ),
        DAEMON_DOWN_TEXT,
    ),
    "binary-junk": Era(Reply(stdout=JUNK), Reply(stdout=JUNK)),
}
MISBEHAVING = ("hang", "flood")

_SCRIPT = """#!{python}
import json, subprocess, sys, time

with open({calls!r}, "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
misbehaviour = {misbehaviour!r}
if misbehaviour == "hang":
    # sync-ok: this is the fake peer hanging on purpose, not a test waiting
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])  # sync-ok
    time.sleep(3600)  # sync-ok
if misbehaviour == "flood":
    while True:
        sys.stdout.buffer.write(b"x" * 65536)
reply = {json_reply!r} if "--json" in sys.argv else {text_reply!r}
sys.stdout.buffer.write(reply[0])
sys.stderr.buffer.write(reply[1])
sys.exit(reply[2])
"""


def make_fake_warp_cli(directory: Path, era: str) -> str:
    """Write an executable fake warp-cli for `era` (a key of ERAS, or "hang" / "flood")."""
    if era not in ERAS and era not in MISBEHAVING:
        raise ValueError(f"unknown warp-cli era {era!r}")
    path = directory / "warp-cli"
    behaviour = ERAS.get(era, Era(None, Reply()))
    json_reply = behaviour.json or NO_JSON_FLAG
    path.write_text(
        _SCRIPT.format(
            python=sys.executable,
            calls=f"{path}.calls",
            misbehaviour=era if era in MISBEHAVING else None,
            json_reply=(json_reply.stdout, json_reply.stderr, json_reply.exit_code),
            text_reply=(behaviour.text.stdout, behaviour.text.stderr, behaviour.text.exit_code),
        )
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def calls(warp_cli: str) -> list[list[str]]:
    """The argument lists the fake was run with, in order."""
    log = Path(f"{warp_cli}.calls")
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]
