"""Writing a goal with a client: the starting draft, a baseline from the client's data, and
completing a goal the client proposed.

Decisions recorded here:

* **Baseline from the data.** A template's metric is found among the client's data by a small
  table: an instrument template reads that questionnaire (its latest score), the daily mood
  template reads the check-in's mood (the mean of the last 14 days, or the baseline phase's mean
  when there is one). Other templates count something the client has not logged yet, so the
  therapist enters the baseline the client reports.
* **Completing a proposed goal** writes the revision and, when asked, the activation in one
  transaction: when activation is refused, the edit is not stored either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.goal import GoalDraft
from goalwise.core.lifecycle import GoalStatus
from goalwise.core.template import GoalTemplate, get_template
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.services.goals.goal_context import CheckContext, load_context
from goalwise.services.goals.goal_rows import require_goal
from goalwise.services.goals.goals import Goal, change_status_in, revise_in
from goalwise.services.progress.progress import analyse_metric

__all__ = ["DataBaseline", "check_context", "complete", "data_baseline", "goal_of_client", "starting_draft"]

#: Templates whose metric the client may already log, and the metric key it is logged under.
_DATA_KEYS = {"mood-rating": "mood"}
_RECENT_DAYS = 14


@dataclass(frozen=True, slots=True)
class DataBaseline:
    """A baseline read from the client's data: the value and where it came from, in words."""

    value: float
    source: str


def _key(template: GoalTemplate) -> str | None:
    if template.metric.instrument is not None:
        return template.metric.instrument
    return _DATA_KEYS.get(template.id)


def data_baseline(ctx: Context, actor: Actor, client_id: int, template_id: str) -> DataBaseline | None:
    """The baseline the client's own data gives for the template's metric, or None (module docstring)."""
    template = get_template(template_id)
    key = _key(template)
    if key is None:
        return None
    try:
        analysis = analyse_metric(ctx, actor, client_id, key)
    except NotFound:
        return None
    summary = analysis.summary
    if template.metric.instrument is not None and summary.daily:
        last = summary.daily[-1]
        return DataBaseline(
            round(last.value, 1), f"the latest {analysis.label} score, on {last.on.isoformat()}"
        )
    if summary.baseline is not None and summary.baseline.mean is not None and summary.baseline.n:
        return DataBaseline(
            round(summary.baseline.mean, 1), f"the baseline phase's mean of {summary.baseline.n} days"
        )
    recent = [p.value for p in summary.daily if p.on > summary.as_of - timedelta(days=_RECENT_DAYS)]
    if not recent:
        return None
    return DataBaseline(
        round(sum(recent) / len(recent), 1), f"the mean of the last {len(recent)} days logged"
    )


def check_context(ctx: Context, actor: Actor, client_id: int, goal_id: int | None = None) -> CheckContext:
    """The client's today and count of other active primary goals (for the 2-3 goals rule)."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return load_context(conn, client_id, goal_id)


def starting_draft(template_id: str, baseline: float | None, start_on: date) -> GoalDraft:
    """A draft from the template with ``baseline`` (the middle of the template's plausible range when
    None); ``core.template.GoalTemplate.fill``."""
    template = get_template(template_id)
    low, high = template.plausible_baseline
    return template.fill(baseline if baseline is not None else round((low + high) / 2), start_on)


def complete(
    ctx: Context,
    actor: Actor,
    goal_id: int,
    draft: Mapping[str, object],
    *,
    reason: str,
    activate: bool,
) -> Goal:
    """Revise a goal with ``draft`` and, with ``activate``, activate it, in one transaction: an
    ``InvalidInput`` from either stores nothing (``goals.revise`` and ``goals.change_status``)."""
    with ctx.db.write() as conn:
        goal = revise_in(ctx, conn, actor, goal_id, draft, reason=reason)
        if activate and goal.status != GoalStatus.ACTIVE.value:
            goal = change_status_in(
                ctx, conn, actor, goal_id, "active", reason="Activated after the SMART check"
            )
        return goal


def goal_of_client(ctx: Context, actor: Actor, client_id: int, goal_id: int) -> None:
    """``NotFound`` unless goal ``goal_id`` is one of client ``client_id``'s goals the actor may read."""
    with ctx.db.read() as conn:
        row = require_goal(conn, actor, goal_id)
        if int(row.client_id) != client_id:
            raise NotFound(f"goal {goal_id} was not found")
