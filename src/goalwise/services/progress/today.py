"""The client's own view: Today (check-in, questionnaires due, each goal's next step, small wins)
and one goal in plain words (now, target, by when, baseline, trend and forecast).

Decisions recorded here:

* **A passed deadline is said, not hidden.** A goal still ``active`` after its deadline is shown
  as such, with the promise that it will be looked at in the next review: the client is not left
  reading "active" on a goal whose time ran out, and nothing is changed behind the therapist's back.
* **Small wins are about showing up.** The logging streak counts every local day with any value
  (a check-in, a goal value), so a client who logs is noticed even before a goal has a trend; the
  goals' own wins (personal bests, weeks met) come from ``analytics.small_win`` through each
  goal's analysis. Setbacks keep their normalising tone.
* Every day is the client's own local day (their time zone), never the server's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from goalwise.analytics.small_win import Win, logging_streak, streak_win
from goalwise.analytics.summary import MetricAnalysis
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.metric import value_unit
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals
from goalwise.services.goals.goal_plans import PlanItem
from goalwise.services.goals.goals import Goal
from goalwise.services.measurement import assessments
from goalwise.services.measurement.assessments import ScheduleStatus
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.services.progress.progress import analyse_metric
from goalwise.storage.tables import observations

__all__ = ["GoalCard", "TodayView", "client_day", "goal_card", "plain_forecast", "today"]

#: How far back the logging streak looks (a longer streak is still counted as "at least" this).
STREAK_WINDOW_DAYS = 400

_FORECAST_WORDS = {
    "achieved": "Your most recent week already meets the target. Well done.",
    "on_track": "If things carry on as they have lately, you will reach the target by the deadline.",
    "at_risk": (
        "At the current pace you may fall a little short by the deadline, but it is within reach; "
        "a small change could make the difference."
    ),
    "off_track": (
        "At the current pace the target is out of reach by the deadline. That is useful to know: "
        "you and your therapist can adjust the plan or the target together."
    ),
    "insufficient_data": "A few more days of values are needed before a forecast can be made.",
    "no_recent_data": "No values in the last 7 days, so there is no forecast yet. Log one when you can.",
}


@dataclass(frozen=True, slots=True)
class GoalCard:
    """One goal as the client sees it: now / target / by when, the next step, the analysis."""

    goal: Goal
    analysis: MetricAnalysis | None
    next_step: PlanItem | None
    now: float | None
    target: float | None
    comparator: str | None
    unit: str | None
    deadline_passed: bool
    forecast_words: str
    #: What "now" is: "average of the last 7 days", "this week so far", "last full week", ...
    now_label: str = ""
    #: A percentage (``unit`` then reads "% of ..."), which is not an amount per week.
    proportion: bool = False

    @property
    def weekly(self) -> bool:
        """True when the target counts a week's total rather than a day's value."""
        return (
            self.analysis is not None
            and self.analysis.goal is not None
            and self.analysis.goal.period == "week"
        )


@dataclass(frozen=True, slots=True)
class TodayView:
    """Everything the client's Today page shows, on the client's local day ``as_of``."""

    as_of: date
    timezone: str
    logged_today: bool
    streak: int
    wins: tuple[Win, ...]
    due: tuple[ScheduleStatus, ...]
    cards: tuple[GoalCard, ...]
    proposed: tuple[Goal, ...]


def _target(goal: Goal) -> tuple[float | None, str | None]:
    target = goal.spec.get("target")
    value = target.get("value") if isinstance(target, dict) else target
    comparator = target.get("comparator") if isinstance(target, dict) else None
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, comparator
    return float(value), comparator


def plain_forecast(analysis: MetricAnalysis | None) -> str:
    """The goal's forecast in kind, plain words (no statistics)."""
    if analysis is None:
        return "No values logged yet. Log your first one and a picture will start to form."
    projection = analysis.summary.forecast
    if projection is None:
        return "This goal has no target or deadline to forecast against yet."
    weekly = analysis.goal is not None and analysis.goal.period == "week"
    if weekly and projection.status in ("insufficient_data", "no_recent_data"):
        # A weekly target compares whole weeks: the week in progress is not judged yet.
        return "A forecast starts once a few full weeks are logged; the current week is still in progress."
    return _FORECAST_WORDS.get(projection.status, projection.reason)


