"""``goalwise user``: accounts, from the server's own command line."""

from __future__ import annotations

import typer
from rich.table import Table

from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import accounts
from goalwise.services.accounts.mailer import send_link

app = typer.Typer(help="Create, list and disable accounts; make password-reset links.", no_args_is_help=True)


@app.command("add")
def add(
    email: str = typer.Argument(..., help="Login email."),
    name: str = typer.Option(..., "--name", help="Name shown to others."),
    role: str = typer.Option("therapist", "--role", help="admin, therapist, supporter or client."),
    client_id: int | None = typer.Option(None, "--client", help="For a client account: the client's id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Add an account; it gets a one-time link to set its password."""
    ctx = open_ctx()
    user = accounts.create_user(ctx, Actor.system(), email=email, name=name, role=role, client_id=client_id)
    token, expires = accounts.create_reset_link(ctx, Actor.system(), user.id)
    link = ctx.link(f"/reset/{token}")
    send_link(ctx.settings, user.email, "reset", f"/reset/{token}")
    if as_json:
        print_json(
            {
                "id": user.id,
                "email": user.email,
                "role": user.role,
                "password_link": link,
                "link_expires_at": expires.isoformat(),
            }
        )
        return
    out.print(f"{user.id}\t{user.email}\t{user.role}")
    err.print(
        f"[green]Added[/] {user.role} {user.email}. Give them this one-time link to set a password "
        f"(valid until {expires:%Y-%m-%d %H:%M} UTC):"
    )
    out.print(link, soft_wrap=True)


@app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List accounts by role."""
    users = accounts.list_users(open_ctx(), Actor.system())
    if as_json:
        print_json(
            [
                {
                    "id": u.id,
                    "email": u.email,
                    "name": u.name,
                    "role": u.role,
                    "active": u.is_active,
                    "client_id": u.client_id,
                    "has_password": u.has_password,
                }
                for u in users
            ]
        )
        return
    if not users:
        err.print("No accounts yet. Add an administrator: goalwise user add EMAIL --name NAME --role admin")
        return
    table = Table("id", "email", "name", "role", "active", "password set")
    for u in users:
        table.add_row(
            str(u.id),
            u.email,
            u.name,
            u.role,
            "yes" if u.is_active else "no",
            "yes" if u.has_password else "no",
        )
    out.print(table)


@app.command("disable")
def disable(email: str = typer.Argument(..., help="Login email of the account.")) -> None:
    """Disable an account and end its sessions and API tokens at once."""
    ctx = open_ctx()
    user = accounts.find_user(ctx, Actor.system(), email)
    accounts.disable_user(ctx, Actor.system(), user.id)
    err.print(f"[green]Disabled[/] {email}; its sessions and tokens have ended.")


@app.command("reset-password")
def reset_password(email: str = typer.Argument(..., help="Login email of the account.")) -> None:
    """Make a one-time link with which the account's owner sets a new password."""
    ctx = open_ctx()
    user = accounts.find_user(ctx, Actor.system(), email)
    token, expires = accounts.create_reset_link(ctx, Actor.system(), user.id)
    err.print(f"One-time link for {email}, valid until {expires:%Y-%m-%d %H:%M} UTC:")
    out.print(ctx.link(f"/reset/{token}"), soft_wrap=True)
    send_link(ctx.settings, user.email, "reset", f"/reset/{token}")


def register(root: typer.Typer) -> None:
    """Add ``goalwise user``."""
    root.add_typer(app, name="user", help="Create, list and disable accounts; make password-reset links.")
