"""SVG line charts of a metric or instrument, byte-for-byte identical for identical input.

One chart serves the web page, the PDF report and (through :func:`data_table`) the accessible table
beside it. Points are coloured by severity band (instruments) or by target met / not met (goals)
from the Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"), and each
band also has its own marker shape, a legend entry and a column in the data table, so colour is
never the only carrier of meaning (WCAG 2.2, success criterion 1.4.1 "Use of Color").

Determinism: matplotlib is driven through ``matplotlib.figure.Figure`` (no pyplot global state),
with ``svg.hashsalt`` fixed, no date in the metadata, a fixed figure size and DejaVu Sans (bundled
with matplotlib), all inside ``rc_context`` so no setting leaks. ``rc_context`` changes the global
rcParams for its duration, so rendering holds a module lock: two threads in a web server cannot
undo each other's settings mid-render. A matplotlib upgrade may change the bytes (the golden file
test then says how to regenerate it).

Accessibility: the root ``<svg>`` gets ``role="img"`` and ``aria-labelledby`` pointing at a
``<title>`` and a ``<desc>`` inserted as its first children.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.text import Text

from goalwise.analytics.aggregate import Point, daily, rolling_mean
from goalwise.analytics.trend import theil_sen

__all__ = [
    "BAND_STYLES",
    "OKABE_ITO",
    "BandStyle",
    "ChartPoint",
    "ChartSpec",
    "PhaseMark",
    "TrendLine",
    "band_styles",
    "data_table",
    "default_description",
    "format_value",
    "line_chart",
    "trend_lines",
]

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True, slots=True)
class BandStyle:
    """How one band's points look: a fill colour and a matplotlib marker shape."""

    colour: str
    marker: str


_GOOD = BandStyle(OKABE_ITO["bluish green"], "o")
_BAD = BandStyle(OKABE_ITO["vermillion"], "X")
# Severity runs green -> sky blue -> orange -> vermillion -> purple; the low ("good") end of every
# instrument shares one style, as do "not met" and the screens' positive / poor bands.
BAND_STYLES: dict[str, BandStyle] = {
    "minimal": _GOOD,
    "none": _GOOD,
    "normal": _GOOD,
    "negative": _GOOD,
    "adequate": _GOOD,
    "met": _GOOD,
    "mild": BandStyle(OKABE_ITO["sky blue"], "s"),
    "moderate": BandStyle(OKABE_ITO["orange"], "^"),
    "moderately severe": BandStyle(OKABE_ITO["vermillion"], "D"),
    "severe": BandStyle(OKABE_ITO["reddish purple"], "v"),
    "very severe": BandStyle(OKABE_ITO["blue"], "P"),
    "positive": _BAD,
    "poor": _BAD,
    "not met": _BAD,
}
_FALLBACK_COLOURS = ("#0072B2", "#E69F00", "#56B4E9", "#CC79A7", "#009E73", "#D55E00", "#000000", "#F0E442")
_FALLBACK_MARKERS = ("P", "h", "*", "p", "<", ">", "8", "d")
_NO_BAND = BandStyle(OKABE_ITO["blue"], "o")

_INK = "#000000"
_LINE_GREY = "#777777"
_TREND = OKABE_ITO["blue"]
_FIGSIZE = (8.0, 4.5)
_LAYOUT_SIZES = {"page": _FIGSIZE, "phone": (4.2, 4.4), "small": (4.2, 1.7)}
_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "path.simplify": False,
    "text.usetex": False,
}
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One plotted value: its day, value and band label (or ``"met"`` / ``"not met"``)."""

    on: date
    value: float
    label: str = ""


@dataclass(frozen=True, slots=True)
class PhaseMark:
    """A phase drawn as a vertical line with its name, from its first day."""

    name: str
    start_on: date


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """Everything a chart shows. ``description`` defaults to :func:`default_description`.

    ``trend`` draws a Theil-Sen line per phase (Theil 1950; Sen 1968; CLINICAL.md §5.1);
    ``rolling_window`` (days) adds a trailing calendar-day rolling mean; ``reviews`` are review
    dates, and ``review_levels`` the GAS level a review held on a date gave (written on its line);
    ``sudden_gains`` the dates of the first session after each sudden gain (a date with no
    point is not drawn; ``SuddenGain.post_index`` gives the session). ``chart_id``
    keeps ids unique when several charts share a page (default: derived from the title).
    """

    title: str
    points: tuple[ChartPoint, ...]
    description: str = ""
    y_label: str = ""
    phases: tuple[PhaseMark, ...] = ()
    target: float | None = None
    target_label: str = ""
    trend: bool = True
    rolling_window: int | None = None
    reviews: tuple[date, ...] = ()
    review_levels: tuple[tuple[date, int], ...] = ()
    sudden_gains: tuple[date, ...] = ()
    y_range: tuple[float, float] | None = None
    chart_id: str = ""
    #: "page" (wide, legend at the right), "phone" (narrow, legend below, for a 360-pixel screen)
    #: or "small" (a card's thumbnail: no title, legend or axis label; the alt text and table say it all).
    layout: str = "page"


def format_value(value: float) -> str:
    """A value as text: whole numbers without decimals, others with up to 3 (10.125, 6.5)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _x(day: date) -> float:
    """Days since matplotlib's epoch: plotting numbers keeps the date axis explicit and typed."""
    return float(date2num(day))  # type: ignore[no-untyped-call]


