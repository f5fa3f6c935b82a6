"""``goalwise export csv --client ID -o FILE``: a client's values as the long CSV.

Other export formats join the same group: a module of this package with ``register(app)`` adds
its command to :data:`export_app` (``export_app.command("name")(function)``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_ctx
from goalwise.core.accounts.actor import Actor
from goalwise.services.transfer.csv_export import export_csv

__all__ = ["export_app", "register"]

export_app = typer.Typer(help="Export a client's data to a file.", no_args_is_help=True)


@export_app.command("csv")
def csv_cmd(
    client: int = typer.Option(..., "--client", help="The client's id (see `goalwise client list`)."),
    output: Path = typer.Option(..., "-o", "--output", help="The CSV file to write ('-' for stdout)."),
    bom: bool = typer.Option(False, "--bom", help="Start with a byte-order mark, so Excel reads UTF-8."),
) -> None:
    """Every value of the client, one row each: client, metric, local date, time, value, unit, note."""
    text = export_csv(open_ctx(), Actor.system(), client, bom=bom)
    if str(output) == "-":
        print(text, end="")
        return
    output.write_text(text, encoding="utf-8", newline="")
    err.print(f"Wrote {text.count(chr(10)) - 1} values to {output}.", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``goalwise export``."""
    app.add_typer(export_app, name="export", help="Export a client's data (CSV) to a file.")
