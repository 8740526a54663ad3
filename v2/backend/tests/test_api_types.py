import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_pages_committed_api_types_match_the_openapi_document() -> None:
    """The page compiles against v2/frontend/src/api/api-types.ts; it must be what
    openapi-typescript writes for today's schema (`make api-types` rewrites it)."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api_types.py"), "--check"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "v2" / "backend")},
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 0, run.stderr
