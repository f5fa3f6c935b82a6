"""The terminal chart (plotext) for `goalwise chart CLIENT METRIC`."""

from __future__ import annotations

from datetime import date, timedelta

from goalwise.reports.charts import ChartPoint, ChartSpec, PhaseMark
from goalwise.reports.terminal_chart import render_terminal

START = date(2025, 1, 6)
SPEC = ChartSpec(
    title="PHQ-9 total score",
    points=tuple(
        ChartPoint(START + timedelta(days=14 * k), s, "moderately severe" if s >= 15 else "mild")
        for k, s in enumerate([18, 17, 18, 9, 8, 7])
    ),
    phases=(PhaseMark("CBT module 1", START + timedelta(days=31)),),
    target=5,
    reviews=(START + timedelta(days=56),),
    sudden_gains=(START + timedelta(days=42),),
    y_range=(0, 27),
)


def test_renders_the_title_within_the_given_width() -> None:
    out = render_terminal(SPEC, width=80, height=20)
    lines = out.splitlines()
    assert "PHQ-9 total score" in lines[0]
    assert max(len(line) for line in lines) == 80


def test_a_narrower_width_gives_narrower_output() -> None:
    lines = render_terminal(SPEC, width=60, height=15).splitlines()
    assert max(len(line) for line in lines) == 60
    assert "PHQ-9 total score" in lines[0]


def test_plain_output_has_no_ansi_codes() -> None:
    assert "\x1b[" not in render_terminal(SPEC)


def test_key_names_bands_target_phases_and_marks_in_text() -> None:
    out = render_terminal(SPEC)
    key = " ".join(out[out.index("Key:") :].split())
    assert "D moderately severe" in key
    assert "# mild" in key
    assert "─ target (5)" in key
    assert "* sudden gain" in key
    assert "CBT module 1 from 2025-02-06" in key
    assert "reviews: 2025-03-03" in key


def test_band_markers_are_drawn_in_the_plot() -> None:
    plot = render_terminal(SPEC).split("Key:")[0]
    assert "D" in plot  # moderately severe
    assert "#" in plot  # mild


def test_rendering_is_repeatable() -> None:
    assert render_terminal(SPEC) == render_terminal(SPEC)


def test_an_empty_chart_still_renders_its_title() -> None:
    out = render_terminal(ChartSpec(title="Mood", points=()), width=40, height=10)
    assert "Mood" in out
    assert "no entries yet" in out
