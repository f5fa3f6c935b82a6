"""``goalwise needs``: record a needs assessment and show it with the goal templates it puts first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from goalwise.cli.goals.goal import parse_day, print_suggestion, read_json_file, suggestion_dict
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.goals import needs

__all__ = ["app", "register"]

app = typer.Typer(help="Record concerns and core emotional needs.", no_args_is_help=True)

_FILE_HELP = (
    'NEEDS.json: {"concerns": [{"area", "impact", "priority" (1 highest), "label"}], '
    '"needs": {"safety": 1-5, "autonomy", "purpose", "connection", "playfulness"}}.'
)


def _record_dict(r: needs.NeedsRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "assessed_on": r.assessed_on,
        "created_by": r.created_by,
        "created_at": r.created_at,
        "assessment": needs.assessment_to_dict(r.assessment),
    }


def _print_record(r: needs.NeedsRecord) -> None:
    concerns = Table("area", "impact", "priority", title=f"Concerns on {r.assessed_on}", title_justify="left")
    for c in sorted(r.assessment.concerns, key=lambda c: c.priority):
        area = f"{c.area.value}: {c.label}" if c.label else c.area.value
        concerns.add_row(area, c.impact.value, str(c.priority))
    out.print(concerns)
    rated = Table("need", "how well met (1-5)", title="Core emotional needs", title_justify="left")
    for n in sorted(r.assessment.needs, key=lambda n: n.met):
        rated.add_row(n.need.value, str(n.met))
    out.print(rated)


@app.command("record")
def record(
    client: int = typer.Option(..., "--client", help="Client id."),
    file: Path = typer.Option(..., "--file", help=_FILE_HELP),
    on: str | None = typer.Option(None, "--on", help="The day it describes, YYYY-MM-DD; default today."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored assessment as JSON."),
) -> None:
    """Record a needs assessment from a file."""
    data = read_json_file(file)
    stored = needs.record(open_ctx(), Actor.system(), client, data, assessed_on=parse_day(on, "--on"))
    if as_json:
        print_json(_record_dict(stored))
        return
    err.print(f"[green]Recorded[/] needs assessment {stored.id} for client {client}.")
    _print_record(stored)


@app.command("show")
def show(
    client: int = typer.Option(..., "--client", help="Client id."),
    text: str = typer.Option("", "--text", help="A goal in the client's words to match templates to."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the latest assessment and the goal templates it orders first."""
    history, suggestion = needs.overview(open_ctx(), Actor.system(), client, text)
    if as_json:
        print_json(
            {
                "latest": _record_dict(history[0]) if history else None,
                "history": [_record_dict(r) for r in history],
                "suggestions": suggestion_dict(suggestion),
            }
        )
        return
    if not history:
        err.print(
            f"No needs assessment yet. Record one with `goalwise needs record --client {client} --file ...`."
        )
        return
    _print_record(history[0])
    print_suggestion(suggestion)


def register(root: typer.Typer) -> None:
    """Add ``goalwise needs``."""
    root.add_typer(app, name="needs", help="Record concerns and core emotional needs.")