def _xs(days: Sequence[date]) -> list[float]:
    return [_x(day) for day in days]


def _bands_in_order(points: Sequence[ChartPoint]) -> list[str]:
    known = list(BAND_STYLES)
    seen = list(dict.fromkeys(p.label for p in sorted(points, key=lambda p: p.on)))
    return sorted(seen, key=lambda b: (b not in BAND_STYLES, known.index(b) if b in BAND_STYLES else 0))


def band_styles(points: Sequence[ChartPoint]) -> dict[str, BandStyle]:
    """The style of each band present, in legend order (severity order, then first appearance).

    Known labels (severity bands, met / not met) have fixed styles; any other label, or a known one
    whose colour is already taken in this chart, gets the next palette colour and marker not yet
    used, so two bands of one chart never share a colour while the palette lasts (8 colours).
    """
    styles: dict[str, BandStyle] = {}
    for band in _bands_in_order(points):
        style = BAND_STYLES.get(band, _NO_BAND if band == "" else None)
        used_colours = {s.colour for s in styles.values()}
        if style is None or style.colour in used_colours:
            free = [c for c in _FALLBACK_COLOURS if c not in used_colours] or list(_FALLBACK_COLOURS)
            used_markers = {s.marker for s in styles.values()}
            shapes = [m for m in _FALLBACK_MARKERS if m not in used_markers] or list(_FALLBACK_MARKERS)
            style = BandStyle(free[0], shapes[0])
        styles[band] = style
    return styles


def _phase_of(day: date, phases: Sequence[PhaseMark]) -> str:
    current = ""
    for phase in sorted(phases, key=lambda p: p.start_on):
        if phase.start_on <= day:
            current = phase.name
    return current


def default_description(spec: ChartSpec) -> str:
    """A plain-words summary of the chart for ``<desc>`` when the caller gives none."""
    points = sorted(spec.points, key=lambda p: p.on)
    if not points:
        return f"{spec.title}: no entries yet."
    first, last = points[0], points[-1]

    def said(p: ChartPoint) -> str:
        return format_value(p.value) + (f" ({p.label})" if p.label else "")

    text = (
        f"{spec.title}: {len(points)} entr{'y' if len(points) == 1 else 'ies'} from {first.on.isoformat()} "
        f"to {last.on.isoformat()}; first {said(first)}, last {said(last)}."
    )
    if spec.target is not None:
        text += f" Target line at {format_value(spec.target)}" + (
            f" ({spec.target_label})." if spec.target_label else "."
        )
    if spec.sudden_gains:
        text += f" Sudden gains: {len(spec.sudden_gains)}."
    return text


def _target_text(spec: ChartSpec) -> str:
    if spec.target is None:
        return ""
    return spec.target_label or f"Target ({format_value(spec.target)})"


def data_table(spec: ChartSpec) -> list[tuple[str, ...]]:
    """The chart's data as text rows, header first: date, value, band or status, phase, notes.

    The accessible alternative to the picture (and what a screen reader user gets); notes mark
    sudden gains and review days.
    """
    gains, reviews, levels = set(spec.sudden_gains), set(spec.reviews), dict(spec.review_levels)
    rows: list[tuple[str, ...]] = [("Date", "Value", "Band or status", "Phase", "Notes")]
    for point in sorted(spec.points, key=lambda p: p.on):
        review = f"review, GAS {levels[point.on]:+d}" if point.on in levels else "review"
        notes = [n for n, hit in (("sudden gain", point.on in gains), (review, point.on in reviews)) if hit]
        rows.append(
            (
                point.on.isoformat(),
                format_value(point.value),
                point.label,
                _phase_of(point.on, spec.phases),
                "; ".join(notes),
            )
        )
    return rows


