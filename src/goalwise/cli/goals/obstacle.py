"""``goalwise obstacle``: the catalog, obstacles logged on a goal, their outcome, and suggestions."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from goalwise.cli.goals.goal import parse_day
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.goals import obstacles

__all__ = ["app", "register"]

app = typer.Typer(help="Name what gets in the way and what to try.", no_args_is_help=True)


def _logged_dict(o: obstacles.LoggedObstacle) -> dict[str, Any]:
    return {
        "id": o.id,
        "goal_id": o.goal_id,
        "obstacle_id": o.obstacle_id,
        "obstacle_name": o.obstacle_name,
        "strategy_id": o.strategy_id,
        "strategy_text": o.strategy_text,
        "note": o.note,
        "logged_at": o.logged_at,
        "helped": o.helped,
        "outcome_at": o.outcome_at,
    }


def _helped(value: bool | None) -> str:
    return "not yet known" if value is None else "yes" if value else "no"


@app.command("catalog")
def catalog(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the obstacles and their strategies."""
    found = obstacles.catalog()
    if as_json:
        print_json(
            [
                {
                    "id": o.id,
                    "name": o.name,
                    "description": o.description,
                    "strategies": [{"id": s.id, "text": s.text} for s in o.strategies],
                }
                for o in found
            ]
        )
        return
    table = Table("obstacle", "strategy", "what to do")
    for o in found:
        for n, s in enumerate(o.strategies):
            table.add_row(f"{o.id}\n{o.description}" if n == 0 else "", s.id, s.text)
        table.add_section()
    out.print(table)


@app.command("log")
def log(
    goal_id: int = typer.Argument(..., help="Goal id."),
    obstacle_id: str = typer.Argument(..., help="Obstacle id (see `goalwise obstacle catalog`)."),
    strategy: str = typer.Option(
        ..., "--strategy", help="One of the obstacle's strategies, or 'own' with --note."
    ),
    note: str | None = typer.Option(None, "--note", help="A note (stored encrypted)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Log an obstacle met on a goal with the strategy chosen."""
    found = obstacles.log(open_ctx(), Actor.system(), goal_id, obstacle_id, strategy, note)
    if as_json:
        print_json(_logged_dict(found))
        return
    out.print(f"{found.id}\t{found.obstacle_name}\t{found.strategy_text}", markup=False)
    err.print(
        f"[green]Logged[/] obstacle {found.id}; later record whether it helped: `goalwise obstacle outcome`."
    )


@app.command("outcome")
def outcome(
    logged_id: int = typer.Argument(..., help="Id of the logged obstacle."),
    helped: bool = typer.Option(..., "--helped/--not-helped", help="Whether the strategy helped."),
) -> None:
    """Record whether the strategy chosen for a logged obstacle helped."""
    found = obstacles.record_outcome(open_ctx(), Actor.system(), logged_id, helped=helped)
    err.print(
        f"[green]Recorded[/]: {found.obstacle_name} / {found.strategy_id}: helped {_helped(found.helped)}."
    )


@app.command("list")
def list_cmd(
    goal_id: int = typer.Argument(..., help="Goal id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the obstacles logged on a goal."""
    found = obstacles.list_for_goal(open_ctx(), Actor.system(), goal_id)
    if as_json:
        print_json([_logged_dict(o) for o in found])
        return
    table = Table("id", "logged", "obstacle", "strategy", "helped")
    for o in found:
        table.add_row(
            str(o.id), f"{o.logged_at:%Y-%m-%d}", o.obstacle_name, o.strategy_text, _helped(o.helped)
        )
    out.print(table)


@app.command("suggest")
def suggest(
    client: int = typer.Option(..., "--client", help="Client id."),
    goal: int | None = typer.Option(None, "--goal", help="Only this goal."),
    as_of: str | None = typer.Option(None, "--as-of", help="Judge the data as of this day; default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Obstacles the client's data points to (no entries for days, missed weeks, too many goals)."""
    found = obstacles.suggest(
        open_ctx(), Actor.system(), client, goal_id=goal, as_of=parse_day(as_of, "--as-of")
    )
    if as_json:
        print_json(
            [
                {
                    "goal_id": s.goal_id,
                    "obstacle_id": s.obstacle_id,
                    "name": s.name,
                    "reason": s.reason,
                    "strategies": [{"id": x.id, "text": x.text} for x in s.strategies],
                }
                for s in found
            ]
        )
        return
    if not found:
        err.print("Nothing in the data points to an obstacle.")
        return
    table = Table("goal", "obstacle", "why", "try first")
    for s in found:
        table.add_row(str(s.goal_id or "all"), s.name, s.reason, s.strategies[0].text if s.strategies else "")
    out.print(table)


def register(root: typer.Typer) -> None:
    """Add ``goalwise obstacle``."""
    root.add_typer(app, name="obstacle", help="Name what gets in the way and what to try.")
