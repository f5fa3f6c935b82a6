"""The SMART check: every way a goal draft falls short of Specific, Measurable, Achievable,
Relevant/Realistic and Time-bound, as Problems with a concrete fix.

SMART is Doran's mnemonic (Doran 1981, *Management Review* 70(11):35-36); the rules below are
the ones issue 3 lists. Every Problem's ``code`` starts with its SMART letter; ``severity`` is
``error`` (the goal cannot be activated) or ``warning`` (advice); ``suggestion`` is a rewrite
or a next step with numbers and dates filled in. :func:`check_goal` judges a draft;
:func:`check_text` (defined in ``core/phrases.py``, re-exported here) judges free text. Both
are pure: "today" is passed in, never read from the clock.

The A rule (achievable rate of change)
--------------------------------------
Behaviour therapy changes behaviour in small, graded steps: shaping by successive
approximation (Skinner 1953, *Science and Human Behavior*, ch. 6) and graded task assignment
(Beck, Rush, Shaw & Emery 1979, *Cognitive Therapy of Depression*). A goal that needs
a large jump each week sets the client up to fail. The rule, with its constants below:

* change needed per week = ``|target - baseline| / weeks_to_deadline``;
* for open scales (count, duration) it is divided by the larger of baseline and target, so
  5 -> 2 panic attacks in 10 weeks is 0.3/week = 6% of 5 per week; above
  :data:`STEEP_RELATIVE_RATE` (25% per week) it is a warning;
* for closed scales (rating, proportion, checklist, instrument) it is divided by the width of
  the scale; above :data:`STEEP_SCALE_RATE` (20% of the scale per week, i.e. crossing the
  whole scale in under 5 weeks) it is a warning;
* above :data:`ABSURD_RATE` (the whole level or scale in less than a week) it is an error;
* a change of at most one smallest step (one event, one point, 10 minutes) is never steep;
* when the baseline's standard deviation is known, a target more than
  :data:`SD_DISTANCE_LIMIT` (3) SDs from the baseline with fewer than :data:`SD_SHORT_WEEKS`
  (4) weeks to go is a warning (``A-far-from-baseline``): it lies far outside the week-to-week
  variation seen so far. A change smaller than one SD is flagged ``M-change-within-noise``,
  because success could not be told from an ordinary week.

The thresholds are project choices, not published cut-offs; they are named constants so the
documentation and the tests read them. Readiness uses the motivational-interviewing rulers
(importance and confidence 0-10; Miller & Rollnick 2013, *Motivational Interviewing*, 3rd
ed.): confidence below :data:`LOW_CONFIDENCE` (7) brings ``A-low-confidence`` with a
smaller first step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from goalwise.core import smart_rules as codes
from goalwise.core.errors import Problem, Severity
from goalwise.core.goal import (
    DEFAULT_REVIEW_EVERY_WEEKS,
    REVIEW_WEEKS_RANGE,
    Comparator,
    Direction,
    Framing,
    GoalDraft,
    Priority,
    add_days,
    effective_comparator,
    implied_deadline,
    parse_draft,
)
from goalwise.core.metric import (
    MetricKind,
    MetricSpec,
    describe,
    metric_problems,
    off_scale_problem,
    smallest_step,
)
from goalwise.core.phrases import check_text, find_avoidance, find_vague
from goalwise.core.smart_rules import APPROACH_EXAMPLE, RULES
from goalwise.core.smart_rules import make_problem as _p

__all__ = [
    "ABSURD_RATE",
    "LONG_DEADLINE_DAYS",
    "LOW_CONFIDENCE",
    "MAX_PRIMARY_GOALS",
    "RULER_RANGE",
    "RULES",
    "SD_DISTANCE_LIMIT",
    "SD_SHORT_WEEKS",
    "STEEP_RELATIVE_RATE",
    "STEEP_SCALE_RATE",
    "check_goal",
    "check_text",
    "has_errors",
]

STEEP_RELATIVE_RATE = 0.25
STEEP_SCALE_RATE = 0.20
ABSURD_RATE = 1.0
SD_DISTANCE_LIMIT = 3.0
SD_SHORT_WEEKS = 4.0
LOW_CONFIDENCE = 7
RULER_RANGE = (0, 10)
#: The advice is 2-3 primary goals at a time (issue 3, R rule).
MAX_PRIMARY_GOALS = 3
#: Beyond about 6 months a single deadline gives no sense of progress: add milestones.
LONG_DEADLINE_DAYS = 183


_LETTERS = "SMART"


@dataclass(frozen=True, slots=True)
class _Context:
    draft: GoalDraft
    deadline: date | None
    today: date | None
    active_primary_goals: int
    baseline_sd: float | None
    confidence: int | None

    @property
    def weeks(self) -> float | None:
        """Weeks from start to deadline, when both are known and in order."""
        start, deadline = self.draft.start_on, self.deadline
        if start is None or deadline is None or deadline <= start:
            return None
        return (deadline - start).days / 7


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem blocks activation (severity ``error``)."""
    return any(p.severity == "error" for p in problems)


