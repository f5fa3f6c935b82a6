"""``goalwise chart``: a metric or questionnaire over time, in the terminal (and as SVG)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_ctx, out, print_json, write_private
from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.services.context import Context
from goalwise.services.measurement.observations import list_metrics
from goalwise.services.progress.progress import analyse_metric


def chart(
    client_id: int = typer.Argument(..., help="Client id."),
    metric: str = typer.Argument(
        ..., help="Metric key (mood, anxiety, sleep_hours, a goal's metric) or phq9, gad7, ..."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Analyse up to this day (YYYY-MM-DD); default today."
    ),
    svg: Path | None = typer.Option(None, "--svg", help="Also write the chart as an SVG file."),
    width: int = typer.Option(80, "--width", help="Terminal chart width in characters."),
    height: int = typer.Option(20, "--height", help="Terminal chart height in lines."),
    as_json: bool = typer.Option(False, "--json", help="Print the data table and the analysis as JSON."),
) -> None:
    """Chart a metric with its phases, target, trend and severity bands."""
    # Imported here: matplotlib and plotext take a second to load, which every other command skips.
    from goalwise.reports.charts import data_table, line_chart
    from goalwise.reports.progress_chart import chart_spec
    from goalwise.reports.terminal_chart import render_terminal

    ctx = open_ctx()
    _require_metric(ctx, client_id, metric)
    analysis = analyse_metric(
        ctx, Actor.system(), client_id, metric, date.fromisoformat(as_of) if as_of else None
    )
    spec = chart_spec(analysis)
    if svg is not None:
        write_private(svg, line_chart(spec))
        err.print(f"[green]Wrote[/] {svg}")
    summary = analysis.summary
    if as_json:
        print_json(
            {
                "metric": analysis.key,
                "label": analysis.label,
                "as_of": summary.as_of.isoformat(),
                "table": data_table(spec),
                "forecast": None
                if summary.forecast is None
                else {
                    "status": summary.forecast.status,
                    "reason": summary.forecast.reason,
                    "projected": summary.forecast.projected,
                    "low": summary.forecast.low,
                    "high": summary.forecast.high,
                },
                "effects": [
                    {
                        "phase": e.phase,
                        "nap": e.nap.value,
                        "tau": e.tau.value,
                        "tau_u": e.tau_u.value,
                        "level_change": e.level_change,
                    }
                    for e in summary.effects
                ],
            }
        )
        return
    out.print(render_terminal(spec, width=width, height=height), markup=False, highlight=False)
    if summary.forecast is not None:
        out.print(
            f"Forecast: {summary.forecast.status.replace('_', ' ')}. {summary.forecast.reason}", markup=False
        )
    for effect in summary.effects:
        out.print(
            f"{effect.phase} vs baseline: NAP {effect.nap.value:.2f}, Tau {effect.tau.value:.2f}, "
            f"level change {effect.level_change:+.2f}",
            markup=False,
        )
    if analysis.kind == "instrument":
        out.print("Goalwise supports care; it does not diagnose.", markup=False)


def _require_metric(ctx: Context, client_id: int, key: str) -> None:
    """Refuse an unknown metric with the command that lists the client's metrics."""
    if key in instruments.codes():
        return
    known = [m.key for m in list_metrics(ctx, Actor.system(), client_id)]
    if key not in known:
        raise NotFound(
            f"client {client_id} has no metric {key!r:.40}; `goalwise metrics --client {client_id}` lists "
            f"them ({', '.join(known)}), and questionnaires chart by code ({', '.join(instruments.codes())})"
        )


def register(root: typer.Typer) -> None:
    """Add ``goalwise chart``."""
    root.command("chart", help="Chart a metric or questionnaire over time in the terminal (or as SVG).")(
        chart
    )