def _chart_id(spec: ChartSpec) -> str:
    if spec.chart_id:
        return spec.chart_id
    return "chart-" + hashlib.sha256(spec.title.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class TrendLine:
    """A Theil-Sen line over one phase, from its first to its last day with data."""

    start_on: date
    start_value: float
    end_on: date
    end_value: float


def trend_lines(spec: ChartSpec) -> list[TrendLine]:
    """One Theil-Sen line per phase (points before the first phase form their own segment).

    The fit is over daily means against the day (Theil 1950; Sen 1968; CLINICAL.md §5.1); a phase
    with fewer than 2 days of data has no line. Shared by the SVG and the terminal chart.
    """
    starts = sorted(p.start_on for p in spec.phases)
    segments: dict[int, list[Point]] = {}
    for point in spec.points:
        segments.setdefault(bisect_right(starts, point.on), []).append(Point(point.on, point.value))
    lines: list[TrendLine] = []
    for _, segment in sorted(segments.items()):
        days = daily(segment, how="mean")
        if len(days) < 2:
            continue
        first, last = days[0].on, days[-1].on
        slope, intercept = theil_sen([p.value for p in days], [float((p.on - first).days) for p in days])
        lines.append(TrendLine(first, intercept, last, intercept + slope * (last - first).days))
    return lines


def _draw_trend(ax: Axes, spec: ChartSpec) -> None:
    for number, line in enumerate(trend_lines(spec), start=1):
        ax.plot(
            _xs([line.start_on, line.end_on]),
            [line.start_value, line.end_value],
            color=_TREND,
            linewidth=1.4,
            label="Trend (Theil-Sen)" if number == 1 else "_nolegend_",
            zorder=2,
            gid=f"trend-{number}",
        )


def _draw_rolling(ax: Axes, points: Sequence[ChartPoint], window: int) -> None:
    rolled = rolling_mean(daily([Point(p.on, p.value) for p in points], how="mean"), window)
    xs: list[date] = []
    ys: list[float] = []
    for index, point in enumerate(rolled):
        if index and (point.on - rolled[index - 1].on).days > 1:
            # NaN breaks the line across a gap with no data rather than bridging it.
            xs.append(point.on)
            ys.append(float("nan"))
        xs.append(point.on)
        ys.append(point.value)
    if xs:
        ax.plot(
            _xs(xs),
            ys,
            color=_LINE_GREY,
            linestyle=(0, (1, 1)),
            linewidth=1.4,
            label=f"{window}-day rolling mean",
            zorder=2,
            gid="rolling-mean",
        )


def _draw_marks(ax: Axes, spec: ChartSpec, points: Sequence[ChartPoint]) -> None:
    for phase in sorted(spec.phases, key=lambda p: p.start_on):
        ax.axvline(_x(phase.start_on), color="#444444", linewidth=1.0, zorder=1)
        ax.text(
            _x(phase.start_on),
            0.98,
            f" {phase.name}",
            transform=ax.get_xaxis_transform(),
            rotation=90,
            va="top",
            ha="left",
            fontsize=8,
            color="#222222",
        )
    for index, day in enumerate(sorted(spec.reviews)):
        ax.axvline(
            _x(day),
            color="#666666",
            linestyle=(0, (2, 2)),
            linewidth=1.0,
            zorder=1,
            label="Review" if index == 0 else "_nolegend_",
            gid=f"review-{index + 1}",
        )
    for day, level in sorted(spec.review_levels):
        ax.text(
            _x(day),
            0.02,
            f" GAS {level:+d}" if level else " GAS 0",
            transform=ax.get_xaxis_transform(),
            rotation=90,
            va="bottom",
            ha="left",
            fontsize=8,
            color="#222222",
            gid=f"review-level-{day.isoformat()}",
        )
    if spec.target is not None:
        ax.axhline(
            spec.target,
            color=_INK,
            linestyle=(0, (5, 3)),
            linewidth=1.0,
            zorder=1,
            label=_target_text(spec),
            gid="target",
        )
    values = {p.on: p.value for p in points}
    gains = [d for d in sorted(spec.sudden_gains) if d in values]
    if gains:
        ax.plot(
            _xs(gains),
            [values[d] for d in gains],
            linestyle="none",
            marker="*",
            markersize=16,
            markerfacecolor="none",
            markeredgecolor=_INK,
            markeredgewidth=1.2,
            label="Sudden gain",
            zorder=4,
            gid="sudden-gains",
        )


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in label.lower()) or "entries"


