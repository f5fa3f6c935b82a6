"""Obstacles to goal progress: a catalog of obstacles and strategies, and pattern rules.

The first four obstacles and their strategies are the seed's (issue 3, "Obstacles"): unclear
goals (define SMART criteria together), perfectionism (break goals into micro-actions and
normalise setbacks), procrastination (time-bound deadlines and accountability check-ins) and
priority conflicts (align goals with core values and use progress tracking). The other six
(avoidance, low motivation, setbacks, overwhelm, lack of support, time conflicts) carry the
usual CBT strategies: graded exposure, behavioural activation (Martell, Dimidjian &
Herman-Dunn 2010, *Behavioral Activation for Depression*), relapse-prevention planning, problem
solving, and implementation intentions ("when X, I will Y"; Gollwitzer 1999, *Am Psychol*
54:493-503).

Pattern rules (:func:`suggest_obstacles`) are pure and take plain values with an explicit
``as_of``: no data logged for ``no_log_days`` days -> procrastination; the weekly target
missed three weeks running -> setbacks (break into micro-actions, or adjust at review); more
than three active primary goals -> priority conflicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from goalwise.core.errors import Problem

__all__ = [
    "MAX_PRIMARY_GOALS",
    "MISSED_WEEKS",
    "NO_LOG_DAYS",
    "OBSTACLES",
    "Obstacle",
    "ObstacleLog",
    "ObstacleSuggestion",
    "Strategy",
    "get_obstacle",
    "missed_weeks_rule",
    "no_log_rule",
    "suggest_obstacles",
    "too_many_goals_rule",
    "validate_obstacle_log",
]

NO_LOG_DAYS = 3
MISSED_WEEKS = 3
MAX_PRIMARY_GOALS = 3


@dataclass(frozen=True, slots=True)
class Strategy:
    """One way to meet an obstacle."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Obstacle:
    """An obstacle with its description and strategies."""

    id: str
    name: str
    description: str
    strategies: tuple[Strategy, ...]


@dataclass(frozen=True, slots=True)
class ObstacleSuggestion:
    """An obstacle a pattern rule points to, why, and the strategies to offer first."""

    obstacle_id: str
    reason: str
    strategy_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ObstacleLog:
    """An obstacle met on a goal, the strategy chosen ("own" with a note) and, later, whether it helped."""

    obstacle_id: str
    strategy_id: str | None
    logged_on: date
    note: str = ""
    helped: bool | None = None


def _o(id_: str, name: str, description: str, *strategies: tuple[str, str]) -> Obstacle:
    return Obstacle(id_, name, description, tuple(Strategy(s, t) for s, t in strategies))


# fmt: off
OBSTACLES: tuple[Obstacle, ...] = (
    _o("unclear_goals", "Unclear goals", "It is not clear what exactly to do or how success will be seen.",
       ("define_smart", "Define the SMART criteria together: what is counted, from what level to what, "
                        "by when."),
       ("use_template", "Start from a goal template and fill in the numbers.")),
    _o("perfectionism", "Perfectionism", "Anything short of perfect feels like failure; steps are put off.",
       ("micro_actions", "Break the goal into micro-actions small enough to do today."),
       ("normalise_setbacks", "Normalise setbacks: a missed day is data, not failure; plan the next step.")),
    _o("procrastination", "Procrastination", "Steps are put off again and again.",
       ("time_bound", "Give the next step a time-bound deadline: a day and an hour."),
       ("accountability", "Agree accountability check-ins (a message to the therapist or a supporter).")),
    _o("priority_conflicts", "Priority conflicts", "Goals compete for the same time and energy.",
       ("align_values", "Align goals with core values: keep the 2-3 that matter most as primary."),
       ("track_progress", "Use progress tracking to see which goals move and which stall.")),
    _o("avoidance", "Avoidance", "Situations or feelings linked to the goal are avoided.",
       ("graded_steps", "Build a ladder of small exposure steps and start with the easiest."),
       ("approach_goal", "Rewrite the goal as an approach goal: what you will do, not what you will stop.")),
    _o("low_motivation", "Low motivation", "It is hard to start, and the goal feels far away.",
       ("activate_first", "Act first, motivation follows: schedule one small activity and do it."),
       ("reconnect_values", "Reconnect the goal with why it matters; rate its importance 0-10."),
       ("small_wins", "Notice small wins: look at the chart of the last 2 weeks.")),
    _o("setbacks", "Setbacks", "Progress has stalled or gone backwards.",
       ("micro_actions", "Break the next step into micro-actions."),
       ("adjust_target", "Adjust the target or deadline at the next review; a revision is not a failure."),
       ("learn_from_best", "Look at the best recent week: what was different, and can it be repeated?")),
    _o("overwhelm", "Overwhelm", "There is too much at once to know where to start.",
       ("one_step", "Pick one next step only and hide the rest of the plan for now."),
       ("problem_solving", "Problem-solve: list the options, pick one, try it, review.")),
    _o("lack_of_support", "Lack of support", "Nobody around helps with or knows about the goal.",
       ("share_progress", "Share progress with one person you choose, through a supporter link."),
       ("ask_for_help", "Name one concrete thing someone could do to help, and ask for it.")),
    _o("time_conflicts", "Time conflicts", "Other demands leave no time for the steps.",
       ("implementation_intention", "Tie the step to an existing routine: 'after breakfast, I will ...'."),
       ("shrink_step", "Shrink the step to fit the time there is, e.g. 5 minutes instead of 20.")),
)
# fmt: on

