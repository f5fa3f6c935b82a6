"""Right of access and erasure, and reading the audit log.

Export: everything Goalwise holds about one client, decrypted, as JSON and one CSV per table
in a zip. Erasure: after the client's name is typed as confirmation, the client's clinical data
and account are deleted; the audit log keeps a stub (ids and actions, no content).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, delete, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.spreadsheet import safe_row
from goalwise.services.accounts import audit, authz
from goalwise.services.accounts.encrypted_columns import context_for
from goalwise.services.context import Context
from goalwise.storage import client_repo
from goalwise.storage.tables import (
    audit_events,
    card_revisions,
    clients,
    goal_gas_scales,
    goal_revisions,
    metadata,
    review_goals,
    users,
)

__all__ = [
    "AuditEntry",
    "access_log",
    "audit_csv",
    "delete_client",
    "erasure_target",
    "export_client",
    "search_audit",
]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit event."""

    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    client_id: int | None
    address: str | None
    user_agent: str | None


def _may_export_or_erase(conn: Any, actor: Actor, client_id: int) -> None:
    if actor.is_system or actor.role == "admin":
        if client_repo.get_client(conn, client_id) is None:
            raise NotFound(f"client {client_id} not found")
        return
    if actor.role == "client" and actor.client_id == client_id:
        return
    raise NotFound(f"client {client_id} not found")


def _client_tables() -> list[Table]:
    """Tables holding a client's rows directly (``client_id`` column), except the audit log."""
    return [
        t for t in metadata.sorted_tables if "client_id" in t.c and t.name not in ("audit_events", "users")
    ]


