"""Shared pieces of the command line: consoles, settings and the database, opened lazily."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console

from goalwise.config import Settings, get_settings
from goalwise.core.errors import ConfigError
from goalwise.services.accounts.keys import verify_key
from goalwise.services.context import Context, open_database
from goalwise.storage.engine import Database
from goalwise.storage.migrate import ensure_current

__all__ = ["err", "load_settings", "open_ctx", "open_db", "out", "print_json", "write_private"]

#: Data goes to stdout; messages, progress and errors go to stderr.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def load_settings() -> Settings:
    """The settings, with a malformed environment variable turned into a ``ConfigError``."""
    try:
        return get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "GOALWISE_" + str(first["loc"][0]).upper() if first.get("loc") else "a GOALWISE_ setting"
        raise ConfigError(
            f"{name} is invalid: {first['msg']}; fix it or unset it to use the default"
        ) from exc


def open_db(*, migrated: bool = True, as_owner: bool = False) -> Database:
    """The configured database; with ``migrated`` it must be at the newest migration.

    ``as_owner`` connects as the role that owns the tables (``GOALWISE_MIGRATION_DATABASE_URL``),
    for migrations; everything else runs as the app's role.
    """
    settings = load_settings()
    url = settings.resolved_migration_database_url if as_owner else settings.resolved_database_url
    db = open_database(settings, url)
    if migrated:
        ensure_current(db)
    return db


def open_ctx() -> Context:
    """The service context on the migrated database (the key file is created on first use)."""
    ctx = Context.open(load_settings(), open_db())
    verify_key(ctx)
    return ctx


def print_json(data: Any) -> None:
    """Machine-readable output on stdout, one document."""
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def write_private(path: Path, data: bytes | str) -> None:
    """Write a file that holds client data, readable by its owner only (0600), like the database.

    An existing file is tightened too, so an export never lands world-readable in a shared folder.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(payload)
