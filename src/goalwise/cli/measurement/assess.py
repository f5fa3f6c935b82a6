"""``goalwise assess``, ``goalwise alert``, ``goalwise session`` and ``goalwise schedule``.

``goalwise assess CODE --client ID`` at a terminal asks each item in its exact wording with its
answer options; answers can also be given as arguments (``-`` or ``x`` for an item left blank).
When a risk item fires, the crisis resources are printed at once in bold red.
"""

from __future__ import annotations

import re
from datetime import date

import typer
from rich.table import Table
from rich.text import Text

from goalwise.cli.measurement.measure import AtOpt, ClientOpt, JsonOpt, is_terminal, parse_at, parse_day
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.instruments import Instrument, Item
from goalwise.services.measurement import alerts, assessments, therapy_sessions
from goalwise.services.measurement.assessments import DISCLAIMER, Recorded

__all__ = ["register"]

alert_app = typer.Typer(help="List and acknowledge risk alerts.", no_args_is_help=True)
session_app = typer.Typer(help="Therapy sessions: add, update, list.", no_args_is_help=True)
schedule_app = typer.Typer(help="When each instrument is due.", no_args_is_help=True)
_BLANK = ("-", "x", "X")


def parse_answers(values: list[str]) -> list[int | None]:
    """Answers from the command line: whole numbers, ``-`` or ``x`` for an item left blank."""
    answers: list[int | None] = []
    for position, value in enumerate(values, start=1):
        if value in _BLANK:
            answers.append(None)
            continue
        try:
            answers.append(int(value))
        except ValueError as exc:
            raise typer.BadParameter(
                f"answer {position} is {value!r}; give a whole number, or - for blank"
            ) from exc
    return answers


def _ask_item(instrument: Instrument, item: Item, *, optional: bool = False) -> int | None:
    out.print(Text(f"\n{item.number}. {item.text}", style="bold"))
    for option in item.scale.options:
        out.print(Text(f"   {option.score} = {option.text}"))
    while True:
        answer = typer.prompt(
            "Answer (- to leave blank)" if not optional else "Answer (Enter to skip)",
            default="" if optional else None,
            show_default=False,
        ).strip()
        if answer in _BLANK or (optional and not answer):
            return None
        if re.fullmatch(r"-?[0-9]{1,3}", answer) and item.min_score <= int(answer) <= item.max_score:
            return int(answer)
        err.print(f"Enter a whole number from {item.min_score} to {item.max_score}.")


def _interactive(instrument: Instrument) -> list[int | None]:
    out.print(Text(f"{instrument.name} ({instrument.abbreviation})", style="bold"))
    out.print(Text(instrument.stem))
    answers = [_ask_item(instrument, item) for item in instrument.items]
    if instrument.extra_item is not None:
        extra = _ask_item(instrument, instrument.extra_item, optional=True)
        if extra is not None:
            answers.append(extra)
    return answers


def _show(done: Recorded) -> None:
    a, s = done.assessment, done.score
    total = s.total_text  # "4.5, prorated; counted as 5": the band and every cut-off read the 5
    out.print(f"{instruments.get(a.instrument).abbreviation} total {total}: {a.severity}")
    if a.flags:
        out.print("flags: " + ", ".join(a.flags))
    if s.syndrome:
        out.print(f"algorithm suggests: {s.syndrome}")
    for notice in done.notices:
        out.print(Text(notice, style="yellow"))
    if done.crisis:
        out.print(Text(done.crisis, style="bold red"))
        out.print("An alert is on the therapist's caseload until it is acknowledged with a note.")
    out.print(DISCLAIMER)


