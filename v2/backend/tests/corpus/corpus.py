"""Where the shared corpus of real inputs is, and what it says each file should yield.

The corpus sits beside the repository (`../shared/corpus`), in CI as on a developer's machine.
Without it the corpus tests skip, unless REQUIRE_CORPUS=1 (as in CI) makes that a failure.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[4].parent / "shared" / "corpus"
REQUIRE_CORPUS = os.environ.get("REQUIRE_CORPUS") == "1"


def require_corpus() -> None:
    """Skip (or fail, with REQUIRE_CORPUS=1) when the corpus is not there."""
    if not (CORPUS / "expected.json").is_file():
        message = f"the corpus is not at {CORPUS}"
        if REQUIRE_CORPUS:
            pytest.fail(message)
        pytest.skip(f"{message} (REQUIRE_CORPUS=1 makes this a failure)")


def expected(section: str) -> dict[str, Any]:
    """The `section` ("scrape" or "epg") of expected.json; skips as `require_corpus`."""
    require_corpus()
    entries: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))[
        section
    ]
    return entries
