"""``goalwise import daylio|emoods|bearable|loop|csv FILE --client ID``.

Every format shares the options: ``--dry-run`` (show what would be stored, store nothing),
``--skip-bad`` (store the good lines, list the bad ones), ``--json`` (a summary object with
``imported`` and ``skipped``). Long files show a progress bar on stderr.

Adding a format: put a module in this package with ``register(app)`` that adds a command to
:data:`import_app` (``import_app.command("name")(function)``); :func:`run_import_command` does the
reading, the progress bar and the output, given the format's name in ``interop.imports.files.FORMATS``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.interop.imports.daylio import parse_mood_map
from goalwise.interop.imports.files import ImportOptions, import_bytes, read_path
from goalwise.services.transfer.imports import ImportSummary

__all__ = ["import_app", "register", "run_import_command"]

import_app = typer.Typer(
    help="Import a file from another app or a spreadsheet into a client's records.", no_args_is_help=True
)

#: Files with more lines than this show a progress bar.
LONG_FILE_LINES = 2_000

FileArg = typer.Argument(..., exists=True, readable=True, help="The exported file (see the user guide).")
ClientOpt = typer.Option(..., "--client", help="The client's id (see `goalwise client list`).")
DryRunOpt = typer.Option(False, "--dry-run", help="Show what would be stored; store nothing.")
SkipBadOpt = typer.Option(False, "--skip-bad", help="Store the good lines and list the bad ones.")
JsonOpt = typer.Option(False, "--json", help="Print a JSON summary (imported, skipped, ...).")


def _print_summary(summary: ImportSummary) -> None:
    if summary.dry_run and summary.preview:
        table = Table("line", "metric", "local time", "value", title="Would store (first rows)")
        for row in summary.preview:
            value = "note" if row["value"] is None else f"{row['value']:g}"
            table.add_row(str(row["line"]), row["metric"], row["local"], value)
        out.print(table)
    for problem in summary.problems:
        err.print(f"[yellow]skipped[/] {problem.field}: ", end="")
        err.print(problem.message, markup=False, highlight=False, soft_wrap=True)
    verb = "Would import" if summary.dry_run else "Imported"
    if summary.imported == 0 and summary.skipped:
        err.print(f"Nothing new: all {summary.skipped} entries of this file are already stored.")
        return
    created = f"; new metrics: {', '.join(summary.new_metrics)}" if summary.new_metrics else ""
    err.print(
        f"{verb} {summary.values} values and {summary.notes} notes from {summary.rows} rows; "
        f"{summary.skipped} already stored, {len(summary.rejected_lines)} bad lines skipped{created}.",
        markup=False,
        highlight=False,
    )


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused while an import runs.

    An import makes millions of short-lived objects (cells, values, rows) and no reference cycles,
    yet each of them counts towards the next collection, which walks every object alive, the
    command's own modules included: on a million rows that is seconds of work that frees nothing.
    Reference counting still frees everything at once; the collector is back when the import ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_import_command(
    fmt: str,
    file: Path,
    client: int,
    options: ImportOptions,
    *,
    dry_run: bool,
    skip_bad: bool,
    as_json: bool,
) -> None:
    """Read ``file``, import it as ``fmt`` with a progress bar on long files, and print the summary."""
    data = read_path(fmt, file)
    ctx = open_ctx()
    lines = data.count(b"\n")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True, disable=lines < LONG_FILE_LINES) as bar:
        reading = bar.add_task("reading lines", total=lines + 1)
        storing = bar.add_task("storing", total=None, visible=False)

        def tick(line: int) -> None:
            if line % 500 == 0:
                bar.update(reading, completed=line)

        def progress(done: int, total: int) -> None:
            bar.update(storing, completed=done, total=total, visible=True)

        with _no_cycle_collection():
            summary = import_bytes(
                ctx, Actor.system(), client, fmt, data, options,
                dry_run=dry_run, skip_bad=skip_bad, tick=tick, progress=progress,
            )  # fmt: skip
    if as_json:
        print_json(summary.to_dict())
    else:
        _print_summary(summary)


def daylio(
    file: Path = FileArg,
    client: int = ClientOpt,
    mood_map: list[str] = typer.Option(
        [], "--mood-map", help="A custom mood label's level, LABEL=LEVEL (1 awful .. 5 rad); repeatable."
    ),
    dry_run: bool = DryRunOpt,
    skip_bad: bool = SkipBadOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Daylio's CSV export (any era) or its .daylio backup; moods become the 1-10 mood scale."""
    moods, errors = parse_mood_map(mood_map)
    if errors:
        raise typer.BadParameter("; ".join(errors))
    run_import_command(
        "daylio",
        file,
        client,
        ImportOptions(mood_map=moods),
        dry_run=dry_run,
        skip_bad=skip_bad,
        as_json=as_json,
    )


def emoods(
    file: Path = FileArg,
    client: int = ClientOpt,
    dry_run: bool = DryRunOpt,
    skip_bad: bool = SkipBadOpt,
    as_json: bool = JsonOpt,
) -> None:
    """eMoods' entry.csv (or the .emoods backup holding it)."""
    run_import_command(
        "emoods", file, client, ImportOptions(), dry_run=dry_run, skip_bad=skip_bad, as_json=as_json
    )


def bearable(
    file: Path = FileArg,
    client: int = ClientOpt,
    dry_run: bool = DryRunOpt,
    skip_bad: bool = SkipBadOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Bearable's CSV export (7- or 8-column)."""
    run_import_command(
        "bearable", file, client, ImportOptions(), dry_run=dry_run, skip_bad=skip_bad, as_json=as_json
    )


def loop(
    file: Path = typer.Argument(..., exists=True, help="Loop's export zip, its folder, or its Habits.csv."),
    client: int = ClientOpt,
    dry_run: bool = DryRunOpt,
    skip_bad: bool = SkipBadOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Loop Habit Tracker's CSV export (Habits.csv with Checkmarks.csv)."""
    run_import_command(
        "loop", file, client, ImportOptions(), dry_run=dry_run, skip_bad=skip_bad, as_json=as_json
    )


def _mapping(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise typer.BadParameter(
                f"--map {pair[:40]!r}: use HEADING=NAME, e.g. --map 'Sleep (h)=sleep_hours'"
            )
        found[source] = target
    return found


def csv_cmd(
    file: Path = FileArg,
    client: int = ClientOpt,
    mapping: list[str] = typer.Option(
        [], "--map", help="Rename a column, HEADING=NAME (date, time, metric, value, note or a metric key)."
    ),
    date_format: str | None = typer.Option(
        None, "--date-format", help="How dates are written, as strptime codes, e.g. %d/%m/%Y (default ISO)."
    ),
    dry_run: bool = DryRunOpt,
    skip_bad: bool = SkipBadOpt,
    as_json: bool = JsonOpt,
) -> None:
    """A long CSV (as `goalwise export csv` writes) or the one-row-per-day sheet template."""
    options = ImportOptions(mapping=_mapping(mapping), date_format=date_format)
    run_import_command("csv", file, client, options, dry_run=dry_run, skip_bad=skip_bad, as_json=as_json)


import_app.command("daylio")(daylio)
import_app.command("emoods")(emoods)
import_app.command("bearable")(bearable)
import_app.command("loop")(loop)
import_app.command("csv")(csv_cmd)


def register(app: typer.Typer) -> None:
    """Add ``goalwise import``."""
    app.add_typer(import_app, name="import", help="Import a file from another app or a spreadsheet.")
