"""``goalwise keys``: the encryption key for free text at rest."""

from __future__ import annotations

import typer

from goalwise.cli.runtime import err, open_ctx
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts.keys import rotate_key

app = typer.Typer(help="Rotate the encryption key for free text at rest.", no_args_is_help=True)


@app.command("rotate")
def rotate() -> None:
    """Make a new key and re-encrypt every stored text with it (safe to re-run if interrupted)."""
    ctx = open_ctx()
    result = rotate_key(ctx, Actor.system())
    err.print(
        f"[green]Rotated[/] the key: re-encrypted {result.values:,} values in {result.columns} columns. "
        f"Back up the new key file: {ctx.keys.path}"
    )


def register(root: typer.Typer) -> None:
    """Add ``goalwise keys``."""
    root.add_typer(app, name="keys", help="Rotate the encryption key for free text at rest.")
