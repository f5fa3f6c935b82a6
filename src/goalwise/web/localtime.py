"""Times shown in a client's own time zone (a Jinja filter: ``{{ dt | local(client.timezone) }}``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = ["local_time"]


def local_time(at: datetime | None, timezone: str) -> str:
    """``at`` as the client's wall clock, e.g. "2026-03-01 14:05 (Europe/London)"; "—" for None."""
    if at is None:
        return "—"
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return f"{aware.astimezone(ZoneInfo(timezone)).strftime('%Y-%m-%d %H:%M')} ({timezone})"
