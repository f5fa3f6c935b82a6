"""``goalwise plan``: milestones and steps under a goal, what to do next, and marking steps done."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from goalwise.cli.goals.goal import parse_day
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.goals import goal_plans

__all__ = ["app", "register"]

app = typer.Typer(help="Break a goal into milestones and steps.", no_args_is_help=True)


def _item_dict(i: goal_plans.PlanItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "goal_id": i.goal_id,
        "kind": i.kind,
        "parent_id": i.parent_id,
        "position": i.position,
        "title": i.title,
        "due_on": i.due_on,
        "micro": i.micro,
        "depends_on_id": i.depends_on_id,
        "done": i.done,
        "done_at": i.done_at,
        "done_on": i.done_on,
    }


def _line(i: goal_plans.PlanItem) -> str:
    mark = "x" if i.done else " "
    extra = " (micro)" if i.micro else ""
    due = f", due {i.due_on}" if i.due_on else ""
    return f"[{mark}] {i.id}\t{i.title}{extra}{due}"


@app.command("add")
def add(
    goal_id: int = typer.Argument(..., help="Goal id."),
    title: str = typer.Option(..., "--title", help="What to do (a step) or reach (a milestone)."),
    milestone: bool = typer.Option(False, "--milestone", help="Add a milestone instead of a step."),
    under: int | None = typer.Option(None, "--under", help="The milestone a step sits under (item id)."),
    due: str | None = typer.Option(None, "--due", help="Due date, YYYY-MM-DD."),
    micro: bool = typer.Option(False, "--micro", help="A micro-action: small enough to do today."),
    after: int | None = typer.Option(None, "--after", help="A step that must be done first (item id)."),
    position: int | None = typer.Option(
        None, "--position", help="Place in the plan (1 = first); default last."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the new item as JSON."),
) -> None:
    """Add a milestone or a step to a goal's plan."""
    item = goal_plans.add_item(
        open_ctx(),
        Actor.system(),
        goal_id,
        title=title,
        kind="milestone" if milestone else "step",
        due_on=parse_day(due, "--due"),
        parent_id=under,
        micro=micro,
        depends_on_id=after,
        position=position,
    )
    if as_json:
        print_json(_item_dict(item))
        return
    out.print(_line(item), markup=False)
    err.print(f"[green]Added[/] {item.kind} {item.id}.")


@app.command("list")
def list_cmd(
    goal_id: int = typer.Argument(..., help="Goal id."),
    week: str | None = typer.Option(None, "--week", help="First day of the week for the completion rate."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a goal's plan in order, its next step and this week's completion rate."""
    plan = goal_plans.get_plan(open_ctx(), Actor.system(), goal_id, week_start=parse_day(week, "--week"))
    if as_json:
        print_json(
            {
                "goal_id": plan.goal_id,
                "items": [_item_dict(i) for i in plan.items],
                "next_step": None if plan.next_step is None else _item_dict(plan.next_step),
                "week_start": plan.week_start,
                "weekly_completion_rate": plan.weekly_completion_rate,
            }
        )
        return
    if not plan.items:
        err.print(f'No plan yet. Add a step with `goalwise plan add {goal_id} --title "..."`.')
        return
    table = Table("id", "kind", "done", "title", "due", "under", "after", "micro")
    for i in plan.items:
        table.add_row(
            str(i.id),
            i.kind,
            "yes" if i.done else "",
            f"  {i.title}" if i.parent_id else i.title,
            str(i.due_on or ""),
            str(i.parent_id or ""),
            str(i.depends_on_id or ""),
            "yes" if i.micro else "",
        )
    out.print(table)
    if plan.next_step is not None:
        out.print(f"Next step: {plan.next_step.title}", markup=False)
    rate = plan.weekly_completion_rate
    shown = "no steps due" if rate is None else f"{rate:.0%} of the steps due"
    out.print(f"Week from {plan.week_start}: {shown}.")


@app.command("done")
def done(
    item_id: int = typer.Argument(..., help="Plan item id."),
    undo: bool = typer.Option(False, "--undo", help="Mark it not done again."),
) -> None:
    """Mark a step or milestone done."""
    item = goal_plans.mark_done(open_ctx(), Actor.system(), item_id, done=not undo)
    out.print(_line(item), markup=False)
    err.print(f"[green]{'Reopened' if undo else 'Done'}:[/] item {item.id}.")


@app.command("next")
def next_cmd(
    goal_id: int = typer.Argument(..., help="Goal id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the step to do next: the first open step whose dependency is done."""
    item = goal_plans.next_item(open_ctx(), Actor.system(), goal_id)
    if as_json:
        print_json(None if item is None else _item_dict(item))
        return
    if item is None:
        err.print("Nothing open: every step is done, or the plan has none yet.")
        return
    out.print(_line(item), markup=False)


def register(root: typer.Typer) -> None:
    """Add ``goalwise plan``."""
    root.add_typer(app, name="plan", help="Break a goal into milestones and steps.")
