"""Use cases for obstacles: log one on a goal with the strategy chosen, record whether it helped,
and suggest obstacles from the client's data with the pattern rules of ``core.obstacle``.

The catalog, the strategies and the rules are pure data and functions in ``core.obstacle``
(issue 3, "Obstacles"); this module feeds the rules with what is stored:

* **no data logged for 3 days** (procrastination): the last local day a value of the goal's
  metric was logged (for an instrument goal, the last assessment of that instrument, with 21
  days instead of 3 because questionnaires come every 2 weeks), counted from the goal's start
  when nothing was logged yet;
* **weekly target missed three weeks running** (setbacks): each complete ISO week since the
  goal's start that has data is met or not met (``analytics.progress.weekly_met``); weeks
  without data are neither (``analytics.aggregate``: no data is not zero). The week's value
  follows the metric: the total for a count or duration per week, the mean of the daily
  totals on logged days for a count or duration per day, the mean of ratings, the number of
  days done for a checklist, the pooled percentage for a proportion, the last score for an
  instrument;
* **more than three active primary goals** (priority conflicts), once per client.

Only active goals are judged unless a goal is named. Notes are client content and are stored
encrypted (``goal_obstacles.note_enc``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from goalwise.analytics.aggregate import (
    Point,
    Trial,
    WeekProportion,
    WeekValue,
    daily,
    weekly,
    weekly_proportion,
)
from goalwise.analytics.target import Comparator as ProgressComparator
from goalwise.analytics.target import TargetValue, weekly_met
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.goal import Comparator, Direction, GoalDraft, effective_comparator, parse_draft
from goalwise.core.lifecycle import GoalStatus
from goalwise.core.measurement.observation import local_day
from goalwise.core.metric import MetricKind, Period
from goalwise.core.obstacle import (
    NO_LOG_DAYS,
    OBSTACLES,
    Obstacle,
    Strategy,
    get_obstacle,
    missed_weeks_rule,
    no_log_rule,
    too_many_goals_rule,
    validate_obstacle_log,
)
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals.goals import require_goal
from goalwise.services.measurement.record_store import as_utc, client_timezone, local_now, text_problem
from goalwise.storage.tables import assessments, goal_obstacles, goals, observations

__all__ = [
    "INSTRUMENT_NO_LOG_DAYS",
    "NOTE_CONTEXT",
    "LoggedObstacle",
    "SuggestedObstacle",
    "catalog",
    "list_for_goal",
    "log",
    "record_outcome",
    "suggest",
]

NOTE_CONTEXT = b"goal_obstacles.note_enc"
#: Questionnaires come every 2 weeks; a week's grace before "nothing logged" is suggested.
INSTRUMENT_NO_LOG_DAYS = 21


@dataclass(frozen=True, slots=True)
class LoggedObstacle:
    """An obstacle met on a goal, the strategy chosen and, once known, whether it helped."""

    id: int
    goal_id: int
    client_id: int
    obstacle_id: str
    strategy_id: str
    note: str | None
    logged_at: datetime
    helped: bool | None
    outcome_at: datetime | None

    @property
    def obstacle_name(self) -> str:
        """The catalog name of the obstacle."""
        found = get_obstacle(self.obstacle_id)
        return found.name if found else self.obstacle_id

    @property
    def strategy_text(self) -> str:
        """What the strategy says (the note for an own strategy)."""
        found = get_obstacle(self.obstacle_id)
        for strategy in found.strategies if found else ():
            if strategy.id == self.strategy_id:
                return strategy.text
        return self.note or self.strategy_id


@dataclass(frozen=True, slots=True)
class SuggestedObstacle:
    """An obstacle a pattern rule points to, on a goal (None for the client as a whole), and why."""

    goal_id: int | None
    obstacle_id: str
    name: str
    reason: str
    strategies: tuple[Strategy, ...]


def catalog() -> tuple[Obstacle, ...]:
    """The obstacle catalog with its strategies (``core.obstacle.OBSTACLES``)."""
    return OBSTACLES


def _to_logged(ctx: Context, row: Any) -> LoggedObstacle:
    return LoggedObstacle(
        id=int(row.id),
        goal_id=int(row.goal_id),
        client_id=int(row.client_id),
        obstacle_id=row.obstacle,
        strategy_id=row.strategy,
        note=ctx.keys.decrypt(row.note_enc, context=NOTE_CONTEXT),
        logged_at=as_utc(row.logged_at),
        helped=None if row.helped is None else bool(row.helped),
        outcome_at=None if row.outcome_at is None else as_utc(row.outcome_at),
    )


def log(
    ctx: Context,
    actor: Actor,
    goal_id: int,
    obstacle_id: str,
    strategy_id: str | None,
    note: str | None = None,
) -> LoggedObstacle:
    """Log an obstacle met on the goal with the strategy chosen (a catalog strategy of that obstacle,
    or "own" with a note). Raises ``InvalidInput`` with every problem; nothing is stored then."""
    problems: list[Problem] = []
    if strategy_id is None or not strategy_id.strip():
        obstacle = get_obstacle(obstacle_id)
        options = ", ".join([*(s.id for s in obstacle.strategies), "own"]) if obstacle else "a strategy id"
        problems.append(
            Problem("strategy-missing", "strategy_id", "No strategy was chosen.", f"Choose one of {options}.")
        )
        problems += [p for p in validate_obstacle_log(obstacle_id, None) if p.field == "obstacle_id"]
    else:
        problems += validate_obstacle_log(obstacle_id, strategy_id.strip(), note or "")
    note_problem = text_problem("note", note)
    if note_problem is not None:
        problems.append(note_problem)
    if problems:
        raise InvalidInput(problems)
    assert strategy_id is not None
    with ctx.db.write() as conn:
        goal = require_goal(conn, actor, goal_id, write=True)
        new_id = conn.execute(
            insert(goal_obstacles)
            .values(
                goal_id=goal_id,
                client_id=goal.client_id,
                obstacle=obstacle_id,
                strategy=strategy_id.strip(),
                note_enc=ctx.keys.encrypt(
                    note.strip() if note and note.strip() else None, context=NOTE_CONTEXT
                ),
                logged_at=datetime.now(UTC),
            )
            .returning(goal_obstacles.c.id)
        ).scalar_one()
        audit.record(conn, actor, "create", "goal-obstacle", new_id, goal.client_id)
        return _to_logged(
            ctx, conn.execute(select(goal_obstacles).where(goal_obstacles.c.id == new_id)).one()
        )


def record_outcome(ctx: Context, actor: Actor, logged_id: int, *, helped: bool) -> LoggedObstacle:
    """Record whether the strategy helped (it may be recorded again when the picture changes)."""
    if not isinstance(helped, bool):
        raise InvalidInput(
            [Problem("outcome-helped", "helped", "helped must be true or false.", "Send true or false.")]
        )
    with ctx.db.write() as conn:
        row = conn.execute(select(goal_obstacles).where(goal_obstacles.c.id == logged_id)).first()
        if row is None:
            raise NotFound(f"goal obstacle {logged_id} not found")
        try:
            authz.require_client(conn, actor, row.client_id, write=True)
        except NotFound:
            raise NotFound(f"goal obstacle {logged_id} not found") from None
        conn.execute(
            update(goal_obstacles)
            .where(goal_obstacles.c.id == logged_id)
            .values(helped=helped, outcome_at=datetime.now(UTC))
        )
        audit.record(conn, actor, "update", "goal-obstacle", logged_id, row.client_id)
        return _to_logged(
            ctx, conn.execute(select(goal_obstacles).where(goal_obstacles.c.id == logged_id)).one()
        )


def list_for_goal(ctx: Context, actor: Actor, goal_id: int) -> list[LoggedObstacle]:
    """The obstacles logged on the goal, oldest first; the view is audited."""
    with ctx.db.write() as conn:
        goal = require_goal(conn, actor, goal_id)
        rows = conn.execute(
            select(goal_obstacles)
            .where(goal_obstacles.c.goal_id == goal_id)
            .order_by(goal_obstacles.c.logged_at, goal_obstacles.c.id)
        ).all()
        audit.record(conn, actor, "view", "goal-obstacles", goal_id, goal.client_id)
        return [_to_logged(ctx, row) for row in rows]


# -- pattern rules ----------------------------------------------------------------------------------


def _spec(value: Any) -> dict[str, Any]:
    return dict(json.loads(value) if isinstance(value, str) else value or {})


def _target(draft: GoalDraft) -> tuple[TargetValue, ProgressComparator] | None:
    target = draft.target
    if target is None:
        return None
    if draft.direction is Direction.MAINTAIN:
        if target.low is None or target.high is None or target.low > target.high:
            return None
        return (target.low, target.high), "maintain"
    comparator = effective_comparator(draft)
    if target.value is None or comparator is None:
        return None
    return target.value, "==" if comparator is Comparator.EQ else comparator.value  # type: ignore[return-value]


def _weekly_values(draft: GoalDraft, rows: Sequence[Any]) -> Sequence[WeekValue | WeekProportion]:
    """One value per ISO week with data, as the module docstring describes for each metric kind."""
    metric = draft.metric
    assert metric is not None
    if metric.kind is MetricKind.PROPORTION:
        trials = [
            Trial(r.local_on, int(r.value), int(r.denominator or 0))
            for r in rows
            if (r.denominator or 0) >= r.value
        ]
        return weekly_proportion(trials)
    points = [Point(r.local_on, float(r.value)) for r in rows]
    if metric.kind is MetricKind.RATING:
        return weekly(points, "mean")
    if metric.kind is MetricKind.CHECKLIST:
        return weekly(daily(points, "last"), "sum")
    if metric.kind is MetricKind.INSTRUMENT:
        return weekly(points, "last")
    if metric.period is Period.DAY:
        return weekly(daily(points, "sum"), "mean")
    return weekly(points, "sum")


def _goal_suggestions(
    goal: Any, draft: GoalDraft, rows: Sequence[Any], last_logged: date | None, as_of: date, started: date
) -> list[SuggestedObstacle]:
    found = []
    instrument = draft.metric is not None and draft.metric.kind is MetricKind.INSTRUMENT
    days = INSTRUMENT_NO_LOG_DAYS if instrument else NO_LOG_DAYS
    if started <= as_of:
        found.append(no_log_rule(as_of, last_logged, started, days))
    target = _target(draft)
    if draft.metric is not None and target is not None:
        this_monday = as_of - timedelta(days=as_of.weekday())
        complete = [r for r in rows if started <= r.local_on < this_monday]
        met = weekly_met(_weekly_values(draft, complete), target[0], target[1])
        found.append(missed_weeks_rule([ok for _, ok in met]))
    return [_suggested(goal.id, s) for s in found if s is not None]


def _suggested(goal_id: int | None, suggestion: Any) -> SuggestedObstacle:
    obstacle = get_obstacle(suggestion.obstacle_id)
    assert obstacle is not None
    first = [s for sid in suggestion.strategy_ids for s in obstacle.strategies if s.id == sid]
    rest = [s for s in obstacle.strategies if s not in first]
    return SuggestedObstacle(goal_id, obstacle.id, obstacle.name, suggestion.reason, tuple(first + rest))


def _values_by_goal(
    conn: Connection, client_id: int, rows: Iterable[Any], drafts: dict[int, GoalDraft], as_of: date
) -> dict[int, list[Any]]:
    """Each goal's stored values up to ``as_of``: observations of its metric, or its instrument's scores."""
    goal_rows = list(rows)
    metric_ids = {g.metric_id for g in goal_rows if g.metric_id is not None}
    by_metric: dict[int, list[Any]] = defaultdict(list)
    if metric_ids:
        query = (
            select(
                observations.c.metric_id,
                observations.c.local_on,
                observations.c.value,
                observations.c.denominator,
            )
            .where(
                observations.c.metric_id.in_(metric_ids),
                observations.c.superseded_at.is_(None),
                observations.c.local_on <= as_of,
            )
            .order_by(observations.c.at, observations.c.id)
        )
        for r in conn.execute(query):
            by_metric[int(r.metric_id)].append(r)
    wanted = {
        d.metric.instrument for d in drafts.values() if d.metric and d.metric.kind is MetricKind.INSTRUMENT
    }
    by_instrument: dict[str, list[Any]] = defaultdict(list)
    if wanted - {None}:
        query = (
            select(
                assessments.c.instrument,
                assessments.c.local_on,
                assessments.c.total.label("value"),
                assessments.c.total.label("denominator"),
            )
            .where(
                assessments.c.client_id == client_id,
                assessments.c.instrument.in_(wanted - {None}),
                assessments.c.local_on <= as_of,
            )
            .order_by(assessments.c.at, assessments.c.id)
        )
        for r in conn.execute(query):
            by_instrument[r.instrument].append(r)
    out: dict[int, list[Any]] = {}
    for g in goal_rows:
        metric = drafts[g.id].metric
        if metric is not None and metric.kind is MetricKind.INSTRUMENT:
            out[g.id] = by_instrument.get(metric.instrument or "", [])
        else:
            out[g.id] = by_metric.get(int(g.metric_id), []) if g.metric_id is not None else []
    return out


def suggest(
    ctx: Context, actor: Actor, client_id: int, *, goal_id: int | None = None, as_of: date | None = None
) -> list[SuggestedObstacle]:
    """Obstacles the pattern rules point to for the client's active goals (or the one named), as of
    the client's today unless ``as_of`` is given; rules and their inputs: the module docstring.
    The view is audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        tz = client_timezone(conn, client_id)
        today = as_of or local_now(tz)
        query = select(goals).where(goals.c.client_id == client_id)
        if goal_id is not None:
            query = query.where(goals.c.id == goal_id)
        rows = conn.execute(query.order_by(goals.c.id)).all()
        if goal_id is not None and not rows:
            raise NotFound(f"goal {goal_id} not found")
        active = [r for r in rows if r.status == GoalStatus.ACTIVE.value]
        judged = rows if goal_id is not None else active
        drafts = {int(r.id): parse_draft(_spec(r.spec))[0] for r in judged}
        values = _values_by_goal(conn, client_id, judged, drafts, today)
        primaries = conn.execute(
            select(goals.c.id).where(
                goals.c.client_id == client_id,
                goals.c.status == GoalStatus.ACTIVE.value,
                goals.c.priority == "primary",
            )
        ).all()
        audit.record(conn, actor, "view", "obstacle-suggestions", goal_id, client_id)
    found: list[SuggestedObstacle] = []
    for row in judged:
        draft, stored = drafts[int(row.id)], values[int(row.id)]
        started = row.start_on or local_day(as_utc(row.created_at), tz)
        last = max((r.local_on for r in stored), default=None)
        found += _goal_suggestions(row, draft, stored, last, today, started)
    crowded = too_many_goals_rule(len(primaries))
    if crowded is not None and goal_id is None:
        found.append(_suggested(None, crowded))
    return found