_BY_ID: Mapping[str, Obstacle] = MappingProxyType({obstacle.id: obstacle for obstacle in OBSTACLES})


def get_obstacle(obstacle_id: str) -> Obstacle | None:
    """The catalog obstacle with ``obstacle_id``, or None."""
    return _BY_ID.get(obstacle_id)


def validate_obstacle_log(obstacle_id: str, strategy_id: str | None, note: str = "") -> list[Problem]:
    """Problems with logging ``obstacle_id`` on a goal with ``strategy_id``.

    The strategy is one of the obstacle's catalog strategies, or "own" with a note saying what it is.
    """
    obstacle = _BY_ID.get(obstacle_id)
    if obstacle is None:
        known = ", ".join(_BY_ID)
        return [
            Problem(
                "obstacle-unknown",
                "obstacle_id",
                f"Obstacle '{obstacle_id}' is unknown.",
                f"Use one of {known}.",
            )
        ]
    if strategy_id is None:
        return []
    known_strategies = [s.id for s in obstacle.strategies]
    if strategy_id == "own":
        if note.strip():
            return []
        return [
            Problem(
                "strategy-note",
                "note",
                "An own strategy needs a note saying what it is.",
                "Describe it in a sentence.",
            )
        ]
    if strategy_id not in known_strategies:
        options = ", ".join([*known_strategies, "own"])
        message = f"Strategy '{strategy_id}' is not one of the strategies for {obstacle.name.lower()}."
        return [Problem("strategy-unknown", "strategy_id", message, f"Use one of {options}.")]
    return []


def no_log_rule(
    as_of: date, last_logged_on: date | None, started_on: date | None = None, days: int = NO_LOG_DAYS
) -> ObstacleSuggestion | None:
    """Procrastination when nothing has been logged for ``days`` days or more.

    When nothing was ever logged, the days count from ``started_on``.
    """
    since = last_logged_on or started_on
    if since is None or (as_of - since).days < days:
        return None
    gap = (as_of - since).days
    what = "since the last entry" if last_logged_on else "since the goal started"
    return ObstacleSuggestion(
        "procrastination", f"Nothing logged for {gap} days {what}.", ("time_bound", "accountability")
    )


def missed_weeks_rule(
    weekly_target_met: Sequence[bool], weeks: int = MISSED_WEEKS
) -> ObstacleSuggestion | None:
    """Setbacks when the last ``weeks`` entries of ``weekly_target_met`` (oldest first) are all misses."""
    recent = list(weekly_target_met)[-weeks:]
    if weeks <= 0 or len(recent) < weeks or any(recent):
        return None
    return ObstacleSuggestion(
        "setbacks", f"The weekly target was missed {weeks} weeks running.", ("micro_actions", "adjust_target")
    )


def too_many_goals_rule(
    active_primary_goals: int, limit: int = MAX_PRIMARY_GOALS
) -> ObstacleSuggestion | None:
    """Priority conflicts when more than ``limit`` primary goals are active."""
    if active_primary_goals <= limit:
        return None
    return ObstacleSuggestion(
        "priority_conflicts",
        f"{active_primary_goals} primary goals are active; 2-3 at a time is the advice.",
        ("align_values", "track_progress"),
    )


def suggest_obstacles(
    *,
    as_of: date,
    last_logged_on: date | None = None,
    started_on: date | None = None,
    weekly_target_met: Sequence[bool] = (),
    active_primary_goals: int = 0,
    no_log_days: int = NO_LOG_DAYS,
) -> list[ObstacleSuggestion]:
    """Every obstacle the pattern rules point to, in the order no-log, missed weeks, too many goals."""
    found = (
        no_log_rule(as_of, last_logged_on, started_on, no_log_days),
        missed_weeks_rule(weekly_target_met),
        too_many_goals_rule(active_primary_goals),
    )
    return [suggestion for suggestion in found if suggestion is not None]
