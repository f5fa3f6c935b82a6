"""The progress report as HTML and PDF: the web's Jinja template ``report.html`` drawn by WeasyPrint.

The same template and charts serve the browser and the PDF; the PDF's text is real text (a
screen reader and a search find it). WeasyPrint may fetch only ``data:`` URLs (the embedded
charts), so a report can never reach the network or the file system through a link; the
stylesheet is handed over directly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from goalwise.analytics.report import ProgressReport
from goalwise.core.errors import ConfigError
from goalwise.reports.charts import format_value
from goalwise.reports.embed import EmbeddedChart, embed
from goalwise.reports.progress_chart import chart_spec, t_score_chart_spec

__all__ = ["STYLESHEET", "report_charts", "report_html", "report_pdf"]

_WEB = Path(__file__).resolve().parent.parent / "web"
STYLESHEET = _WEB / "static" / "report.css"


def _num(value: float | None) -> str:
    return "—" if value is None else format_value(round(value, 1))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + format_value(round(value, 1))


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(_WEB / "templates")),
        autoescape=select_autoescape(("html",)),
    )
    env.globals.update(num=_num, pct=_pct, signed=_signed)
    return env


def report_charts(report: ProgressReport) -> list[EmbeddedChart]:
    """A chart per goal with a logged metric, per questionnaire and of the GAS T-scores over the
    period's reviews (none in the session summary)."""
    if report.summary:
        return []
    analyses = [g.analysis for g in report.goals if g.analysis is not None and g.analysis.labelled]
    analyses += [a for a in report.instruments if a.labelled]
    charts = [embed(chart_spec(a)) for a in analyses]
    if len(report.t_scores) >= 2:
        charts.append(embed(t_score_chart_spec(list(report.t_scores), chart_id="chart-report-gas-t")))
    return charts


def report_html(report: ProgressReport, *, stylesheet: str | None = "/static/report.css") -> str:
    """The report as a print-friendly HTML page (``stylesheet``: the URL of ``report.css``, or None)."""
    context: dict[str, Any] = {"report": report, "charts": report_charts(report), "stylesheet": stylesheet}
    return _env().get_template("report.html").render(context)


def report_pdf(report: ProgressReport) -> bytes:
    """The report as PDF bytes."""
    try:  # loaded on first use: it pulls in Pango, which start-up does not need
        import weasyprint  # type: ignore[import-untyped]
    except OSError as exc:  # WeasyPrint is installed but the Pango library is not
        raise ConfigError(
            "PDF reports need the Pango library; on Debian or Ubuntu: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0"
        ) from exc

    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    html = weasyprint.HTML(string=report_html(report, stylesheet=None), url_fetcher=fetcher)
    css = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    pdf: bytes = html.write_pdf(stylesheets=[css])
    return pdf
