"""`python -m app`: serve on HOST:PORT with the settings from the environment."""

import sys

import uvicorn

from app.core.config import ConfigurationError, load_settings
from app.core.server import HeadLimitedHttpToolsProtocol
from app.main import create_app


def main() -> None:
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        sys.exit(str(exc))
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        http=HeadLimitedHttpToolsProtocol,
    )


if __name__ == "__main__":
    main()
