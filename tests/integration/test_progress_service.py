"""Progress of a metric from stored data: the service, the SVG endpoint and `goalwise chart`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.reports.charts import line_chart
from goalwise.reports.progress_chart import chart_spec
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.services.progress.progress import analyse_metric
from goalwise.storage.tables import audit_events

END = date(2026, 6, 30)


@pytest.fixture
def demo_ctx(ctx: Context) -> Context:
    load_demo(ctx, Actor.system(), n_clients=2, days=120, seed=4, end_on=END)
    return ctx


def test_mood_analysis_has_baseline_and_phase_effects(demo_ctx: Context) -> None:
    analysis = analyse_metric(demo_ctx, Actor.system(), 1, "mood", END)
    summary = analysis.summary
    assert summary.baseline is not None and summary.baseline.n >= 5
    assert [e.phase for e in summary.effects] == ["CBT module 1", "CBT module 2"]
    assert all(0 <= e.nap.value <= 1 for e in summary.effects)
    assert analysis.improvement == "increase"
    with demo_ctx.db.read() as conn:
        assert conn.execute(select(audit_events).where(audit_events.c.object_type == "progress")).first()


def test_weekly_goal_is_charted_as_weekly_totals_with_met_status(demo_ctx: Context) -> None:
    analysis = analyse_metric(demo_ctx, Actor.system(), 1, "panic_attacks", END)
    assert analysis.goal is not None and analysis.goal.period == "week"
    assert {label for _, _, label in analysis.labelled} <= {"met", "not met", "week in progress"}
    assert all(on.weekday() == 0 for on, _, _ in analysis.labelled)  # one point per ISO week, on Monday
    svg = line_chart(chart_spec(analysis))
    assert "<title" in svg and 'role="img"' in svg


def test_instrument_points_carry_severity_bands(demo_ctx: Context) -> None:
    analysis = analyse_metric(demo_ctx, Actor.system(), 2, "phq9", END)
    bands = {label for _, _, label in analysis.labelled}
    assert bands <= {"minimal", "mild", "moderate", "moderately severe", "severe"}
    assert analysis.scale == (0.0, 27.0)


def test_unknown_metric_and_foreign_client_are_not_found(demo_ctx: Context) -> None:
    with pytest.raises(NotFound, match="no metric"):
        analyse_metric(demo_ctx, Actor.system(), 1, "steps", END)
    with pytest.raises(NotFound):
        analyse_metric(demo_ctx, Actor(role="client", user_id=99, client_id=2), 1, "mood", END)


def test_chart_command_prints_a_terminal_chart_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--clients", "2", "--days", "60", "--end-on", "2026-06-30"]) == 0
    capsys.readouterr()
    assert main(["chart", "1", "mood", "--as-of", "2026-06-30", "--width", "60", "--height", "10"]) == 0
    out = capsys.readouterr().out
    assert "Mood" in out and "vs baseline: NAP" in out
    assert main(["chart", "2", "phq9", "--as-of", "2026-06-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["table"][0][:3] == ["Date", "Value", "Band or status"]
    assert main(["chart", "1", "nothing"]) == 1
    assert "no metric" in capsys.readouterr().err


def _proportion_goal(ctx: Context, successes: Callable[[int], int]) -> tuple[Cast, Any, date]:
    """Client A's "conversations-80pct" goal (baseline 40 %, target 80 %) with ``successes(n)`` of 4
    encounters logged n days ago, for the 14 days before today; the cast, the goal and today."""
    from tests.support.cast import make_cast

    from goalwise.services.goals import goals
    from goalwise.services.measurement import observations

    cast = make_cast(ctx)
    client_id = cast.client_a.client_id
    assert client_id is not None
    as_of = datetime.now(UTC).date()
    goal = goals.create_from_template(
        ctx,
        cast.therapist.actor,
        client_id,
        "conversations-80pct",
        baseline=40,
        start_on=as_of - timedelta(days=27),
        activate=True,
    )
    assert goal.metric_key is not None
    for back in range(1, 15):
        at = datetime.combine(as_of - timedelta(days=back), time(12), tzinfo=UTC)
        observations.log(
            ctx, cast.client_a.actor, client_id, goal.metric_key, successes(back), denominator=4, at=at
        )
    return cast, goal, as_of


def test_a_proportion_is_charted_and_reviewed_as_a_percentage(ctx: Context) -> None:
    """'3 of 4 conversations' is 75 % on the goal page, in the review's suggestion, in the caseload's
    forecast and on shared pages, the scale of the goal's baseline (40 %) and target (80 %); not 3."""
    from fastapi.testclient import TestClient

    from goalwise.services.reviews.suggestion import goal_points
    from goalwise.storage.tables import goals as goals_table
    from goalwise.web.app import create_app

    cast, goal, as_of = _proportion_goal(ctx, lambda _: 3)
    client_id = cast.client_a.client_id
    analysis = analyse_metric(ctx, cast.therapist.actor, client_id, goal.metric_key, as_of=as_of)
    assert {p.value for p in analysis.summary.daily} == {75.0}  # 3 / 4 x 100, every day
    assert {v for _, v, _ in analysis.labelled} == {75.0}
    with ctx.db.read() as conn:
        row = conn.execute(select(goals_table).where(goals_table.c.id == goal.id)).one()
        assert {v for _, v in goal_points(conn, row, as_of)} == {75.0}
    # The pages say what the number is: a percentage of the metric's unit.
    with TestClient(create_app(ctx.settings, ctx.db)) as api:
        page = api.get(f"/clients/{client_id}/goals/{goal.id}", headers=cast.therapist.headers).text
        # The template's unit is "of social encounters with a 5-minute conversation".
        words = "% of social encounters with a 5-minute conversation"
        assert f"75 {words}" in page and f"at least 80 {words}" in page and "of of" not in page
        mine = api.get(f"/my/goals/{goal.id}", headers=cast.client_a.headers)
        assert mine.status_code == 200 and f"75 {words}" in mine.text
        assert "of of" not in mine.text and "a week" not in mine.text
        # The baseline in the client's words is a percentage too (the template's baseline is 40).
        assert f"When you started, you were at 40 {words}." in mine.text


def test_a_proportions_forecast_stays_between_0_and_100_percent(ctx: Context) -> None:
    """A percentage cannot be projected below 0 or above 100 (the template's metric stores no
    scale of its own; a proportion's range is 0-100)."""
    # 4 of 4 and 1 of 4 on alternate days: 100 % and 25 %, a wide spread.
    cast, goal, as_of = _proportion_goal(ctx, lambda back: 4 if back % 2 else 1)
    found = analyse_metric(ctx, cast.therapist.actor, cast.client_a.client_id, goal.metric_key, as_of=as_of)
    forecast = found.summary.forecast
    assert forecast is not None and forecast.low is not None and forecast.high is not None
    assert 0.0 <= forecast.low <= forecast.high <= 100.0