def _now(analysis: MetricAnalysis | None) -> tuple[float | None, str]:
    """The value that stands for "now" and what it is, in words."""
    if analysis is None or not analysis.labelled or analysis.summary.now is None:
        return None, ""
    # One "now" for every page (analytics.now): for a weekly target the last full week, with the
    # week in progress as "so far".
    return analysis.summary.now.value, analysis.summary.now.detail()


def goal_card(ctx: Context, actor: Actor, goal: Goal, as_of: date) -> GoalCard:
    """The card of ``goal`` on the client's day ``as_of`` (its analysis, if it has values)."""
    analysis = None
    if goal.metric_key is not None:
        try:
            analysis = analyse_metric(ctx, actor, goal.client_id, goal.metric_key, as_of)
        except NotFound:
            analysis = None  # nothing logged yet
    target, comparator = _target(goal)
    metric = goal.spec.get("metric") if isinstance(goal.spec.get("metric"), dict) else {}
    unit = value_unit(metric.get("kind"), metric.get("unit")) if isinstance(metric, dict) else None
    now, now_label = _now(analysis)
    return GoalCard(
        goal=goal,
        analysis=analysis,
        next_step=goal_plans.next_item(ctx, actor, goal.id),
        now=now,
        target=target,
        comparator=comparator,
        unit=unit,
        proportion=isinstance(metric, dict) and metric.get("kind") == "proportion",
        deadline_passed=goal.status == "active" and goal.deadline_on is not None and goal.deadline_on < as_of,
        forecast_words=plain_forecast(analysis),
        now_label=now_label,
    )


def _logged_days(ctx: Context, actor: Actor, client_id: int, as_of: date) -> tuple[str, list[date]]:
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        timezone = client_timezone(conn, client_id)
        days = conn.execute(
            select(observations.c.local_on)
            .where(
                observations.c.client_id == client_id,
                observations.c.superseded_at.is_(None),
                observations.c.local_on > as_of - timedelta(days=STREAK_WINDOW_DAYS),
                observations.c.local_on <= as_of,
            )
            .distinct()
        ).scalars()
        return timezone, list(days)


def client_day(ctx: Context, actor: Actor, client_id: int) -> date:
    """Today in the client's time zone, if the actor may read the client's records."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return local_now(client_timezone(conn, client_id))


def _wins(days: list[date], cards: list[GoalCard], as_of: date) -> tuple[Win, ...]:
    """The streak (over every value logged) and each goal's recent wins, newest first, no repeats."""
    found: list[Win] = []
    streak = streak_win(days, as_of)
    if streak is not None:
        found.append(streak)
    recent = as_of - timedelta(days=7)
    for card in cards:
        if card.analysis is None:
            continue
        for win in card.analysis.summary.wins:
            if win.kind != "streak" and win.on >= recent and win not in found:
                found.append(win)
    return tuple(sorted(found, key=lambda w: w.on, reverse=True))


def today(ctx: Context, actor: Actor, client_id: int) -> TodayView:
    """The client's Today: whether they logged today, their streak and wins, questionnaires due,
    a card per active goal with its next step, and the goals they proposed (awaiting the therapist)."""
    as_of = client_day(ctx, actor, client_id)
    timezone, days = _logged_days(ctx, actor, client_id, as_of)
    mine = goals.list_goals(ctx, actor, client_id)
    cards = [goal_card(ctx, actor, g, as_of) for g in mine if g.status == "active"]
    due = [s for s in assessments.schedules(ctx, actor, client_id, as_of=as_of) if s.status != "upcoming"]
    return TodayView(
        as_of=as_of,
        timezone=timezone,
        logged_today=as_of in days,
        streak=logging_streak(days, as_of),
        wins=_wins(days, cards, as_of),
        due=tuple(due),
        cards=tuple(cards),
        proposed=tuple(g for g in mine if g.status == "proposed"),
    )
