"""``goalwise checkin``, ``goalwise log``, ``goalwise phase`` and ``goalwise baseline``.

The daily check-in takes under 30 seconds: give the values as options, or, at a terminal, type
them when asked (Enter skips one). Away from a terminal (scripts, cron) nothing is asked, so
nothing waits for input that never comes: as on the web, one value is enough.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

import typer
from rich.table import Table
from rich.text import Text

from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.measurement import baseline, checkins, observations, phases
from goalwise.services.measurement.observations import StoredObservation

__all__ = ["parse_at", "parse_day", "register"]

ClientOpt = typer.Option(..., "--client", help="The client's id (see `goalwise client list`).")
JsonOpt = typer.Option(False, "--json", help="Print JSON.")
AtOpt = typer.Option(
    None, "--at", help="When, ISO 8601 (e.g. 2024-05-01T08:00); no offset = client's local time."
)

phase_app = typer.Typer(help="Start and list baseline and intervention phases.", no_args_is_help=True)
baseline_app = typer.Typer(help="Show each metric's baseline summary.", no_args_is_help=True)


def parse_at(value: str | None, option: str = "--at") -> datetime | None:
    """An ISO date-time from the command line, or a usage error that shows the format."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{option} {value!r} is not a date-time; use e.g. 2024-05-01T08:00") from exc


def parse_day(value: str | None, option: str) -> date | None:
    """An ISO date from the command line, or a usage error that shows the format."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{option} {value!r} is not a date; use e.g. 2024-05-01") from exc


def is_terminal() -> bool:
    """True when a person can answer prompts (stdin is a terminal)."""
    return sys.stdin.isatty()


def _obs_json(o: StoredObservation) -> dict[str, object]:
    return {
        "id": o.id,
        "metric": o.metric_key,
        "value": o.value,
        "denominator": o.denominator,
        "at": o.at.isoformat(),
        "local_on": o.local_on.isoformat(),
        "note": o.note,
    }


def _ask(label: str) -> float | None:
    answer = typer.prompt(f"{label} (Enter to skip)", default="", show_default=False).strip()
    if not answer:
        return None
    try:
        return float(answer)
    except ValueError:
        err.print(f"[yellow]{answer!r} is not a number; skipped.[/]", markup=True, highlight=False)
        return None


def _goal_values(pairs: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        try:
            values[key.strip()] = float(raw)
        except ValueError as exc:
            raise typer.BadParameter(f"--goal {pair!r}: use KEY=VALUE, e.g. --goal panic=2") from exc
        if not sep:
            raise typer.BadParameter(f"--goal {pair!r}: use KEY=VALUE, e.g. --goal panic=2")
    return values


def checkin_cmd(
    client: int = ClientOpt,
    mood: float | None = typer.Option(None, "--mood", help="Mood 1-10 (10 is best)."),
    anxiety: float | None = typer.Option(None, "--anxiety", help="Anxiety 1-10 (10 is worst)."),
    sleep: float | None = typer.Option(None, "--sleep", help="Hours slept, e.g. 7.5."),
    note: str | None = typer.Option(None, "--note", help="Optional note (stored encrypted)."),
    goal: list[str] = typer.Option([], "--goal", help="A goal metric's value, KEY=VALUE (repeatable)."),
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Daily check-in: mood, anxiety, sleep and today's goal metrics."""
    ctx = open_ctx()
    actor = Actor.system()
    values = _goal_values(goal)
    if is_terminal():
        mood = mood if mood is not None else _ask("Mood 1-10")
        anxiety = anxiety if anxiety is not None else _ask("Anxiety 1-10")
        sleep = sleep if sleep is not None else _ask("Hours slept")
        for metric in checkins.checkin_metrics(ctx, actor, client):
            if metric.key not in ("mood", "anxiety", "sleep_hours") and metric.key not in values:
                answer = _ask(metric.label)
                if answer is not None:
                    values[metric.key] = answer
    elif mood is None and anxiety is None and sleep is None and not values:
        # The same rule as the web: one value is a check-in; with no terminal there is no one to ask.
        raise typer.BadParameter("give at least one of --mood, --anxiety, --sleep or --goal KEY=VALUE")
    done = checkins.checkin(
        ctx,
        actor,
        client,
        mood=mood,
        anxiety=anxiety,
        sleep_hours=sleep,
        note=note,
        goal_values=values,
        at=parse_at(at),
    )
    if as_json:
        print_json(
            {"local_on": done.local_on.isoformat(), "observations": [_obs_json(o) for o in done.observations]}
        )
        return
    for o in done.observations:
        out.print(f"{o.metric_key}\t{o.value:g}")
    err.print(f"[green]Checked in[/] for {done.local_on.isoformat()}.")


def log_cmd(
    metric: str = typer.Argument(..., help="Metric key, e.g. mood, anxiety, sleep_hours or a goal's metric."),
    value: float = typer.Argument(..., help="The value."),
    client: int = ClientOpt,
    at: str | None = AtOpt,
    note: str | None = typer.Option(None, "--note", help="Optional note (stored encrypted)."),
    of: float | None = typer.Option(None, "--of", help="For a proportion: how many in all (VALUE of N)."),
    ref: str | None = typer.Option(None, "--ref", help="An id that makes a repeated command store once."),
    as_json: bool = JsonOpt,
) -> None:
    """Log one value of a metric."""
    stored = observations.log(
        open_ctx(),
        Actor.system(),
        client,
        metric,
        value,
        at=parse_at(at),
        note=note,
        denominator=of,
        client_ref=ref,
    )
    if as_json:
        print_json(_obs_json(stored))
        return
    out.print(f"{stored.id}\t{stored.metric_key}\t{stored.value:g}\t{stored.local_on.isoformat()}")