def assess_cmd(
    code: str = typer.Argument(..., help="Instrument: phq9, gad7, phq2, gad2, hamd17 or who5."),
    answers: list[str] | None = typer.Argument(None, help="Answers in item order; - or x for blank."),
    client: int = ClientOpt,
    session: int | None = typer.Option(None, "--session", help="The therapy session number."),
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record a standardized assessment (interactive at a terminal when no answers are given)."""
    instrument = instruments.get(code)
    if answers:
        given = parse_answers(answers)
    elif is_terminal():
        given = _interactive(instrument)
    else:
        raise typer.BadParameter(
            f"give the {len(instrument.items)} answers as arguments, e.g. goalwise assess {instrument.code} "
            f"--client ID {' '.join(['0'] * len(instrument.items))}"
        )
    done = assessments.record(
        open_ctx(), Actor.system(), client, instrument.code, given, at=parse_at(at), session_no=session
    )
    if not as_json:
        _show(done)
        return
    a = done.assessment
    print_json(
        {
            "id": a.id,
            "instrument": a.instrument,
            "answers": list(a.answers),
            "total": a.total,
            "counted_total": instruments.counted_total(a.total),
            "total_text": instruments.total_text(a.total, a.prorated),
            "severity": a.severity,
            "flags": list(a.flags),
            "prorated": a.prorated,
            "syndrome": done.score.syndrome,
            "local_on": a.local_on.isoformat(),
            "crisis": done.crisis,
            "alert_ids": list(done.alert_ids),
            "notices": list(done.notices),
            "disclaimer": DISCLAIMER,
        }
    )
    if done.crisis:  # JSON may go to a file or a pipe: a person must still see this at once
        err.print(Text(done.crisis, style="bold red"))


@alert_app.command("list")
def alert_list(
    client: int | None = typer.Option(
        None, "--client", help="Only this client (with acknowledged ones: --all)."
    ),
    show_all: bool = typer.Option(False, "--all", help="Include acknowledged alerts (needs --client)."),
    as_json: bool = JsonOpt,
) -> None:
    """Open risk alerts, oldest first."""
    ctx, actor = open_ctx(), Actor.system()
    found = (
        alerts.open_alerts(ctx, actor)
        if client is None
        else alerts.list_alerts(ctx, actor, client, include_acknowledged=show_all)
    )
    if as_json:
        print_json(
            [
                {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars_of(x).items()}
                for x in found
            ]
        )
        return
    if not found:
        err.print("No open alerts.")
        return
    table = Table("id", "client", "raised", "what", "acknowledged")
    for x in found:
        done = (
            f"{x.acknowledged_at:%Y-%m-%d %H:%M} by {x.acknowledged_by_name or 'command line'}"
            if x.acknowledged_at
            else ""
        )
        table.add_row(
            str(x.id),
            Text(f"{x.client_id} {x.client_name}"),
            f"{x.created_at:%Y-%m-%d %H:%M}",
            Text(x.description),
            done,
        )
    out.print(table)


def vars_of(record: object) -> dict[str, object]:
    """A slotted dataclass as a dict."""
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


@alert_app.command("ack")
def alert_ack(
    alert_id: int = typer.Argument(..., help="The alert's id (see `goalwise alert list`)."),
    note: str = typer.Option(..., "--note", help="What was done, e.g. 'Called; safety plan reviewed'."),
) -> None:
    """Acknowledge an alert with a note."""
    done = alerts.acknowledge(open_ctx(), Actor.system(), alert_id, note)
    err.print(f"[green]Acknowledged[/] alert {done.id} at {done.acknowledged_at:%Y-%m-%d %H:%M} UTC.")


@session_app.command("add")
def session_add(
    client: int = ClientOpt,
    on: str = typer.Option(..., "--on", help="The session's date (YYYY-MM-DD)."),
    status: str = typer.Option("planned", "--status", help="planned, attended or cancelled."),
    number: int | None = typer.Option(None, "--number", help="Session number; default the next."),
    instrument: list[str] = typer.Option([], "--instrument", help="An instrument given (repeatable)."),
) -> None:
    """Add a therapy session."""
    held_on = parse_day(on, "--on")
    assert held_on is not None
    s = therapy_sessions.add_session(
        open_ctx(),
        Actor.system(),
        client,
        held_on,
        status=status,
        number=number,
        instruments_given=instrument,
    )
    out.print(f"{s.number}\t{s.held_on.isoformat()}\t{s.status}\t{','.join(s.instruments)}")


@session_app.command("update")
def session_update(
    number: int = typer.Argument(..., help="Session number."),
    client: int = ClientOpt,
    status: str | None = typer.Option(None, "--status", help="planned, attended or cancelled."),
    on: str | None = typer.Option(None, "--on", help="A new date."),
    instrument: list[str] | None = typer.Option(None, "--instrument", help="Instruments given (repeatable)."),
) -> None:
    """Mark a session attended or cancelled, move it, or record the instruments given."""
    s = therapy_sessions.update_session(
        open_ctx(),
        Actor.system(),
        client,
        number,
        status=status,
        held_on=parse_day(on, "--on"),
        instruments_given=instrument or None,
    )
    out.print(f"{s.number}\t{s.held_on.isoformat()}\t{s.status}\t{','.join(s.instruments)}")


@session_app.command("list")
def session_list(client: int = ClientOpt, as_json: bool = JsonOpt) -> None:
    """List the client's sessions."""
    found = therapy_sessions.list_sessions(open_ctx(), Actor.system(), client)
    rows = [
        {
            "number": s.number,
            "held_on": s.held_on.isoformat(),
            "status": s.status,
            "instruments": list(s.instruments),
        }
        for s in found
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(f"{r['number']}\t{r['held_on']}\t{r['status']}\t{','.join(r['instruments'])}")  # type: ignore[arg-type]


@schedule_app.command("set")
def schedule_set(
    code: str = typer.Argument(..., help="Instrument code, e.g. phq9."),
    client: int = ClientOpt,
    every: int = typer.Option(..., "--every", help="Days between administrations, e.g. 14."),
    start: str | None = typer.Option(None, "--from", help="First due day; default today."),
) -> None:
    """Give an instrument every N days."""
    s = assessments.set_schedule(
        open_ctx(), Actor.system(), client, code, every, start_on=parse_day(start, "--from")
    )
    out.print(f"{s.instrument}\tevery {s.every_days} days\tfrom {s.start_on.isoformat()}")


@schedule_app.command("list")
def schedule_list(
    client: int = ClientOpt,
    as_of: str | None = typer.Option(None, "--as-of", help="The day to judge on; default today."),
    as_json: bool = JsonOpt,
) -> None:
    """Instrument schedules: upcoming, due or overdue."""
    day = parse_day(as_of, "--as-of") or date.today()
    found = assessments.schedules(open_ctx(), Actor.system(), client, as_of=day)
    rows = [
        {
            "instrument": s.schedule.instrument,
            "every_days": s.schedule.every_days,
            "last_on": s.last_on.isoformat() if s.last_on else None,
            "due_on": s.due_on.isoformat(),
            "status": s.status,
        }
        for s in found
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(f"{r['instrument']}\t{r['status']}\tdue {r['due_on']}\tlast {r['last_on'] or '-'}")


def register(app: typer.Typer) -> None:
    """Add ``assess``, ``alert``, ``session`` and ``schedule``."""
    app.command(
        "assess", help="Record a standardized assessment: goalwise assess CODE --client ID [ANSWERS...]."
    )(assess_cmd)
    app.add_typer(alert_app, name="alert", help="List and acknowledge risk alerts.")
    app.add_typer(session_app, name="session", help="Therapy sessions: add, update, list.")
    app.add_typer(schedule_app, name="schedule", help="When each instrument is due.")
