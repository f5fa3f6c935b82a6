"""``goalwise card``: new, rate, show, rater, rater-revoke (the public contract in docs/user-guide.md).

Each command parses, calls one service (``goalwise.services.cards``) and renders; ``--json`` prints the
contract's JSON. Bad input exits 1 naming the field and stores nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from goalwise.cli.goals.goal import read_json_file
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import card_to_dict
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.cards import card_reading, cards, raters
from goalwise.services.cards.card_days import DayView

__all__ = ["app", "day_json", "register"]

app = typer.Typer(
    help="Daily report cards: targets rated each day by a teacher or parent.", no_args_is_help=True
)

_FILE_HELP = (
    'CARD.json: {"title", "rated_by": "teacher|parent|client", "goal_percent", "periods": [...], '
    '"targets": [{"text", "criterion"}], "rewards": [{"at_percent", "reward"}]}'
)


def day_json(day: DayView) -> dict[str, Any]:
    """One rated day as the contract prints it."""
    return {
        "on": day.on.isoformat(),
        "percent": day.percent,
        "yes": day.yes,
        "no": day.no,
        "met": day.met,
        "reward": None
        if day.reward is None
        else {"at_percent": day.reward.at_percent, "reward": day.reward.reward},
        "periods": day.periods,
        "comment": day.comment,
    }


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            [Problem("date", "--on", f"{value!r} is not a date.", "Write YYYY-MM-DD.")]
        ) from None


@app.command("new")
def new(
    client: int = typer.Option(..., "--client", help="The client's id (goalwise client list)."),
    file: Path = typer.Option(..., "--file", help=_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the new card as JSON."),
) -> None:
    """Make a card and its goal (percentage of targets met per day, SMART-checked)."""
    view = cards.create_card(open_ctx(), Actor.system(), client, read_json_file(file))
    if as_json:
        print_json(
            {"id": view.id, "goal_id": view.goal_id, "client_id": view.client_id, **card_to_dict(view.card)}
        )
        return
    out.print(f"{view.id}\t{view.card.title}")
    err.print(f"[green]Made[/] card {view.id} with goal {view.goal_id}.")


@app.command("rate")
def rate(
    card_id: int = typer.Argument(..., help="The card's id."),
    on: str = typer.Option(..., "--on", help="The day, YYYY-MM-DD."),
    ratings: str = typer.Option(..., "--ratings", help='Targets by position: "1=yes,2=no,3=na".'),
    period: str | None = typer.Option(
        None, "--period", help="The period of the day, for a card with periods."
    ),
    comment: str | None = typer.Option(None, "--comment", help="The rater's comment."),
    as_json: bool = typer.Option(False, "--json", help="Print the day as JSON."),
) -> None:
    """Rate a day (or one period); rating it again replaces it, the earlier rating kept in its history."""
    day = card_reading.rate(
        open_ctx(), Actor.system(), card_id, _day(on), ratings, period=period, comment=comment
    )
    if as_json:
        print_json(day_json(day))
        return
    shown = "no value (only not applicable)" if day.percent is None else f"{day.percent:g} %"
    out.print(f"{day.on.isoformat()}\t{shown}")


@app.command("show")
def show(
    card_id: int = typer.Argument(..., help="The card's id."),
    as_json: bool = typer.Option(False, "--json", help="Print the card and its days as JSON."),
) -> None:
    """The card, its days of the last eight weeks, each target's hit rate and the shaping check."""
    shown = card_reading.show(open_ctx(), Actor.system(), card_id)
    view = shown.view
    if as_json:
        data = {"id": view.id, "goal_id": view.goal_id, "revision": view.revision, **card_to_dict(view.card)}
        data["days"] = [day_json(d) for d in shown.days]
        data["hit_rates"] = shown.hit_rates
        data["shaping"] = {"suggest": shown.shaping.suggest, "message": shown.shaping.message}
        print_json(data)
        return
    out.print(f"{view.card.title} (goal {view.card.goal_percent:g} % of targets met)")
    table = Table("day", "percent", "met", "reward")
    for d in shown.days:
        percent = "-" if d.percent is None else f"{d.percent:g}"
        met = "-" if d.met is None else ("yes" if d.met else "no")
        table.add_row(d.on.isoformat(), percent, met, d.reward.reward if d.reward else "")
    out.print(table)
    for target, rate_ in zip(view.card.targets, shown.hit_rates, strict=True):
        out.print(f"{target.text}: {'-' if rate_ is None else f'{rate_:g} %'}")
    out.print(shown.shaping.message)


@app.command("rater")
def rater(
    card_id: int = typer.Argument(..., help="The card's id."),
    name: str = typer.Option(..., "--name", help="The rater's name, e.g. Ms Patel."),
    email: str | None = typer.Option(None, "--email", help="The rater's email (optional)."),
    as_json: bool = typer.Option(False, "--json", help="Print the link as JSON."),
) -> None:
    """Invite a rater: a private link to rate today's card, built from GOALWISE_BASE_URL."""
    ctx = open_ctx()
    info, token = raters.invite_rater(ctx, Actor.system(), card_id, name, email=email)
    link = ctx.link(raters.rater_path(token))
    if as_json:
        print_json(
            {"id": info.id, "name": info.name, "link": link, "expires_at": info.expires_at.isoformat()}
        )
        return
    err.print(f"Give {info.name} this private link (it works until {info.expires_at.date().isoformat()}):")
    out.print(link, soft_wrap=True)


@app.command("rater-revoke")
def rater_revoke(
    card_id: int = typer.Argument(..., help="The card's id."),
    name: str = typer.Option(..., "--name", help="The rater's name as invited."),
) -> None:
    """End a rater's link at once; it then answers 404."""
    ended = raters.revoke_rater(open_ctx(), Actor.system(), card_id, name)
    err.print(f"[green]Ended[/] {ended} link{'s' if ended != 1 else ''} of {name.strip()}.")


def register(root: typer.Typer) -> None:
    """Add ``goalwise card``."""
    root.add_typer(
        app, name="card", help="Daily report cards: targets rated each day by a teacher or parent."
    )
