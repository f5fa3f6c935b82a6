"""Review lines carry their GAS level; the T-score over reviews is a chart of its own."""

from __future__ import annotations

from datetime import date

from goalwise.reports.charts import ChartPoint, ChartSpec, data_table, line_chart
from goalwise.reports.progress_chart import t_score_chart_spec

DAYS = [date(2026, 3, d) for d in (2, 9, 16, 23, 30)]


def test_a_review_line_is_labelled_with_its_gas_level() -> None:
    spec = ChartSpec(
        title="Fewer panic attacks",
        points=tuple(ChartPoint(d, v, "") for d, v in zip(DAYS, (5, 4, 3, 2, 2), strict=True)),
        reviews=(DAYS[2],),
        review_levels=((DAYS[2], -1),),
        chart_id="chart-t",
    )
    svg = line_chart(spec)
    assert "GAS -1" in svg and f"review-level-{DAYS[2].isoformat()}" in svg
    assert data_table(spec)[3] == ("2026-03-16", "3", "", "", "review, GAS -1")


def test_t_score_chart_has_the_expected_outcome_line_and_every_review() -> None:
    # Reviews: one goal at -1 (T 40), then +1 (60), then three goals at -2 each (T 22.6).
    spec = t_score_chart_spec([(DAYS[0], 40.0, "goals"), (DAYS[2], 60.0, "goals"), (DAYS[4], 22.6, "plan")])
    assert spec.target == 50.0 and spec.reviews == (DAYS[0], DAYS[2], DAYS[4])
    assert spec.y_range == (17.6, 80.0)  # 22.6 - 5 below the usual 20-80
    assert [p.label for p in spec.points] == ["goals review", "goals review", "plan review"]
    assert "Goal attainment over reviews" in line_chart(spec)
