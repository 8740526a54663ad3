"""`python -m app`: serve on HOST:PORT with the settings from the environment."""

import sys
from functools import partial

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from app.core.config import ConfigurationError, load_settings
from app.core.server import HeadLimitedHttpToolsProtocol, Server
from app.main import create_app, end_streams


def main() -> None:
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        sys.exit(str(exc))
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        http=HeadLimitedHttpToolsProtocol,
    )
    server = Server(config, before_stopping=partial(end_streams, app))
    server.run()
    if not server.started:  # as uvicorn.run ends when the app fails to start
        sys.exit(STARTUP_FAILURE)


if __name__ == "__main__":
    main()
