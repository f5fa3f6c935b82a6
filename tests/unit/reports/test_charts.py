"""SVG charts: identical bytes, accessible markup, one colour (and shape) per band, a data table.

Golden file: ``golden/phq9_chart.svg`` holds the SVG of :data:`PHQ9_SPEC` rendered once. The test
compares bytes exactly, normalising nothing. A matplotlib upgrade may legitimately change the
output; then look at the new chart and, if it is right, regenerate the file with::

    GOALWISE_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/unit/reports/test_charts.py

and commit the new golden file together with the upgrade.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
import pytest

from goalwise.reports.charts import (
    BAND_STYLES,
    ChartPoint,
    ChartSpec,
    PhaseMark,
    band_styles,
    data_table,
    default_description,
    format_value,
    line_chart,
    trend_lines,
)

GOLDEN = Path(__file__).parent / "golden" / "phq9_chart.svg"
SVG = "{http://www.w3.org/2000/svg}"
START = date(2025, 1, 6)
SCORES = [18, 17, 18, 10, 9, 8, 7, 6]  # one sudden gain between sessions 3 and 4
DAYS = [START + timedelta(days=14 * k) for k in range(len(SCORES))]


def phq9_band(score: int) -> str:
    # CLINICAL.md §1.2: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe
    for upper, label in ((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe")):
        if score <= upper:
            return label
    return "severe"


PHQ9_SPEC = ChartSpec(
    title="PHQ-9 total score",
    description="PHQ-9 every two weeks from 6 January to 14 April 2025, falling from 18 to 6.",
    points=tuple(ChartPoint(d, s, phq9_band(s)) for d, s in zip(DAYS, SCORES, strict=True)),
    y_label="PHQ-9 total (0-27)",
    phases=(PhaseMark("Baseline", DAYS[0]), PhaseMark("CBT module 1", DAYS[2] + timedelta(days=3))),
    target=5,
    target_label="Remission: below 5",
    reviews=(DAYS[5],),
    sudden_gains=(DAYS[3],),
    y_range=(0, 27),
    chart_id="phq9",
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def marker_fills(root: ET.Element, chart_id: str) -> dict[str, set[str]]:
    """Fill colours of the point markers, per band group (``{chart_id}-band-...``)."""
    fills: dict[str, set[str]] = {}
    prefix = f"{chart_id}-band-"
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if gid.startswith(prefix):
            styles = [use.get("style", "") for use in group.iter(f"{SVG}use")]
            fills[gid.removeprefix(prefix)] = {
                part.split(":")[1].strip()
                for style in styles
                for part in style.split(";")
                if part.strip().startswith("fill:")
            }
    return fills


def test_phq9_chart_matches_the_golden_file() -> None:
    svg = line_chart(PHQ9_SPEC)
    if os.environ.get("GOALWISE_REGEN_GOLDEN") == "1":
        GOLDEN.write_text(svg, encoding="utf-8")
    assert GOLDEN.read_bytes() == svg.encode("utf-8"), (
        f"The chart differs from {GOLDEN.name} (matplotlib {matplotlib.__version__}); "
        "see this module's docstring."
    )


def test_rendering_twice_gives_identical_bytes() -> None:
    spec = ChartSpec(
        title="Daily anxiety",
        points=tuple(ChartPoint(START + timedelta(days=k), float(5 + k % 3), "") for k in range(21)),
        rolling_window=7,
    )
    assert line_chart(spec) == line_chart(spec)


def test_svg_root_has_role_title_and_description() -> None:
    root = parse(line_chart(PHQ9_SPEC))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = list(root)[:2]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert title.text == "PHQ-9 total score"
    assert desc.text == PHQ9_SPEC.description
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_each_band_has_exactly_one_fill_colour_and_bands_differ() -> None:
    root = parse(line_chart(PHQ9_SPEC))
    fills = marker_fills(root, "phq9")
    # Bands present: 18, 17, 18 moderately severe; 10 moderate; 9, 8, 7, 6 mild.
    assert set(fills) == {"moderately-severe", "moderate", "mild"}
    assert all(len(colours) == 1 for colours in fills.values())
    assert len({next(iter(c)) for c in fills.values()}) == 3
    assert fills["mild"] == {BAND_STYLES["mild"].colour.lower()}


def test_each_band_group_holds_one_marker_per_point() -> None:
    root = parse(line_chart(PHQ9_SPEC))
    counts = {
        g.get("id"): len(list(g.iter(f"{SVG}use")))
        for g in root.iter(f"{SVG}g")
        if g.get("id", "").startswith("phq9-band-")
    }
    assert counts == {"phq9-band-moderately-severe": 3, "phq9-band-moderate": 1, "phq9-band-mild": 4}


def test_band_names_and_marks_appear_as_text_in_the_svg() -> None:
    texts = {t.text for t in parse(line_chart(PHQ9_SPEC)).iter(f"{SVG}text")}
    assert {"mild", "moderate", "moderately severe", "Sudden gain", "Review", "Remission: below 5"} <= texts
    assert {"Baseline", "CBT module 1"} <= {(t or "").strip() for t in texts}


def test_met_and_not_met_have_different_colours_and_shapes() -> None:
    points = [
        ChartPoint(START + timedelta(days=7 * k), v, "met" if v >= 3 else "not met")
        for k, v in enumerate([1, 3, 4, 2])
    ]
    styles = band_styles(points)
    assert list(styles) == ["met", "not met"]
    assert styles["met"].colour != styles["not met"].colour
    assert styles["met"].marker != styles["not met"].marker
    spec = ChartSpec(title="Walks a week", points=tuple(points), target=3, chart_id="walks")
    fills = marker_fills(parse(line_chart(spec)), "walks")
    assert {k: len(v) for k, v in fills.items()} == {"met": 1, "not-met": 1}


def test_unknown_labels_get_unused_palette_colours() -> None:
    points = [
        ChartPoint(START, 1, "mild"),
        ChartPoint(START + timedelta(1), 2, "bumpy"),
        ChartPoint(START + timedelta(2), 3, "calm"),
    ]
    styles = band_styles(points)
    assert list(styles) == ["mild", "bumpy", "calm"]  # known severity order first, then first appearance
    assert len({s.colour for s in styles.values()}) == 3
    assert len({s.marker for s in styles.values()}) == 3


def test_text_with_markup_characters_is_escaped() -> None:
    spec = ChartSpec(
        title='Panic <attacks> & "avoidance"', points=(ChartPoint(START, 2, ""),), description="a < b"
    )
    root = parse(line_chart(spec))
    title, desc = list(root)[:2]
    assert title.text == 'Panic <attacks> & "avoidance"'
    assert desc.text == "a < b"


def test_two_charts_share_no_element_ids() -> None:
    first = parse(line_chart(PHQ9_SPEC))
    second = parse(line_chart(ChartSpec(title="Other", points=PHQ9_SPEC.points, chart_id="other")))
    ids = lambda root: {e.get("id") for e in root.iter() if e.get("id")}  # noqa: E731
    assert ids(first).isdisjoint(ids(second))


def test_rolling_mean_and_trend_are_drawn_when_asked() -> None:
    spec = ChartSpec(
        title="Sleep hours",
        points=tuple(ChartPoint(START + timedelta(days=k), 6 + k / 10, "") for k in range(14)),
        rolling_window=7,
        chart_id="sleep",
    )
    ids = {g.get("id") for g in parse(line_chart(spec)).iter(f"{SVG}g")}
    assert {"sleep-rolling-mean", "sleep-trend-1", "sleep-band-entries"} <= ids


def test_an_empty_chart_says_so() -> None:
    svg = line_chart(ChartSpec(title="Mood", points=()))
    assert "No entries yet" in svg
    assert parse(svg).get("role") == "img"


def test_rendering_leaks_no_matplotlib_settings() -> None:
    before = (matplotlib.rcParams["svg.hashsalt"], matplotlib.rcParams["svg.fonttype"])
    line_chart(PHQ9_SPEC)
    assert (matplotlib.rcParams["svg.hashsalt"], matplotlib.rcParams["svg.fonttype"]) == before


def test_data_table_lists_date_value_band_phase_and_notes() -> None:
    rows = data_table(PHQ9_SPEC)
    assert rows[0] == ("Date", "Value", "Band or status", "Phase", "Notes")
    assert rows[1] == ("2025-01-06", "18", "moderately severe", "Baseline", "")
    assert rows[4] == ("2025-02-17", "10", "moderate", "CBT module 1", "sudden gain")
    assert rows[6] == ("2025-03-17", "8", "mild", "CBT module 1", "review")
    assert len(rows) == 1 + len(SCORES)


def test_default_description_summarises_in_words() -> None:
    spec = ChartSpec(title="PHQ-9", points=PHQ9_SPEC.points, target=5)
    assert default_description(spec) == (
        "PHQ-9: 8 entries from 2025-01-06 to 2025-04-14; first 18 (moderately severe), last 6 (mild). "
        "Target line at 5."
    )


@pytest.mark.parametrize(
    ("value", "text"), [(12.0, "12"), (10.125, "10.125"), (6.5, "6.5"), (15.428571, "15.429")]
)
def test_format_value(value: float, text: str) -> None:
    assert format_value(value) == text


def test_trend_lines_are_fitted_per_phase() -> None:
    baseline, cbt = trend_lines(PHQ9_SPEC)
    # Baseline 18, 17, 18 on days 0, 14, 28: slopes -1/14, 0, 1/14 -> median 0; intercept median 18.
    assert (baseline.start_on, baseline.end_on) == (DAYS[0], DAYS[2])
    assert (baseline.start_value, baseline.end_value) == (pytest.approx(18.0), pytest.approx(18.0))
    # CBT 10, 9, 8, 7, 6 every 14 days: slope -1/14 a day; from 10 down to 10 - 56/14 = 6.
    assert (cbt.start_on, cbt.end_on) == (DAYS[3], DAYS[7])
    assert (cbt.start_value, cbt.end_value) == (pytest.approx(10.0), pytest.approx(6.0))


@pytest.mark.parametrize("text", ["Spend under $20$ a week", "$$", r"a \frac{1}{0} $x^", "$\\alpha"])
def test_dollar_signs_and_backslashes_are_drawn_as_plain_text(text: str) -> None:
    spec = ChartSpec(
        title=text,
        points=(ChartPoint(START, 2, text), ChartPoint(START + timedelta(1), 3, "")),
        phases=(PhaseMark(text, START),),
        target=2.5,
        target_label=text,
        y_label=text,
    )
    svg = line_chart(spec)
    root = parse(svg)
    assert next(iter(root)).text == text
    drawn = svg.split("</desc>", 1)[1]
    # Title, y label, phase name, band and target legend: drawn as typed (svg.fonttype none keeps text).
    assert drawn.count(f"{escape(text)}</text>") == 5
