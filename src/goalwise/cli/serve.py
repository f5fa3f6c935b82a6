"""``goalwise serve``: run the web application."""

from __future__ import annotations

import os
from typing import Any

import typer

from goalwise.cli.runtime import err, load_settings, open_ctx
from goalwise.config import Settings, get_settings
from goalwise.core.errors import ConfigError
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


def check_workers(settings: Settings, workers: int, *, reload: bool) -> None:
    """Refuse several processes on SQLite (one writer; docs/operations.md) or with ``--reload``."""
    if workers <= 1:
        return
    if reload:
        raise ConfigError("--reload restarts one process; use it without --workers")
    if settings.resolved_database_url.startswith("sqlite"):
        raise ConfigError(
            "--workers needs PostgreSQL: SQLite serves from one process (it has one writer at a time); "
            "set GOALWISE_DATABASE_URL to PostgreSQL to run several (docs/operations.md, scaling out)"
        )


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on; default GOALWISE_HOST."),
    port: int | None = typer.Option(None, "--port", help="Port; default GOALWISE_PORT (8000)."),
    reload: bool = typer.Option(False, "--reload", help="Restart when the code changes (development)."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="App processes (PostgreSQL only; SQLite serves from one)."
    ),
) -> None:
    """Serve the web app and the JSON API."""
    import uvicorn

    settings = load_settings()
    check_workers(settings, workers, reload=reload)
    # Refuse to start, in one line, on a database that is not migrated or a key file that is missing
    # or cannot read the stored text (the app checks again when uvicorn builds it).
    open_ctx().db.dispose()
    host = host or settings.host
    port = port or settings.port
    # The app (built by uvicorn, in this process or in each worker) reads its settings from the
    # environment: it must know the address it really serves on, for links when GOALWISE_BASE_URL
    # is unset.
    os.environ["GOALWISE_HOST"], os.environ["GOALWISE_PORT"] = host, str(port)
    get_settings.cache_clear()
    err.print(f"Goalwise is serving on [bold]http://{host}:{port}[/] (Ctrl+C to stop).")
    uvicorn.run(
        "goalwise.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers if workers > 1 else None,
        **serve_options(settings),
        # Forwarded headers are read by the app, from GOALWISE_TRUSTED_PROXIES only, never by uvicorn.
        proxy_headers=False,
    )
