"""``goalwise review``: reviews due, the summary a review looks at, recording one, and the reviews held.

Each command parses, calls one service (``goalwise.services.reviews``) and renders; ``--json``
prints the contract in docs/user-guide.md.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from goalwise.cli.goals.goal import read_json_file
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.core.reviews.gas_scale import LEVEL_NAMES
from goalwise.services.accounts import accounts
from goalwise.services.reviews import due, reviews, summary

__all__ = ["app", "register"]

app = typer.Typer(
    help="Review goals with Goal Attainment Scaling, and see reviews due.", no_args_is_help=True
)

_FILE_HELP = (
    'REVIEW.json: {"held_on": "YYYY-MM-DD", "kind": "goals|plan", "notes": "...", '
    '"next_review_on" (optional), '
    '"goals": [{"goal_id", "gas_level": -2..2, "decision": "continue|adjust|add-steps|achieved|discontinue", '
    '"target" and/or "deadline_on" (adjust), "reason"}], "needs" and "goals_fit" (plan)}.'
)


def review_dict(r: reviews.Review, *, notes: bool) -> dict[str, Any]:
    """A review as the JSON the CLI and the API print; ``notes`` only when reading one review."""
    data = asdict(r)
    data["goals"] = [asdict(g) for g in r.goals]
    if not notes:
        data.pop("notes")
    return data


def _level(level: int | None) -> str:
    return "-" if level is None else f"{level:+d}" if level else "0"


@app.command("due")
def due_cmd(
    therapist: str | None = typer.Option(None, "--therapist", help="Only this therapist's clients (email)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Goals due for review: cadence passed since the last review (or start), or deadline passed."""
    ctx = open_ctx()
    actor = Actor.system()
    if therapist is not None:
        actor = accounts.actor_for(accounts.find_user(ctx, actor, therapist, role="therapist"))
    found = due.reviews_due(ctx, actor)
    if as_json:
        print_json([asdict(d) for d in found])
        return
    if not found:
        err.print("No goal is due for review.")
        return
    table = Table(
        "client", "goal", "title", "due on", "why", "overdue days", title="Reviews due", title_justify="left"
    )
    for d in found:
        table.add_row(str(d.client_id), str(d.goal_id), d.title, str(d.due_on), d.reason, str(d.overdue_days))
    out.print(table)


@app.command("summary")
def summary_cmd(
    client: int = typer.Option(..., "--client", help="Client id."),
    kind: str = typer.Option("goals", "--kind", help="goals (the 4-8 week review) or plan (3-6 months)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What a review looks at: each goal since the last review, questionnaires, alerts, suggested levels."""
    found = summary.review_summary(open_ctx(), Actor.system(), client, kind=kind)
    if as_json:
        print_json(found)
        return
    since = found["since"]
    table = Table(
        "goal",
        "title",
        "baseline",
        "at last review",
        "now",
        "target",
        "deadline",
        "forecast",
        "suggested",
        title=f"Goals since {since}",
        title_justify="left",
    )
    for g in found["goals"]:
        target = g["target"].get("value") if isinstance(g["target"], dict) else g["target"]
        table.add_row(
            str(g["goal_id"]),
            g["title"],
            _fmt(g["baseline"]),
            _fmt(g["value_at_last_review"]),
            _fmt(g["current_value"]),
            _fmt(target),
            str(g["deadline_on"] or ""),
            g.get("forecast") or "",
            _level(g["suggested_level"]),
        )
    out.print(table)
    scores = Table(
        "questionnaire",
        "first",
        "at last review",
        "now",
        "change",
        title="Questionnaires",
        title_justify="left",
    )
    for i in found["instruments"]:
        last = i["at_last_review"]
        scores.add_row(
            i["instrument"],
            _fmt(i["first"]["score"]),
            _fmt(last and last["score"]),
            _fmt(i["current"]["score"]),
            i["category"],
        )
    out.print(scores)
    alerts = found["alerts"]
    out.print(
        f"Alerts since {since}: {len(alerts['raised'])} raised, {len(alerts['acknowledged'])} acknowledged."
    )
    if "plan" in found:
        out.print(found["plan"]["question"])


def _fmt(value: Any) -> str:
    return "" if value is None else f"{round(value, 2):g}" if isinstance(value, float | int) else str(value)


@app.command("record")
def record(
    client: int = typer.Option(..., "--client", help="Client id."),
    file: Path = typer.Option(..., "--file", help=_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the stored review as JSON."),
) -> None:
    """Record a review held: GAS levels and decisions per goal, notes, next date. All or nothing."""
    stored = reviews.record(open_ctx(), Actor.system(), client, read_json_file(file))
    if as_json:
        print_json(review_dict(stored, notes=False))
        return
    score = "" if stored.t_score is None else f", T-score {stored.t_score:.1f}"
    err.print(f"[green]Recorded[/] review {stored.number} (id {stored.id}) for client {client}{score}.")
    if stored.next_review_on:
        err.print(f"Next review on {stored.next_review_on}.")


@app.command("list")
def list_cmd(
    client: int = typer.Option(..., "--client", help="Client id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The client's reviews, oldest first, with T-scores and decisions (not the notes)."""
    found = reviews.list_reviews(open_ctx(), Actor.system(), client)
    if as_json:
        print_json([review_dict(r, notes=False) for r in found])
        return
    table = Table(
        "id", "n", "kind", "held on", "T-score", "decisions", "next", title="Reviews", title_justify="left"
    )
    for r in found:
        decisions = ", ".join(f"{g.goal_id}: {_level(g.gas_level)} {g.decision}" for g in r.goals)
        t = "" if r.t_score is None else f"{r.t_score:.1f}"
        table.add_row(
            str(r.id), str(r.number), r.kind, str(r.held_on), t, decisions, str(r.next_review_on or "")
        )
    out.print(table)


@app.command("show")
def show(
    review_id: int = typer.Argument(..., help="Review id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One review with its notes, each goal's level and decision."""
    r = reviews.get_review(open_ctx(), Actor.system(), review_id)
    if as_json:
        print_json(review_dict(r, notes=True))
        return
    t = "" if r.t_score is None else f", T-score {r.t_score:.1f}"
    out.print(
        f"Review {r.number} ({r.kind}) held on {r.held_on}{t}; next on {r.next_review_on or 'not set'}."
    )
    table = Table("goal", "title", "level", "suggested", "decision", "reason", title_justify="left")
    for g in r.goals:
        level = f"{_level(g.gas_level)} {LEVEL_NAMES[g.gas_level]}"
        table.add_row(str(g.goal_id), g.title, level, _level(g.suggested_level), g.decision, g.reason or "")
    out.print(table)
    if r.notes:
        out.print(r.notes)


def register(root: typer.Typer) -> None:
    """Add ``goalwise review``."""
    root.add_typer(app, name="review", help="Review goals with Goal Attainment Scaling, and see reviews due.")