def check_goal(
    draft: GoalDraft | Mapping[str, object],
    *,
    today: date | None = None,
    active_primary_goals: int = 0,
    baseline_sd: float | None = None,
    confidence: int | None = None,
    session_interval_days: int = 7,
) -> list[Problem]:
    """Every SMART problem of ``draft``, ordered S, M, A, R, T; pure.

    ``draft`` may be a :class:`GoalDraft` or the DRAFT.json mapping (parsed first; its parse
    problems come first and replace the "missing" problems of the same fields).
    ``today`` enables "deadline already past"; ``active_primary_goals`` counts the client's
    OTHER active primary goals; ``baseline_sd`` enables the variability part of the A rule;
    ``confidence`` (0-10) overrides ``draft.confidence``; ``session_interval_days`` turns
    ``deadline_sessions`` into a date. Rules: :data:`RULES`; rationale and sources: the module
    docstring and issue 3.
    """
    parse_problems: list[Problem] = []
    if not isinstance(draft, GoalDraft):
        draft, parse_problems = parse_draft(draft)
        if any(p.field == "draft" for p in parse_problems):
            return parse_problems  # not an object at all: listing every missing field would be noise
    deadline = draft.deadline_on
    if deadline is None and draft.start_on is not None and draft.deadline_sessions is not None:
        deadline = implied_deadline(draft.start_on, max(draft.deadline_sessions, 0), session_interval_days)
    own_confidence = draft.confidence if confidence is None else confidence
    ctx = _Context(draft, deadline, today, active_primary_goals, baseline_sd, own_confidence)
    found = [*_specific(draft), *_measurable(draft, baseline_sd), *_achievable(ctx), *_relevant(ctx)]
    found += _time_bound(ctx)
    taken = [p.field for p in parse_problems]
    found = [p for p in found if not any(_related_fields(p.field, field) for field in taken)]
    return sorted([*parse_problems, *found], key=lambda p: _LETTERS.index(p.code[0]))


