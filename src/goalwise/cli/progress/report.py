"""``goalwise report``: a client's progress report (or one-page session summary) as a PDF file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_ctx
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.progress.report import progress_report


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            [Problem("date", option, f"{option} is not a date.", "Write the day as YYYY-MM-DD.")]
        ) from None


def report(
    client_id: int = typer.Option(..., "--client", help="Client id."),
    start: str | None = typer.Option(
        None, "--from", help="First day of the period (YYYY-MM-DD); default 90 days before --to."
    ),
    end: str | None = typer.Option(
        None, "--to", help="Last day of the period (YYYY-MM-DD); default today in the client's time zone."
    ),
    summary: bool = typer.Option(
        False, "--summary", help="The one-page session summary: goals, outcomes, review, no charts."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="The PDF file to write."),
) -> None:
    """Write the client's progress report as a PDF."""
    from goalwise.reports.pdf import report_pdf  # WeasyPrint and matplotlib load only for this command

    found = progress_report(
        open_ctx(),
        Actor.system(),
        client_id,
        start=_day(start, "--from"),
        end=_day(end, "--to"),
        summary=summary,
    )
    output.write_bytes(report_pdf(found))
    what = "session summary" if summary else "progress report"
    err.print(f"[green]Wrote[/] the {what} to {output}", highlight=False)


def register(root: typer.Typer) -> None:
    """Add ``goalwise report``."""
    root.command("report", help="Write a client's progress report (or session summary) as a PDF.")(report)
