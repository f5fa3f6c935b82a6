"""``goalwise export ics --client ID -o FILE``: the client's calendar (check-in, questionnaires, reviews)."""

from __future__ import annotations

from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_ctx
from goalwise.cli.transfer.export import export_app
from goalwise.core.accounts.actor import Actor

__all__ = ["register"]


def ics_export(
    client: int = typer.Option(..., "--client", help="The client's id (see `goalwise client list`)."),
    output: Path = typer.Option(..., "-o", "--output", help="The .ics file to write ('-' for stdout)."),
) -> None:
    """The daily check-in reminder, the questionnaire schedule and review dates as an iCalendar file."""
    # Imported here: icalendar takes 0.07 s to load, which every other command would pay.
    from goalwise.interop.ics import client_calendar

    data = client_calendar(open_ctx(), Actor.system(), client)
    if str(output) == "-":
        print(data.decode("utf-8"), end="")
        return
    output.write_bytes(data)
    events = data.count(b"BEGIN:VEVENT")
    err.print(f"Wrote {events} calendar events to {output}.", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``goalwise export ics``."""
    export_app.command("ics")(ics_export)
