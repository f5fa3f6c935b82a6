"""``goalwise token``: personal access tokens for the JSON API."""

from __future__ import annotations

import typer
from rich.table import Table

from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import accounts, login_sessions

app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)


def _user_id(email: str) -> int:
    user = accounts.find_user(open_ctx(), Actor.system(), email)
    return user.id


@app.command("create")
def create(
    email: str = typer.Argument(..., help="Account the token acts for."),
    name: str = typer.Option(..., "--name", help='What the token is for, e.g. "R export".'),
    scope: str = typer.Option("read", "--scope", help="read or write."),
    days: int = typer.Option(90, "--days", help="Days until it expires (1-366)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a token; the secret is printed once and stored only as a hash."""
    ctx = open_ctx()
    token, secret = login_sessions.create_api_token(
        ctx, Actor.system(), name=name, scope=scope, expires_days=days, user_id=_user_id(email)
    )
    if as_json:
        print_json(
            {
                "id": token.id,
                "name": token.name,
                "scope": token.scope,
                "token": secret,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            }
        )
        return
    err.print(f"Token {token.id} ({token.scope}) for {email}; copy it now, it is not shown again:")
    out.print(secret)


@app.command("list")
def list_cmd(
    email: str = typer.Argument(..., help="Account whose tokens to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List an account's tokens (never their secrets)."""
    tokens = login_sessions.list_api_tokens(open_ctx(), Actor.system(), user_id=_user_id(email))
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "scope": t.scope,
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "revoked": t.revoked_at is not None,
        }
        for t in tokens
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "scope", "expires", "revoked")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["name"]),
            str(r["scope"]),
            str(r["expires_at"] or "never"),
            "yes" if r["revoked"] else "no",
        )
    out.print(table)


@app.command("revoke")
def revoke(token_id: int = typer.Argument(..., help="Token id (from `goalwise token list`).")) -> None:
    """Revoke a token at once."""
    login_sessions.revoke_api_token(open_ctx(), Actor.system(), token_id)
    err.print(f"[green]Revoked[/] token {token_id}.")


def register(root: typer.Typer) -> None:
    """Add ``goalwise token``."""
    root.add_typer(app, name="token", help="Create, list and revoke API tokens.")