def _draw(fig: Figure, spec: ChartSpec) -> None:
    ax = fig.add_subplot()
    points = sorted(spec.points, key=lambda p: p.on)
    if spec.layout != "small":
        ax.set_title(spec.title, loc="left")
    if spec.y_label and spec.layout != "small":
        ax.set_ylabel(spec.y_label)
    if points:
        ax.plot(
            _xs([p.on for p in points]), [p.value for p in points], color=_LINE_GREY, linewidth=0.8, zorder=1
        )
        for band, style in band_styles(points).items():
            mine = [p for p in points if p.label == band]
            ax.plot(
                _xs([p.on for p in mine]),
                [p.value for p in mine],
                linestyle="none",
                marker=style.marker,
                markersize=7,
                markerfacecolor=style.colour,
                markeredgecolor=_INK,
                markeredgewidth=0.6,
                color=style.colour,
                label=band or "Entries",
                zorder=3,
                gid=f"band-{_slug(band)}",
            )
        if spec.trend:
            _draw_trend(ax, spec)
        if spec.rolling_window:
            _draw_rolling(ax, points, spec.rolling_window)
    else:
        ax.text(0.5, 0.5, "No entries yet", transform=ax.transAxes, ha="center", va="center")
    _draw_marks(ax, spec, points)
    if spec.y_range is not None:
        ax.set_ylim(*spec.y_range)
    if spec.layout != "page" and len({p.on for p in points}) == 1:
        # One day of data: a fortnight around it, not the years matplotlib widens a single date to.
        ax.set_xlim(_x(points[0].on) - 7, _x(points[0].on) + 7)
    ticks = 8 if spec.layout == "page" else 5
    locator = AutoDateLocator(minticks=3, maxticks=ticks)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if ax.get_legend_handles_labels()[0] and spec.layout == "page":
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    elif ax.get_legend_handles_labels()[0] and spec.layout == "phone":
        # Below the plot, in two columns, so the plot keeps the phone's whole width.
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.14), ncol=2, frameon=False, fontsize=8)


_ID = re.compile(r'(\bid="|url\(#|xlink:href="#)')


def _add_accessibility(svg: str, chart_id: str, title: str, description: str) -> str:
    """Make the SVG fit for inlining and give the root a role, a title and a description.

    Drops the XML prologue (not allowed inside HTML), prefixes every id and reference with the
    chart id (matplotlib numbers its groups ``figure_1``, ``axes_1``... in every chart, which would
    clash when two charts share a page) and inserts ``<title>`` and ``<desc>`` as first children.
    """
    svg = _ID.sub(lambda m: f"{m.group(1)}{chart_id}-", svg[svg.index("<svg") :])
    end = svg.index(">")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    labelled_by = quoteattr(f"{title_id} {desc_id}")
    opening = f'{svg[:end]} id={quoteattr(chart_id)} role="img" aria-labelledby={labelled_by}>'
    inserted = (
        f"\n <title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"\n <desc id={quoteattr(desc_id)}>{escape(description)}</desc>"
    )
    return opening + inserted + svg[end + 1 :]


def _plain_text(fig: Figure) -> None:
    """Draw every text as the characters typed: a goal titled "Spend under $20$ a week" is not mathematics.

    matplotlib reads text between ``$`` as mathtext, and an unbalanced ``$`` makes it raise; titles,
    phase names, band and legend labels all come from users, so no text artist parses mathematics.
    """
    for text in fig.findobj(Text):
        text.set_parse_math(False)


def line_chart(spec: ChartSpec) -> str:
    """Render ``spec`` as SVG text: the same bytes for the same spec and matplotlib version.

    Element ids are prefixed with ``chart_id``: point markers of band ``b`` sit in the group
    ``{chart_id}-band-{b}`` (lower case, non-alphanumerics as ``-``), which tests and styles use.
    """
    chart_id = _chart_id(spec)
    description = spec.description or default_description(spec)
    with _RENDER_LOCK, matplotlib.rc_context(cast(Any, {**_RC, "svg.hashsalt": "goalwise"})):
        fig = Figure(figsize=_LAYOUT_SIZES.get(spec.layout, _FIGSIZE), layout="constrained")
        _draw(fig, spec)
        _plain_text(fig)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return _add_accessibility(buffer.getvalue(), chart_id, spec.title, description)
