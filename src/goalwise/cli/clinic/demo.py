"""``goalwise demo``: load a synthetic demo clinic."""

from __future__ import annotations

from datetime import date

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from goalwise.cli.runtime import err, open_ctx
from goalwise.core.accounts.actor import Actor
from goalwise.services.clinic import clients as client_service

# The demo generator (and numpy, which it loads) is imported by the functions that use it: every
# other command starts about 0.2 s sooner (a CLI process loads every command's module).


def print_logins(port: int | None = None) -> None:
    """The demo accounts and their passwords (public: demo data only)."""
    from goalwise.services.clinic.demo import DEMO_ACCOUNTS

    table = Table("role", "login", "password", title="Demo logins (synthetic data only)")
    for account in DEMO_ACCOUNTS:
        table.add_row(account.role, account.email, account.password)
    err.print(table)


def _report(bar: Progress, task: TaskID, done: int, total: int) -> None:
    """Move the bar; without a terminal (a log file, CI) print a plain line every tenth instead."""
    from goalwise.services.clinic.demo import BATCH

    bar.update(task, completed=done)
    step = max(1, total // 10)
    if not err.is_terminal and (done % step < BATCH or done == total):
        err.print(f"Loaded {done} of {total} demo clients", highlight=False)


def demo(
    n_clients: int = typer.Option(8, "--clients", help="How many synthetic clients."),
    days: int = typer.Option(120, "--days", help="Days of data per client, ending yesterday."),
    seed: int = typer.Option(7, "--seed", help="Random seed; the same seed gives the same clinic."),
    end_on: str | None = typer.Option(
        None, "--end-on", help="Last day of data (YYYY-MM-DD); default yesterday."
    ),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing when the database already has clients."
    ),
) -> None:
    """Load a demo clinic of synthetic clients into an empty database."""
    from goalwise.services.clinic.demo import check_demo, load_demo

    ctx = open_ctx()
    if if_empty and client_service.list_clients(ctx, Actor.system()):
        err.print("The database already has clients; the demo was not loaded.")
        print_logins()
        return
    last = date.fromisoformat(end_on) if end_on else None
    # Refuse before drawing anything: an empty progress bar above the refusal reads as a failure.
    check_demo(ctx, Actor.system(), n_clients=n_clients, days=days)
    with Progress(
        TextColumn("Loading demo clients"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task("demo", total=n_clients)
        result = load_demo(
            ctx,
            Actor.system(),
            n_clients=n_clients,
            days=days,
            seed=seed,
            end_on=last,
            progress=lambda done: _report(bar, task, done, n_clients),
        )
    err.print(
        f"[green]Loaded[/] {result.clients} clients, {result.observations:,} observations and "
        f"{result.assessments:,} assessments."
    )
    print_logins()