def _related_fields(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _toward(start: float, end: float, step: float) -> float:
    return round(start + math.copysign(step, end - start), 1)


# -- S ---------------------------------------------------------------------------------------------


def _specific(draft: GoalDraft) -> list[Problem]:
    problems: list[Problem] = []
    if not draft.title:
        problems.append(_p(codes.S_NO_TITLE, "title"))
    if not draft.behaviour:
        counted = draft.metric.unit if draft.metric and draft.metric.unit else "one occurrence"
        what = "behaviour is missing: nothing says what exactly is done or counted, when and where."
        problems.append(_p(codes.S_NO_BEHAVIOUR, "behaviour", what=what, counted=counted))
    avoidance_found = False
    for field, text in (("title", draft.title), ("behaviour", draft.behaviour)):
        if not text:
            continue
        # The title keeps the client's own words, so vagueness there only advises.
        severity: Severity = "warning" if field == "title" else "error"
        vague = find_vague(text)
        for match in vague:
            problems.append(
                _p(
                    codes.S_VAGUE_PHRASE,
                    field,
                    severity,
                    field=field,
                    found=match.found,
                    rewrite=match.entry.rewrite,
                )
            )
        words = find_avoidance(text)
        if words:
            avoidance_found = True
            example = f"'{vague[0].entry.rewrite}'" if vague else APPROACH_EXAMPLE
            problems.append(
                _p(codes.S_AVOIDANCE_FRAMING, field, field=field, words="', '".join(words), example=example)
            )
    if not avoidance_found and draft.framing is Framing.AVOIDANCE:
        problems.append(
            _p(
                codes.S_AVOIDANCE_FRAMING,
                "framing",
                field="framing",
                words="avoidance",
                example=APPROACH_EXAMPLE,
            )
        )
    return problems


# -- M ---------------------------------------------------------------------------------------------


def _measurable(draft: GoalDraft, baseline_sd: float | None) -> list[Problem]:
    metric, target, baseline = draft.metric, draft.target, draft.baseline
    problems: list[Problem] = []
    if metric is None:
        what = "The goal has no metric: nothing says how progress is measured."
        measure = (
            'metric {"kind": "count", "unit": "panic attacks", "period": "week"}, a 0-10 rating or a PHQ-9'
        )
        problems.append(_p(codes.M_NO_METRIC, "metric", what=what, measure=measure))
    else:
        problems += metric_problems(metric)
    if draft.direction is None:
        problems.append(_p(codes.M_NO_DIRECTION, "direction", guess=_direction_guess(draft)))
    if target is None:
        what = "The goal has no target: nothing says what level counts as success."
        how = 'Set the level to reach, e.g. target {"value": 2, "comparator": "<="} (2 or fewer a week).'
        problems.append(_p(codes.M_NO_TARGET, "target.value", what=what, how=how))
    if baseline is None:
        problems.append(
            _p(codes.M_NO_BASELINE, "baseline.value", what=describe(metric) if metric else "the metric")
        )
    if metric is not None:
        problems += _scale_problems(metric, draft)
    problems += _target_shape_problems(draft)
    if baseline is not None and target is not None and target.value is not None and baseline_sd:
        change = abs(target.value - baseline.value)
        if 0 < change < baseline_sd:
            better = _toward(baseline.value, target.value, baseline_sd)
            problems.append(
                _p(codes.M_CHANGE_WITHIN_NOISE, "target.value", change=change, sd=baseline_sd, better=better)
            )
    return problems


def _direction_guess(draft: GoalDraft) -> str:
    if draft.baseline is not None and draft.target is not None and draft.target.value is not None:
        if draft.target.value < draft.baseline.value:
            return "'decrease' (the target is below the baseline)"
        if draft.target.value > draft.baseline.value:
            return "'increase' (the target is above the baseline)"
    return "'decrease', 'increase' or 'maintain'"


def _scale_problems(metric: MetricSpec, draft: GoalDraft) -> list[Problem]:
    checks: list[tuple[float | None, str, str]] = []
    if draft.baseline is not None:
        checks.append((draft.baseline.value, codes.M_BASELINE_OFF_SCALE, "baseline.value"))
    if draft.target is not None:
        for part in ("value", "low", "high"):
            checks.append((getattr(draft.target, part), codes.M_TARGET_OFF_SCALE, f"target.{part}"))
    problems: list[Problem] = []
    for value, code, field in checks:
        if value is None:
            continue
        off = off_scale_problem(metric, value, code=code, field=field, label=field)
        if off is not None:
            problems.append(_p(code, field, what=off.message, how=off.hint))
        elif metric.kind is MetricKind.PROPORTION and 0 < value < 1:
            problems.append(
                _p(codes.M_PROPORTION_AS_FRACTION, field, field=field, value=value, percent=value * 100)
            )
    return problems


def _target_shape_problems(draft: GoalDraft) -> list[Problem]:
    target, baseline, direction = draft.target, draft.baseline, draft.direction
    if target is None or direction is None:
        return []
    if direction is Direction.MAINTAIN:
        if target.low is None or target.high is None:
            missing = "target.low" if target.low is None else "target.high"
            return [
                _p(codes.M_NO_RANGE, missing, what=f"A maintain goal needs a range; {missing} is missing.")
            ]
        if target.low > target.high:
            what = f"target.high ({target.high:g}) is below target.low ({target.low:g})."
            return [_p(codes.M_NO_RANGE, "target.high", what=what)]
        return []
    if target.value is None:
        how = "Set target.value, e.g. 2 with comparator '<='."
        return [
            _p(codes.M_NO_TARGET, "target.value", what=f"A goal to {direction} needs target.value.", how=how)
        ]
    problems: list[Problem] = []
    comparator = effective_comparator(draft)
    decrease = direction is Direction.DECREASE
    if comparator in ((Comparator.GE, Comparator.GT) if decrease else (Comparator.LE, Comparator.LT)):
        right = "<=" if decrease else ">="
        values = {"comparator": comparator, "direction": direction, "right": right, "target": target.value}
        problems.append(_p(codes.M_COMPARATOR_MISMATCH, "target.comparator", **values))
    if baseline is None:
        return problems
    if target.value == baseline.value and comparator not in (Comparator.LT, Comparator.GT):
        problems.append(_p(codes.M_TARGET_EQUALS_BASELINE, "target.value", baseline=baseline.value))
    elif (decrease and target.value > baseline.value) or (not decrease and target.value < baseline.value):
        other = "increase" if decrease else "decrease"
        values = {"direction": direction, "target": target.value, "baseline": baseline.value, "other": other}
        problems.append(_p(codes.M_DIRECTION_MISMATCH, "direction", **values))
    return problems


# -- A ---------------------------------------------------------------------------------------------


def _achievable(ctx: _Context) -> list[Problem]:
    problems = _rate_problems(ctx)
    draft = ctx.draft
    for field, value, adjective in (
        ("importance", draft.importance, "important"),
        ("confidence", ctx.confidence, "confident"),
    ):
        if value is not None and not RULER_RANGE[0] <= value <= RULER_RANGE[1]:
            problems.append(_p(codes.A_RULER_RANGE, field, field=field, value=value, adjective=adjective))
    if ctx.confidence is not None and RULER_RANGE[0] <= ctx.confidence < LOW_CONFIDENCE:
        step = "a smaller first step"
        if draft.baseline is not None and draft.target is not None and draft.target.value is not None:
            half = round((draft.baseline.value + draft.target.value) / 2, 1)
            step = f"a smaller first step half-way, e.g. {half:g} instead of {draft.target.value:g}"
        problems.append(
            _p(codes.A_LOW_CONFIDENCE, "confidence", confidence=ctx.confidence, low=LOW_CONFIDENCE, step=step)
        )
    return problems


def _rate_problems(ctx: _Context) -> list[Problem]:
    draft, weeks = ctx.draft, ctx.weeks
    metric, baseline, target = draft.metric, draft.baseline, draft.target
    if weeks is None or metric is None or baseline is None or target is None or target.value is None:
        return []
    if draft.direction not in (Direction.INCREASE, Direction.DECREASE):
        return []
    change = abs(target.value - baseline.value)
    if not math.isfinite(change):
        return []  # values far off any scale; the M rules already report them
    problems: list[Problem] = []
    if change > smallest_step(metric):
        problems += _steep(ctx, metric, baseline.value, target.value, weeks)
    sd = ctx.baseline_sd
    if sd is not None and sd > 0 and change / sd > SD_DISTANCE_LIMIT and weeks < SD_SHORT_WEEKS:
        better = _toward(baseline.value, target.value, 2 * sd)
        values = {"z": change / sd, "weeks": weeks, "min_weeks": SD_SHORT_WEEKS, "better": better}
        problems.append(_p(codes.A_FAR_FROM_BASELINE, "target.value", **values))
    return problems


def _steep(ctx: _Context, metric: MetricSpec, start: float, end: float, weeks: float) -> list[Problem]:
    """The A rule's rate part; see the module docstring for the rule and its rationale."""
    bounds = metric.bounds()
    if metric.bounded:
        if bounds is None or bounds[1] is None:
            return []
        reference, limit, of = bounds[1] - bounds[0], STEEP_SCALE_RATE, "the scale"
    else:
        reference, limit = max(abs(start), abs(end)), STEEP_RELATIVE_RATE
        of = f"{reference:g}"
    per_week = abs(end - start) / weeks
    if reference <= 0 or per_week / reference <= limit:
        return []
    rate = per_week / reference
    start_on = ctx.draft.start_on
    assert start_on is not None  # weeks is only known with a start date
    weeks_needed = math.ceil(abs(end - start) / (limit * reference))
    first = _toward(start, end, limit * reference * weeks)
    later = add_days(start_on, 7 * weeks_needed)
    values = {"start": start, "end": end, "weeks": weeks, "per_week": per_week, "rate": rate, "of": of}
    values |= {"limit": limit, "first": first, "deadline": ctx.deadline, "later": later}
    severity: Severity = "error" if rate > ABSURD_RATE else "warning"
    return [_p(codes.A_STEEP_CHANGE, "target.value", severity, weeks_needed=weeks_needed, **values)]


# -- R ---------------------------------------------------------------------------------------------


def _relevant(ctx: _Context) -> list[Problem]:
    draft = ctx.draft
    problems: list[Problem] = []
    if _is_elimination(draft):
        assert draft.metric is not None
        per = f" per {draft.metric.period}" if draft.metric.period else ""
        first = f"half of the current level{per}"
        if draft.baseline is not None and draft.baseline.value > 1:
            first = f"{math.ceil(draft.baseline.value / 2):g} or fewer{per} (about half the baseline)"
        problems.append(_p(codes.R_ELIMINATION_TARGET, "target.value", first=first))
    primary = draft.priority in (None, Priority.PRIMARY)
    total = ctx.active_primary_goals + 1
    if primary and total > MAX_PRIMARY_GOALS:
        problems.append(_p(codes.R_TOO_MANY_PRIMARY, "priority", total=total))
    start, deadline = draft.start_on, ctx.deadline
    if start is not None and deadline is not None and (deadline - start).days > LONG_DEADLINE_DAYS:
        months = (deadline - start).days // 30
        problems.append(_p(codes.R_LONG_DEADLINE, "deadline_on", months=months, first=add_days(start, 56)))
    return problems


def _is_elimination(draft: GoalDraft) -> bool:
    metric, target = draft.metric, draft.target
    if draft.direction is not Direction.DECREASE or metric is None or target is None or target.value is None:
        return False
    bounds = metric.bounds()
    if bounds is None:
        return False
    if effective_comparator(draft) is Comparator.LT and metric.kind is not MetricKind.PROPORTION:
        # "< 1" panic attack a week means none at all.
        return target.value <= bounds[0] + 1
    return target.value <= bounds[0]


# -- T ---------------------------------------------------------------------------------------------


def _time_bound(ctx: _Context) -> list[Problem]:
    draft = ctx.draft
    start, deadline, sessions = draft.start_on, ctx.deadline, draft.deadline_sessions
    example = "10 weeks after start_on" if start is None else str(add_days(start, 70))
    problems: list[Problem] = []
    if start is None:
        problems.append(_p(codes.T_NO_START, "start_on"))
    if sessions is not None and sessions < 1:
        problems.append(_p(codes.T_SESSIONS_RANGE, "deadline_sessions", value=sessions))
    elif deadline is None and sessions is None:
        how = f"Set deadline_on, e.g. {example}, or deadline_sessions (e.g. 3 for 'within three sessions')."
        problems.append(_p(codes.T_NO_DEADLINE, "deadline_on", what="The goal has no deadline.", how=how))
    if start is not None and draft.deadline_on is not None and draft.deadline_on <= start:
        when = "the same day as" if draft.deadline_on == start else "before"
        values = {"deadline": draft.deadline_on, "when": when, "start": start, "example": example}
        problems.append(_p(codes.T_DEADLINE_BEFORE_START, "deadline_on", **values))
    elif ctx.today is not None and deadline is not None and deadline < ctx.today:
        values = {"deadline": deadline, "today": ctx.today, "example": add_days(ctx.today, 56)}
        problems.append(_p(codes.T_DEADLINE_PAST, "deadline_on", **values))
    problems += _review_problems(draft, ctx.weeks)
    return problems


def _review_problems(draft: GoalDraft, weeks: float | None) -> list[Problem]:
    every = draft.review_every_weeks
    low, high = REVIEW_WEEKS_RANGE
    if every is None:
        return [_p(codes.T_NO_REVIEW, "review_every_weeks", default=DEFAULT_REVIEW_EVERY_WEEKS)]
    if not low <= every <= high:
        values = {"value": every, "low": low, "high": high, "default": DEFAULT_REVIEW_EVERY_WEEKS}
        return [_p(codes.T_REVIEW_RANGE, "review_every_weeks", **values)]
    if weeks is not None and every > weeks:
        better = max(low, math.floor(weeks / 2))
        return [
            _p(codes.T_REVIEW_AFTER_DEADLINE, "review_every_weeks", every=every, weeks=weeks, better=better)
        ]
    return []
