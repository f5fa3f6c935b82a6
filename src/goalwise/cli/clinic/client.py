"""``goalwise client``: add and list clients."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from goalwise.cli.runtime import err, load_settings, open_ctx, out, print_json, write_private
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import accounts
from goalwise.services.clinic import clients

app = typer.Typer(help="Add and list clients.", no_args_is_help=True)


@app.command("add")
def add(
    name: str = typer.Argument(..., help="Display name or pseudonym."),
    timezone: str | None = typer.Option(
        None, "--timezone", help="IANA time zone; default GOALWISE_TIMEZONE."
    ),
    email: str | None = typer.Option(
        None, "--email", help="Also make the client's account and an invitation link."
    ),
    therapist: str | None = typer.Option(
        None, "--therapist", help="Email of the therapist to link the client to."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the new client as JSON."),
) -> None:
    """Add a client; with --email they get an account and a one-time invitation link."""
    ctx = open_ctx()
    tz = timezone or load_settings().timezone
    actor = Actor.system()
    if therapist:
        found = accounts.find_user(ctx, Actor.system(), therapist, role="therapist")
        actor = accounts.actor_for(found)
    link = None
    if email:
        invitation = accounts.invite_client(ctx, actor, name=name, email=email, timezone=tz, operator=True)
        client = invitation.client
        link = ctx.link(f"/invite/{invitation.token}")
        accounts.send_invitation(ctx, invitation)
    else:
        client = clients.add_client(ctx, actor, name, tz)
    data = {
        "id": client.id,
        "name": client.name,
        "timezone": client.timezone,
        "created_at": client.created_at.isoformat(),
        "invitation_link": link,
    }
    if as_json:
        print_json(data)
        return
    out.print(f"{client.id}\t{client.name}\t{client.timezone}")
    err.print(f"[green]Added[/] client {client.id}.")
    if link:
        err.print("Give the client this one-time invitation link (it lets them set a password):")
        out.print(link, soft_wrap=True)


@app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List clients by name."""
    found = clients.list_clients(open_ctx(), Actor.system())
    if as_json:
        print_json([{"id": c.id, "name": c.name, "timezone": c.timezone} for c in found])
        return
    if not found:
        err.print(
            "No clients yet. Add one with `goalwise client add NAME` or load the demo with `goalwise demo`."
        )
        return
    table = Table("id", "name", "time zone")
    for c in found:
        table.add_row(str(c.id), c.name, c.timezone)
    out.print(table)


@app.command("export")
def export(
    client_id: int = typer.Argument(..., help="Client id."),
    out_file: Path = typer.Option(..., "--out", help="Zip file to write (JSON and CSV inside)."),
) -> None:
    """Export everything held about a client (right of access)."""
    from goalwise.services.sharing.privacy import export_client

    data = export_client(open_ctx(), Actor.system(), client_id)
    write_private(out_file, data)
    err.print(
        f"[green]Exported[/] client {client_id} to {out_file} ({len(data):,} bytes). "
        "It holds decrypted text: keep it safe."
    )


@app.command("delete")
def delete(
    client_id: int = typer.Argument(..., help="Client id."),
    confirm: str | None = typer.Option(
        None, "--confirm", help="The client's name, typed exactly, to confirm."
    ),
) -> None:
    """Erase a client's clinical data and account (the audit log keeps a stub)."""
    from goalwise.services.sharing.privacy import delete_client

    ctx = open_ctx()
    client = clients.get_client(ctx, Actor.system(), client_id)
    if confirm is None:
        if not sys.stdin.isatty():
            err.print("[red]error:[/] confirm: pass --confirm with the client's name exactly.")
            raise typer.Exit(1)
        confirm = typer.prompt(f"This erases all records of client {client_id}. Type their name to confirm")
    delete_client(ctx, Actor.system(), client.id, confirm)
    err.print(f"[green]Deleted[/] client {client_id}; the audit log keeps a stub of the deletion.")


@app.command("link")
def link(
    client_id: int = typer.Argument(..., help="Client id."),
    therapist: str = typer.Argument(..., help="Email of the therapist to link."),
    consent: bool = typer.Option(
        False, "--consent", help="Confirm that the client agreed to this therapist."
    ),
) -> None:
    """Link one more therapist to a client (the client's consent is recorded with the link)."""
    ctx = open_ctx()
    found = accounts.find_user(ctx, Actor.system(), therapist, role="therapist")
    accounts.link_therapist(ctx, Actor.system(), client_id, found.id, consent=consent)
    err.print(f"[green]Linked[/] {therapist} to client {client_id}; the client's consent is recorded.")