@phase_app.command("start")
def phase_start(
    name: str = typer.Argument(..., help='Name, e.g. "Baseline" or "CBT module 1".'),
    client: int = ClientOpt,
    is_baseline: bool = typer.Option(False, "--baseline", help="A baseline phase (7-21 days, default 14)."),
    days: int | None = typer.Option(None, "--days", help="Planned length in days."),
    on: str | None = typer.Option(None, "--on", help="First day (YYYY-MM-DD); default today."),
) -> None:
    """Start a baseline or intervention phase."""
    started = phases.start_phase(
        open_ctx(),
        Actor.system(),
        client,
        name,
        baseline=is_baseline,
        days=days,
        start_on=parse_day(on, "--on"),
    )
    planned = f"\t{started.planned_days} days" if started.planned_days else ""
    out.print(f"{started.id}\t{started.kind}\t{started.name}\t{started.start_on.isoformat()}{planned}")


@phase_app.command("list")
def phase_list(client: int = ClientOpt, as_json: bool = JsonOpt) -> None:
    """List the client's phases."""
    spans = phases.list_phases(open_ctx(), Actor.system(), client)
    rows = [
        {
            "id": s.phase.id,
            "kind": s.phase.kind,
            "name": s.phase.name,
            "start_on": s.phase.start_on.isoformat(),
            "end_on": s.end_on.isoformat() if s.end_on else None,
            "planned_days": s.phase.planned_days,
        }
        for s in spans
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "kind", "name", "from", "to")
    for r in rows:
        table.add_row(
            str(r["id"]), str(r["kind"]), Text(str(r["name"])), str(r["start_on"]), str(r["end_on"] or "…")
        )
    out.print(table)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@baseline_app.command("show")
def baseline_show(
    client: int = ClientOpt,
    metric: str | None = typer.Option(None, "--metric", help="Only this metric key."),
    as_of: str | None = typer.Option(None, "--as-of", help="Summarise as of this day; default today."),
    as_json: bool = JsonOpt,
) -> None:
    """Baseline summary per metric, with a verdict in plain words."""
    report = baseline.show(
        open_ctx(), Actor.system(), client, metric=metric, as_of=parse_day(as_of, "--as-of")
    )
    rows = [
        {
            "metric": m.metric.key,
            "n": m.summary.n,
            "mean": m.summary.mean,
            "median": m.summary.median,
            "sd": m.summary.sd,
            "rate_per_week": m.summary.rate_per_week,
            "slope_per_week": m.summary.slope_per_week,
            "stable": m.summary.stable,
            "verdict": m.summary.verdict,
        }
        for m in report.metrics
    ]
    if as_json:
        print_json(
            {
                "start_on": report.start_on.isoformat() if report.start_on else None,
                "end_on": report.end_on.isoformat() if report.end_on else None,
                "message": report.message,
                "metrics": rows,
            }
        )
        return
    if report.start_on is None or report.end_on is None:
        err.print(report.message, markup=False)
        return
    err.print(
        f"Baseline {report.start_on.isoformat()} to {report.end_on.isoformat()} ({report.days_so_far} days)"
    )
    table = Table("metric", "n", "mean", "median", "SD", "slope/week", "verdict")
    for m in report.metrics:
        sm = m.summary
        table.add_row(
            Text(m.metric.key),
            str(sm.n),
            _num(sm.mean),
            _num(sm.median),
            _num(sm.sd),
            _num(sm.slope_per_week),
            sm.verdict,
        )
    out.print(table)


def metrics_cmd(client: int = ClientOpt, as_json: bool = JsonOpt) -> None:
    """The client's metrics: what ``log``, ``checkin --goal`` and ``chart`` accept."""
    found = observations.list_metrics(open_ctx(), Actor.system(), client)
    rows = [
        {
            "key": m.key,
            "label": m.label,
            "kind": m.kind,
            "unit": m.unit,
            "scale_min": m.scale_min,
            "scale_max": m.scale_max,
            "in_checkin": m.in_checkin,
        }
        for m in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("key", "label", "kind", "scale", "in check-in")
    for m in found:
        scale = "" if m.scale_min is None or m.scale_max is None else f"{m.scale_min:g}-{m.scale_max:g}"
        table.add_row(Text(m.key), Text(m.label), m.kind, scale, "yes" if m.in_checkin else "")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``checkin``, ``log``, ``metrics``, ``phase`` and ``baseline``."""
    app.command("metrics", help="List a client's metrics: the keys log, checkin and chart take.")(metrics_cmd)
    app.command("checkin", help="Daily check-in: mood, anxiety, sleep and today's goal metrics.")(checkin_cmd)
    app.command("log", help="Log one value of a metric: goalwise log METRIC VALUE --client ID.")(log_cmd)
    app.add_typer(phase_app, name="phase", help="Start and list baseline and intervention phases.")
    app.add_typer(baseline_app, name="baseline", help="Show each metric's baseline summary.")
