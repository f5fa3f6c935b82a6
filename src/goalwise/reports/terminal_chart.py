"""The chart of :mod:`goalwise.reports.charts` drawn in the terminal with plotext (6.x API).

It backs ``goalwise chart CLIENT METRIC``. The same :class:`~goalwise.reports.charts.ChartSpec`
feeds both renderers, so the terminal shows the same points, bands, phases, target, trend, reviews
and sudden gains as the SVG. Each band has its own marker character, and the key is printed as
plain text under the plot (never over the data), so the chart reads without colour.

plotext keeps one global figure per process (``plotext.figure``), so rendering holds a lock and
clears the figure first; the terminal size limit is switched off while rendering (the size is the
one asked for, not the terminal's) and restored afterwards.
"""

from __future__ import annotations

import textwrap
import threading
from datetime import date
from typing import Any

import plotext as plt  # type: ignore[import-untyped]

from goalwise.reports.charts import ChartSpec, band_styles, format_value, trend_lines

__all__ = ["TERMINAL_MARKERS", "render_terminal"]

# matplotlib marker -> a terminal character of a similar shape (ASCII, so any terminal shows it)
TERMINAL_MARKERS: dict[str, str] = {
    "o": "o",
    "s": "#",
    "^": "^",
    "D": "D",
    "v": "v",
    "P": "+",
    "X": "x",
    "h": "h",
    "*": "@",
    "p": "p",
    "<": "<",
    ">": ">",
    "8": "8",
    "d": "d",
}
_GAIN_MARKER = "*"
_LOCK = threading.Lock()
_DATE_FORM = "%Y-%m-%d"


def _iso(day: date) -> str:
    return day.strftime(_DATE_FORM)


def _draw_trend(fig: Any, spec: ChartSpec) -> bool:
    lines = trend_lines(spec)
    for line in lines:
        fig.draw(
            fig.segment(
                [_iso(line.start_on), _iso(line.end_on)], [line.start_value, line.end_value], marker="."
            )
        )
    return bool(lines)


def _key(spec: ChartSpec, markers: dict[str, str], trend: bool, width: int) -> list[str]:
    parts = [f"{char} {band or 'entry'}" for band, char in markers.items()]
    if spec.target is not None:
        parts.append(f"─ {spec.target_label or f'target ({format_value(spec.target)})'}")
    if trend:
        parts.append(". trend (Theil-Sen)")
    if spec.sudden_gains:
        parts.append(f"{_GAIN_MARKER} sudden gain")
    if spec.phases:
        names = ", ".join(
            f"{p.name} from {_iso(p.start_on)}" for p in sorted(spec.phases, key=lambda p: p.start_on)
        )
        parts.append(f"│ phases: {names}")
    if spec.reviews:
        parts.append("│ reviews: " + ", ".join(_iso(d) for d in sorted(spec.reviews)))
    if not spec.points:
        parts.insert(0, "no entries yet")
    return textwrap.wrap("Key: " + "; ".join(parts), width=width)


def render_terminal(spec: ChartSpec, width: int = 80, height: int = 20, colour: bool = False) -> str:
    """Render ``spec`` as text for a terminal, ``width`` columns wide and ``height`` rows for the plot.

    Without ``colour`` the output is plain text (no ANSI codes), which is what tests and pipes
    want. A key of markers, target, phases and reviews follows the plot, wrapped to ``width``.
    """
    points = sorted(spec.points, key=lambda p: p.on)
    markers = {band: TERMINAL_MARKERS.get(style.marker, "o") for band, style in band_styles(points).items()}
    with _LOCK:
        terminal = plt.terminal
        saved_limit = list(getattr(terminal, "_limit", [None, None]))
        try:
            terminal.limit(False, False)
            fig = plt.figure
            fig.clear()
            fig.plot_size(width, height)
            fig.theme("default" if colour else "colorless")
            fig.date("x").activate(form=_DATE_FORM)
            fig.title(spec.title)
            if spec.y_label:
                fig.label(spec.y_label, axis="y")
            trend = False
            if points:
                # Lines first, markers last, so no line character overwrites a band marker.
                fig.draw(
                    fig.signal([_iso(p.on) for p in points], [p.value for p in points], marker="dot").lines()
                )
                trend = spec.trend and _draw_trend(fig, spec)
                for band, char in markers.items():
                    mine = [p for p in points if p.label == band]
                    fig.draw(fig.signal([_iso(p.on) for p in mine], [p.value for p in mine], marker=char))
                values = {p.on: p.value for p in points}
                gains = [d for d in sorted(spec.sudden_gains) if d in values]
                if gains:
                    fig.draw(
                        fig.signal([_iso(d) for d in gains], [values[d] for d in gains], marker=_GAIN_MARKER)
                    )
            if spec.target is not None:
                fig.line(spec.target)
            for phase in spec.phases:
                fig.line(_iso(phase.start_on), orientation="vertical")
            for review in spec.reviews:
                fig.line(_iso(review), orientation="vertical", style="dotted")
            if spec.y_range is not None:
                fig.ruler("y").lim(*spec.y_range)
            fig.legend(False)
            plot = fig.build().string(colorless=not colour)
            fig.clear()
        finally:
            terminal.limit(*saved_limit)
    lines = [line.rstrip() for line in plot.splitlines()]
    return "\n".join([*lines, *_key(spec, markers, trend, width)]) + "\n"
