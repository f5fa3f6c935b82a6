"""A client's own settings: their time zone and the region whose crisis lines they see.

The crisis lines follow the client, not the installation: a client in ``Europe/London`` sees
Samaritans and 999 even when the clinic's default region is the US (``core/measurement/crisis.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.client import is_iana_timezone
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.measurement import crisis
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.storage.tables import clients

__all__ = ["ClientSettings", "client_crisis_text", "crisis_text_in", "read_settings", "save_settings"]


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """What the settings page shows: ``chosen_region`` is None while the time zone decides."""

    client_id: int
    timezone: str
    chosen_region: str | None
    region: str | None
    crisis_text: str


def _text(ctx: Context, region: str | None) -> str:
    if region is None:  # the zone names no place (UTC) and nothing was chosen: the clinic's default
        return ctx.settings.resolved_crisis_text
    return crisis.crisis_text(region, ctx.settings.crisis_text)


def _load(conn: Connection, ctx: Context, client_id: int) -> ClientSettings:
    row = conn.execute(
        select(clients.c.timezone, clients.c.crisis_region).where(clients.c.id == client_id)
    ).first()
    if row is None:
        raise NotFound(f"client {client_id} not found")
    region = crisis.resolve_region(row.crisis_region, row.timezone)
    return ClientSettings(client_id, row.timezone, row.crisis_region, region, _text(ctx, region))


def crisis_text_in(conn: Connection, ctx: Context, client_id: int) -> str:
    """The crisis resources for ``client_id``, inside the caller's transaction (no access check:
    the caller has checked it, as when recording an assessment)."""
    return _load(conn, ctx, client_id).crisis_text


def client_crisis_text(ctx: Context, actor: Actor, client_id: int) -> str:
    """The crisis resources the client sees: their region's lines (module docstring)."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return crisis_text_in(conn, ctx, client_id)


def read_settings(ctx: Context, actor: Actor, client_id: int) -> ClientSettings:
    """The client's time zone and crisis region; the client themself or their therapist."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return _load(conn, ctx, client_id)


def _problems(timezone: str, region: str) -> list[Problem]:
    problems: list[Problem] = []
    if not is_iana_timezone(timezone):
        problems.append(
            Problem(
                "client-timezone-unknown",
                "timezone",
                f"The time zone {timezone[:64]!r} is unknown.",
                "Choose an IANA name from the list, such as Europe/London or America/New_York.",
            )
        )
    if region and not crisis.is_region(region):
        problems.append(
            Problem(
                "crisis-region-unknown",
                "crisis_region",
                f"The region {region[:20]!r} is not in the list.",
                "Choose a country from the list, or \u201cfrom my time zone\u201d.",
            )
        )
    return problems


def save_settings(
    ctx: Context, actor: Actor, client_id: int, *, timezone: str, region: str
) -> ClientSettings:
    """Store the client's time zone and crisis region (blank ``region``: from the time zone).

    Only the client themself or their therapist; ``InvalidInput`` names each bad field and stores nothing.
    """
    problems = _problems(timezone, region)
    if problems:
        raise InvalidInput(problems)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        conn.execute(
            update(clients)
            .where(clients.c.id == client_id)
            .values(timezone=timezone, crisis_region=region or None)
        )
        audit.record(conn, actor, "update", "client-settings", client_id, client_id)
        return _load(conn, ctx, client_id)
