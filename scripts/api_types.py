"""Write the page's API types from the service's own OpenAPI document.

`make api-types` runs this after a schema or an endpoint changes; the test suite runs it with
`--check`, which fails while the committed file differs from what the generator writes, so the
page can never compile against a shape the server no longer sends. The types come from
openapi-typescript (pinned in v2/frontend/package.json) rather than from hand-written interfaces.

Needs `PYTHONPATH=v2/backend` (for `app`) and v2/frontend/node_modules (`npm ci`). No database:
`app.openapi()` reads only the routes and models, and the lifespan that connects never runs.
"""

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from app.core.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "v2" / "frontend"
TYPES_FILE = FRONTEND / "src" / "api" / "api-types.ts"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"


def generate_types() -> str:
    """Return the TypeScript that openapi-typescript writes for the service's OpenAPI document.

    The document depends on no setting (defaults are used), so any environment yields the same file.
    """
    if not GENERATOR.exists():
        sys.exit(f"{GENERATOR.relative_to(ROOT)} is missing: run `npm ci` in v2/frontend first")
    document = create_app(Settings(_env_file=None)).openapi()
    with tempfile.TemporaryDirectory() as folder:
        schema, types = Path(folder, "openapi.json"), Path(folder, "api-types.ts")
        schema.write_text(json.dumps(document, indent=2), encoding="utf-8")
        # A fixed program and our own temporary files: no untrusted input reaches the command.
        run = subprocess.run(  # noqa: S603
            [str(GENERATOR), str(schema), "--output", str(types)], capture_output=True, text=True
        )
        if run.returncode != 0:
            sys.exit(f"openapi-typescript failed:\n{run.stdout}{run.stderr}")
        return types.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 with a diff when the committed file is out of date; write nothing",
    )
    args = parser.parse_args()
    wanted = generate_types()
    name = str(TYPES_FILE.relative_to(ROOT))
    if not args.check:
        TYPES_FILE.write_text(wanted, encoding="utf-8")
        print(f"wrote {name}")
        return
    current = TYPES_FILE.read_text(encoding="utf-8") if TYPES_FILE.exists() else ""
    if current != wanted:
        diff = difflib.unified_diff(
            current.splitlines(), wanted.splitlines(), name, "generated", lineterm="", n=1
        )
        sys.exit(
            f"{name} is out of date with the service's OpenAPI document: run `make api-types`\n"
            + "\n".join(list(diff)[:60])
        )


if __name__ == "__main__":
    main()