def _plain(ctx: Context, table: Table, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in table.columns:
        if column.name in ("token_hash", "password_hash"):
            continue
        value = getattr(row, column.name)
        if column.name.endswith("_enc"):
            value = ctx.keys.decrypt(value, context=context_for(table.name, column.name))
            out[column.name.removesuffix("_enc")] = value
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[column.name] = value
    return out


def export_client(ctx: Context, actor: Actor, client_id: int) -> bytes:
    """A zip with ``client.json`` (everything) and one CSV per table; audited as an export."""
    with ctx.db.write() as conn:
        _may_export_or_erase(conn, actor, client_id)
        data: dict[str, list[dict[str, Any]]] = {}
        data["client"] = [
            _plain(ctx, clients, r) for r in conn.execute(select(clients).where(clients.c.id == client_id))
        ]
        for table in _client_tables():
            data[table.name] = [
                _plain(ctx, table, r)
                for r in conn.execute(select(table).where(table.c.client_id == client_id))
            ]
        goal_ids = [g["id"] for g in data.get("goals", [])]
        # Rows that belong to the client through a goal or a review rather than a client_id column.
        review_ids = [r["id"] for r in data.get("reviews", [])]
        for table, column, ids in (
            (goal_revisions, goal_revisions.c.goal_id, goal_ids),
            (goal_gas_scales, goal_gas_scales.c.goal_id, goal_ids),
            (review_goals, review_goals.c.review_id, review_ids),
            (card_revisions, card_revisions.c.card_id, [c["id"] for c in data.get("cards", [])]),
        ):
            found = conn.execute(select(table).where(column.in_(ids))).all() if ids else []
            data[table.name] = [_plain(ctx, table, r) for r in found]
        data["access_log"] = [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "object": e.object_type}
            for e in _audit_rows(conn, client_id=client_id, limit=100_000)
        ]
        audit.record(conn, actor, "export", "client", client_id, client_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("client.json", json.dumps(data, indent=2, default=str, ensure_ascii=False))
        for name, rows in data.items():
            if not rows:
                continue
            text = io.StringIO()
            columns = list(rows[0])
            writer = csv.writer(text)
            writer.writerow(safe_row(columns))
            for row in rows:
                cells = (row.get(k) for k in columns)
                writer.writerow(safe_row(json.dumps(v) if isinstance(v, dict | list) else v for v in cells))
            archive.writestr(f"{name}.csv", text.getvalue())
        archive.writestr(
            "README.txt",
            "Goalwise export: client.json holds everything; each CSV is one table.\n"
            "Free text was decrypted for this export. Keep this file safe.\n",
        )
    return buffer.getvalue()


def erasure_target(ctx: Context, actor: Actor, client_id: int) -> str:
    """The name the actor must type to erase the client (checks that they may)."""
    with ctx.db.read() as conn:
        _may_export_or_erase(conn, actor, client_id)
        client = client_repo.get_client(conn, client_id)
    if client is None:
        raise NotFound(f"client {client_id} not found")
    return client.name


def delete_client(ctx: Context, actor: Actor, client_id: int, confirm: str) -> None:
    """Erase a client after ``confirm`` equals the client's name; the audit log keeps a stub."""
    with ctx.db.write() as conn:
        _may_export_or_erase(conn, actor, client_id)
        client = client_repo.get_client(conn, client_id)
        if client is None:
            raise NotFound(f"client {client_id} not found")
        if confirm.strip() != client.name:
            raise InvalidInput(
                [
                    Problem(
                        "erase-confirm",
                        "confirm",
                        "The confirmation does not match the name.",
                        "Type the client's name exactly as shown to confirm the deletion.",
                    )
                ]
            )
        # Every table with a client_id goes with the client (ON DELETE CASCADE). The client's own
        # account only points at the record (SET NULL), so it is deleted first, explicitly: nobody
        # may log in to an emptied record.
        conn.execute(delete(users).where(users.c.client_id == client_id))
        conn.execute(delete(clients).where(clients.c.id == client_id))
        audit.record(conn, actor, "erase", "client", client_id, client_id)


def _audit_rows(
    conn: Any,
    *,
    client_id: int | None = None,
    actor_label: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    query = select(audit_events).order_by(audit_events.c.at.desc(), audit_events.c.id.desc()).limit(limit)
    if client_id is not None:
        query = query.where(audit_events.c.client_id == client_id)
    if actor_label:
        query = query.where(audit_events.c.actor == actor_label)
    if action:
        query = query.where(audit_events.c.action == action)
    if since:
        query = query.where(audit_events.c.at >= since)
    if until:
        query = query.where(audit_events.c.at < until)
    return [
        AuditEntry(
            r.id,
            r.at.replace(tzinfo=UTC) if r.at.tzinfo is None else r.at,
            r.actor,
            r.action,
            r.object_type,
            r.object_id,
            r.client_id,
            r.address,
            r.user_agent,
        )
        for r in conn.execute(query)
    ]


AUDIT_COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "address",
    "user_agent",
)


def audit_csv(entries: list[AuditEntry]) -> str:
    """Audit events as CSV text, header first (the admin export, on the web and at the command line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AUDIT_COLUMNS)
    for e in entries:
        writer.writerow(
            safe_row(
                [
                    e.id,
                    e.at.isoformat(),
                    e.actor,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.client_id,
                    e.address,
                    e.user_agent,
                ]
            )
        )
    return buffer.getvalue()


def access_log(ctx: Context, actor: Actor, client_id: int, limit: int = 200) -> list[AuditEntry]:
    """Who accessed the client's records, newest first: the client themself or their therapist."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        if actor.role not in ("client", "therapist", "system") and not actor.is_system:
            raise NotFound(f"client {client_id} not found")
        return _audit_rows(conn, client_id=client_id, limit=limit)


def search_audit(
    ctx: Context,
    actor: Actor,
    *,
    client_id: int | None = None,
    actor_label: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """Filter the audit log (admin and local operator)."""
    authz.require_role(actor, "admin")
    with ctx.db.read() as conn:
        return _audit_rows(
            conn,
            client_id=client_id,
            actor_label=actor_label,
            action=action,
            since=since,
            until=until,
            limit=limit,
        )
