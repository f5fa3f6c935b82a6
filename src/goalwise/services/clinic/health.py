"""Whether this installation can serve requests: the database answers and is fully migrated."""

from __future__ import annotations

from dataclasses import dataclass

from goalwise.core.errors import StorageError
from goalwise.services.context import Context
from goalwise.storage.migrate import ensure_current

__all__ = ["Health", "check_health"]


@dataclass(frozen=True, slots=True)
class Health:
    """The answer of a health check: ``ok``, or the reason it is not, worded for an operator."""

    ok: bool
    reason: str | None = None


def check_health(ctx: Context) -> Health:
    """Check that the database is reachable and at the newest migration.

    Reads only the schema version, so it is cheap enough for a load balancer to call every second.
    """
    try:
        ensure_current(ctx.db)
    except StorageError as exc:
        return Health(ok=False, reason=exc.message)
    return Health(ok=True)
