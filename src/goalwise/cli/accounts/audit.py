"""``goalwise audit``: read and export the audit log."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import datetime

import typer
from rich.table import Table

from goalwise.cli.runtime import open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.sharing.privacy import audit_csv, search_audit

app = typer.Typer(help="Read and export the audit log.", no_args_is_help=True)


def _entries(client: int | None, action: str | None, since: str | None, limit: int) -> list:  # type: ignore[type-arg]
    start = datetime.fromisoformat(since) if since else None
    return search_audit(open_ctx(), Actor.system(), client_id=client, action=action, since=start, limit=limit)


@app.command("list")
def list_cmd(
    client: int | None = typer.Option(None, "--client", help="Only events about this client."),
    action: str | None = typer.Option(None, "--action", help="Only this action, e.g. view or login-failed."),
    since: str | None = typer.Option(None, "--since", help="ISO date or time."),
    limit: int = typer.Option(100, "--limit", help="Most recent N events."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show recent audit events, newest first."""
    entries = _entries(client, action, since, limit)
    if as_json:
        print_json([asdict(e) for e in entries])
        return
    table = Table("at", "actor", "action", "object", "client", "address")
    for e in entries:
        table.add_row(
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            e.actor,
            e.action,
            f"{e.object_type} {e.object_id or ''}",
            str(e.client_id or ""),
            e.address or "",
        )
    out.print(table)


@app.command("export")
def export(
    client: int | None = typer.Option(None, "--client", help="Only events about this client."),
    since: str | None = typer.Option(None, "--since", help="ISO date or time."),
    limit: int = typer.Option(1_000_000, "--limit", help="At most N events."),
) -> None:
    """Write the audit log as CSV to stdout."""
    sys.stdout.write(audit_csv(_entries(client, None, since, limit)))


def register(root: typer.Typer) -> None:
    """Add ``goalwise audit``."""
    root.add_typer(app, name="audit", help="Read and export the audit log.")
