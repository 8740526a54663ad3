import asyncio
import time
from pathlib import Path

import pytest

from app.peers.warp import WarpStatus, check_warp
from tests.fakes.warp_cli import calls, make_fake_warp_cli

JSON_CALL = ["--accept-tos", "--json", "status"]
TEXT_CALL = ["--accept-tos", "status"]


def check(warp_cli: str, *, timeout_seconds: float = 5.0) -> WarpStatus:
    return asyncio.run(check_warp(warp_cli, timeout_seconds=timeout_seconds))


@pytest.mark.parametrize(
    ("era", "expected"),
    [
        ("text-connected", WarpStatus("connected")),
        ("text-connected-network", WarpStatus("connected", details={"network": "healthy"})),
        ("text-disconnected", WarpStatus("disconnected", "Manual Disconnection")),
        ("text-disconnected-one-line", WarpStatus("disconnected", "Manual Disconnection")),
        ("text-connecting", WarpStatus("connecting")),
        ("text-connecting-reason", WarpStatus("connecting", "Establishing connection")),
        (
            "text-unable-one-line",
            WarpStatus(
                "error",
                "Registration Missing",
                error="WARP is unable to connect: Registration Missing",
            ),
        ),
        (
            "text-unable",
            WarpStatus(
                "error",
                "Registration Missing due to: Daemon Startup",
                error="WARP is unable to connect: Registration Missing due to: Daemon Startup",
            ),
        ),
        (
            "text-unable-dns",
            WarpStatus(
                "error",
                "Connectivity check failed due to DNS Lookup Failed",
                error="WARP is unable to connect: "
                "Connectivity check failed due to DNS Lookup Failed",
            ),
        ),
    ],
)
def test_text_eras_fall_back_after_the_json_flag_is_rejected(
    tmp_path: Path, era: str, expected: WarpStatus
) -> None:
    warp_cli = make_fake_warp_cli(tmp_path, era)

    assert check(warp_cli) == expected
    assert calls(warp_cli) == [JSON_CALL, TEXT_CALL]


@pytest.mark.parametrize(
    ("era", "expected"),
    [
        ("json-connected", WarpStatus("connected")),
        ("json-connected-healthy", WarpStatus("connected", "Network Healthy")),
        ("json-connecting", WarpStatus("connecting")),
        ("json-disconnected", WarpStatus("disconnected", "Manual Disconnect")),
        (
            "json-unable",
            WarpStatus(
                "error",
                "Registration Missing due to: Daemon Startup",
                error="WARP is unable to connect: Registration Missing due to: Daemon Startup",
            ),
        ),
        (
            "json-daemon-down",
            WarpStatus(
                "error",
                error="WARP daemon is not running: 'Unable to connect to the CloudflareWARP "
                "daemon: No such file or directory (os error 2)'",
            ),
        ),
    ],
)
def test_json_eras_answer_in_one_call(tmp_path: Path, era: str, expected: WarpStatus) -> None:
    warp_cli = make_fake_warp_cli(tmp_path, era)

    assert check(warp_cli) == expected
    assert calls(warp_cli) == [JSON_CALL]


@pytest.mark.parametrize(
    ("era", "message"),
    [
        (
            "daemon-down",
            "'Unable to connect to the CloudflareWARP daemon: No such file or directory "
            "(os error 2)'",
        ),
        (
            "daemon-down-old",
            "'Error: \"Unable to connect to CloudflareWARP daemon. "
            "Maybe the daemon is not running?\"'",
        ),
    ],
)
def test_daemon_down_is_an_error(tmp_path: Path, era: str, message: str) -> None:
    warp_cli = make_fake_warp_cli(tmp_path, era)

    assert check(warp_cli) == WarpStatus("error", error=f"WARP daemon is not running: {message}")


def test_binary_junk_is_an_error_not_a_crash(tmp_path: Path) -> None:
    result = check(make_fake_warp_cli(tmp_path, "binary-junk"))

    assert result.status == "error"
    assert result.reason is None
    assert result.error is not None
    assert result.error.startswith("warp-cli printed no recognisable status (exit 0): '\\x00")


def test_endless_output_is_cut_at_64_kib_and_the_process_stopped(tmp_path: Path) -> None:
    result = check(make_fake_warp_cli(tmp_path, "flood"))

    assert result == WarpStatus(
        "error",
        error="warp-cli printed no recognisable status (more than 64 KiB): '" + "x" * 119 + "…'",
    )


def test_hung_warp_cli_and_its_children_are_killed_after_the_timeout(tmp_path: Path) -> None:
    warp_cli = make_fake_warp_cli(tmp_path, "hang")
    started = time.monotonic()

    result = check(warp_cli, timeout_seconds=0.5)

    # The child the fake started keeps its output open: returning at all shows the whole
    # process group was killed, or reading to end of output would wait for an hour.
    assert time.monotonic() - started < 3
    assert result == WarpStatus("error", error="warp-cli did not answer within 0.5 s")
    assert calls(warp_cli) == [JSON_CALL]


def test_missing_binary_is_unavailable(tmp_path: Path) -> None:
    missing = str(tmp_path / "warp-cli")

    assert check(missing) == WarpStatus("unavailable", error=f"WARP_CLI {missing!r} was not found")


def test_binary_that_is_not_executable_is_unavailable(tmp_path: Path) -> None:
    warp_cli = make_fake_warp_cli(tmp_path, "text-connected")
    Path(warp_cli).chmod(0o644)

    assert check(warp_cli) == WarpStatus(
        "unavailable", error=f"WARP_CLI {warp_cli!r} is not executable"
    )
