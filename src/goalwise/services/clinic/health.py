"""Whether this installation can serve requests.

The database answers, is fully migrated and accepts writes (not full, not read-only), and the
key file that encrypts free text is still in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from goalwise.core.errors import ConfigError, StorageError
from goalwise.services.context import Context
from goalwise.storage.migrate import ensure_current

__all__ = ["Health", "check_health"]


@dataclass(frozen=True, slots=True)
class Health:
    """The answer of a health check: ``ok``, or the reason it is not, worded for an operator."""

    ok: bool
    reason: str | None = None


def check_health(ctx: Context) -> Health:
    """Check the database (reachable, at the newest migration, writable) and the key file.

    One tiny write (the schema version, unchanged) and one small file read: cheap enough for a
    load balancer to call every second.
    """
    try:
        ensure_current(ctx.db)
        ctx.db.check_writable()
        ctx.keys.check_file()
    except (StorageError, ConfigError) as exc:
        return Health(ok=False, reason=exc.message)
    return Health(ok=True)
