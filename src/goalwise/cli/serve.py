"""``goalwise serve``: run the web application."""

from __future__ import annotations

from typing import Any

import typer

from goalwise.cli.runtime import err, load_settings, open_ctx
from goalwise.config import Settings
from goalwise.web.logsafe import log_config


def serve_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options that keep client content out of logs and the software's name out of headers."""
    return {
        "log_level": settings.log_level.lower(),
        # Redacted logging: no traceback or exception text (they carry SQL parameters), no access log.
        "log_config": log_config(settings.log_level),
        "access_log": False,
        "server_header": False,
    }


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on; default GOALWISE_HOST."),
    port: int | None = typer.Option(None, "--port", help="Port; default GOALWISE_PORT (8000)."),
    reload: bool = typer.Option(False, "--reload", help="Restart when the code changes (development)."),
) -> None:
    """Serve the web app and the JSON API."""
    import uvicorn

    settings = load_settings()
    # Refuse to start, in one line, on a database that is not migrated or a key file that is missing
    # or cannot read the stored text (the app checks again when uvicorn builds it).
    open_ctx().db.dispose()
    host = host or settings.host
    port = port or settings.port
    err.print(f"Goalwise is serving on [bold]http://{host}:{port}[/] (Ctrl+C to stop).")
    uvicorn.run(
        "goalwise.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        **serve_options(settings),
        # Forwarded headers are read by the app, from GOALWISE_TRUSTED_PROXIES only, never by uvicorn.
        proxy_headers=False,
    )
