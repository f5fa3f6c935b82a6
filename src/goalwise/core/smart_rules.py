"""The SMART rules as data: every Problem code the SMART check can give, with its default
severity and its message and hint templates.

The first letter of each code is the SMART letter it concerns (Doran 1981, *Management
Review* 70(11):35-36). ``core/smart.py`` walks this table; the documentation renders it.
Codes for the metric itself (``M-no-unit``, ``M-no-scale`` ...) live in ``core/metric.py`` and
codes for unreadable input (``M-unknown-kind``, ``T-bad-date``, ``<letter>-wrong-type`` ...) in
``core/goal.py``; :data:`SMART_CODES` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from goalwise.core.errors import Problem, Severity
from goalwise.core.goal import M_UNKNOWN_KIND, T_BAD_DATE
from goalwise.core.metric import (
    M_DURATION_UNIT,
    M_NO_INSTRUMENT,
    M_NO_PERIOD,
    M_NO_SCALE,
    M_NO_UNIT,
    M_SCALE_ORDER,
    M_UNKNOWN_INSTRUMENT,
)

__all__ = [
    "APPROACH_EXAMPLE",
    "A_FAR_FROM_BASELINE",
    "A_LOW_CONFIDENCE",
    "A_RULER_RANGE",
    "A_STEEP_CHANGE",
    "M_BASELINE_OFF_SCALE",
    "M_CHANGE_WITHIN_NOISE",
    "M_COMPARATOR_MISMATCH",
    "M_DIRECTION_MISMATCH",
    "M_NO_BASELINE",
    "M_NO_DIRECTION",
    "M_NO_METRIC",
    "M_NO_RANGE",
    "M_NO_TARGET",
    "M_PROPORTION_AS_FRACTION",
    "M_TARGET_EQUALS_BASELINE",
    "M_TARGET_OFF_SCALE",
    "RULES",
    "R_ELIMINATION_TARGET",
    "R_LONG_DEADLINE",
    "R_TOO_MANY_PRIMARY",
    "SMART_CODES",
    "S_AVOIDANCE_FRAMING",
    "S_NO_BEHAVIOUR",
    "S_NO_TITLE",
    "S_VAGUE_PHRASE",
    "T_DEADLINE_BEFORE_START",
    "T_DEADLINE_PAST",
    "T_NO_DEADLINE",
    "T_NO_REVIEW",
    "T_NO_START",
    "T_REVIEW_AFTER_DEADLINE",
    "T_REVIEW_RANGE",
    "T_SESSIONS_RANGE",
    "Rule",
    "make_problem",
]

S_NO_TITLE = "S-no-title"
S_NO_BEHAVIOUR = "S-no-behaviour"
S_VAGUE_PHRASE = "S-vague-phrase"
S_AVOIDANCE_FRAMING = "S-avoidance-framing"
M_NO_METRIC = "M-no-metric"
M_NO_DIRECTION = "M-no-direction"
M_NO_TARGET = "M-no-target"
M_NO_BASELINE = "M-no-baseline"
M_NO_RANGE = "M-no-range"
M_TARGET_OFF_SCALE = "M-target-off-scale"
M_BASELINE_OFF_SCALE = "M-baseline-off-scale"
M_TARGET_EQUALS_BASELINE = "M-target-equals-baseline"
M_DIRECTION_MISMATCH = "M-direction-mismatch"
M_COMPARATOR_MISMATCH = "M-comparator-mismatch"
M_PROPORTION_AS_FRACTION = "M-proportion-as-fraction"
M_CHANGE_WITHIN_NOISE = "M-change-within-noise"
A_STEEP_CHANGE = "A-steep-change"
A_FAR_FROM_BASELINE = "A-far-from-baseline"
A_LOW_CONFIDENCE = "A-low-confidence"
A_RULER_RANGE = "A-ruler-range"
R_ELIMINATION_TARGET = "R-elimination-target"
R_TOO_MANY_PRIMARY = "R-too-many-primary"
R_LONG_DEADLINE = "R-long-deadline"
T_NO_START = "T-no-start"
T_NO_DEADLINE = "T-no-deadline"
T_DEADLINE_BEFORE_START = "T-deadline-before-start"
T_DEADLINE_PAST = "T-deadline-past"
T_SESSIONS_RANGE = "T-sessions-range"
T_NO_REVIEW = "T-no-review"
T_REVIEW_RANGE = "T-review-range"
T_REVIEW_AFTER_DEADLINE = "T-review-after-deadline"


@dataclass(frozen=True, slots=True)
class Rule:
    """One SMART rule: its code, default severity, and message and hint templates (``str.format``)."""

    code: str
    severity: Severity
    message: str
    hint: str


_APPROACH = "Reframe it as an approach goal: say what you will do instead, e.g. {example}."

# fmt: off
#: Every rule of check_goal and check_text; the documentation renders this table.
RULES: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in (
    Rule(S_NO_TITLE, "error", "The goal has no title.",
         "Write it in the client's words, e.g. 'Fewer panic attacks'."),
    Rule(S_NO_BEHAVIOUR, "error", "{what}",
         "Define what counts as {counted} and when it is recorded, e.g. 'Each panic attack (a surge of fear "
         "peaking within minutes) is logged in the app the same day.'"),
    Rule(S_VAGUE_PHRASE, "error", "{field} says '{found}', which cannot be observed or counted.",
         "Say what will be done or counted instead, e.g. '{rewrite}'"),
    Rule(S_AVOIDANCE_FRAMING, "warning", "{field} is framed as avoidance ('{words}').", _APPROACH),
    Rule(M_NO_METRIC, "error", "{what}",
         "Choose what to count, e.g. {measure}."),
    Rule(M_NO_DIRECTION, "error", "direction is missing.", "Set direction to {guess}."),
    Rule(M_NO_TARGET, "error", "{what}", "{how}"),
    Rule(M_NO_BASELINE, "warning",
         "The goal has no baseline, so progress cannot be judged against the start.",
         "Start a baseline period: record {what} for 1-2 weeks before the work starts, "
         "or enter today's level."),
    Rule(M_NO_RANGE, "error", "{what}", "Give both ends of the range, low below high, e.g. target "
         '{{"low": 6, "high": 8}}.'),
    Rule(M_TARGET_OFF_SCALE, "error", "{what}", "{how}"),
    Rule(M_BASELINE_OFF_SCALE, "error", "{what}", "{how}"),
    Rule(M_TARGET_EQUALS_BASELINE, "error",
         "target.value equals the baseline ({baseline:g}); nothing would change.",
         "Pick a target that differs from the baseline, or use direction 'maintain' with a range."),
    Rule(M_DIRECTION_MISMATCH, "error",
         "direction is '{direction}' but the target ({target:g}) is on the other side of the "
         "baseline ({baseline:g}).",
         "Set direction to '{other}', or choose a target that is a {direction} from the baseline."),
    Rule(M_COMPARATOR_MISMATCH, "error",
         "target.comparator '{comparator}' does not fit a goal to {direction}.",
         "Use '{right}' (e.g. {right} {target:g})."),
    Rule(M_PROPORTION_AS_FRACTION, "warning", "{field} is {value:g}; proportions are percent from 0 to 100.",
         "Did you mean {percent:g}%? Enter {percent:g}."),
    Rule(M_CHANGE_WITHIN_NOISE, "warning",
         "The change asked for ({change:g}) is smaller than the baseline's usual variation (SD {sd:.2g}); "
         "an ordinary week could meet it.",
         "Aim at least one SD away from the baseline, e.g. {better:g}."),
    Rule(A_STEEP_CHANGE, "warning",
         "Going from {start:g} to {end:g} in {weeks:.1f} weeks needs {per_week:.2g} per week, "
         "{rate:.0%} of {of} per week; gradual change allows about {limit:.0%}.",
         "Make {first:g} by {deadline} a first milestone, or move the deadline to {later} "
         "({weeks_needed} weeks)."),
    Rule(A_FAR_FROM_BASELINE, "warning",
         "The target is {z:.1f} baseline SDs from the baseline with {weeks:.1f} weeks to go.",
         "Allow at least {min_weeks:g} weeks, or aim first for {better:g} (2 SDs from the baseline)."),
    Rule(A_LOW_CONFIDENCE, "warning",
         "Confidence is {confidence} of 10; below {low} the goal may be too big for now.",
         "Agree {step}, then ask again until confidence is {low} or more."),
    Rule(A_RULER_RANGE, "error", "{field} is {value}; the ruler runs from 0 to 10.",
         "Ask 'On a scale from 0 to 10, how {adjective} ...?' and enter 0-10."),
    Rule(R_ELIMINATION_TARGET, "warning",
         "The target is zero: a single bad day would count as failure, and setbacks are expected.",
         "Aim for a reduction first, e.g. {first}; keep zero as a later milestone."),
    Rule(R_TOO_MANY_PRIMARY, "warning",
         "This would be active primary goal number {total}; the advice is 2-3 at a time.",
         "Make this goal secondary, or put one of the other primary goals on hold."),
    Rule(R_LONG_DEADLINE, "warning",
         "The deadline is {months} months after the start; progress towards a far deadline is hard to see.",
         "Add milestones: a first one on {first}, then one every 8 weeks."),
    Rule(T_NO_START, "error", "start_on is missing.",
         "Set start_on to the day the work begins, as YYYY-MM-DD, e.g. next Monday."),
    Rule(T_NO_DEADLINE, "error", "{what}", "{how}"),
    Rule(T_DEADLINE_BEFORE_START, "error", "deadline_on ({deadline}) is {when} start_on ({start}).",
         "Set deadline_on after start_on, e.g. {example}."),
    Rule(T_DEADLINE_PAST, "error", "The deadline ({deadline}) has already passed (today is {today}).",
         "Choose a deadline after today, e.g. {example}."),
    Rule(T_SESSIONS_RANGE, "error", "deadline_sessions is {value}; it must be 1 or more.",
         "Enter the number of sessions, e.g. 3 for 'within three sessions'."),
    Rule(T_NO_REVIEW, "warning", "No review cadence is set.",
         "Set review_every_weeks to {default} (the default; reviews every 4-8 weeks are usual)."),
    Rule(T_REVIEW_RANGE, "error", "review_every_weeks is {value}; reviews run every {low} to {high} weeks.",
         "Use 4-8 weeks, e.g. {default}."),
    Rule(T_REVIEW_AFTER_DEADLINE, "warning",
         "The first review (after {every} weeks) would come after the deadline ({weeks:.1f} weeks).",
         "Review every {better} weeks, or hold the review at the deadline."),
)})
# fmt: on

#: Every code the SMART check and the draft parser can give (parse codes with a letter prefix
#: such as ``S-wrong-type`` are patterns and are listed by their letters).
SMART_CODES: frozenset[str] = frozenset(RULES) | {
    M_DURATION_UNIT,
    M_NO_INSTRUMENT,
    M_NO_PERIOD,
    M_NO_SCALE,
    M_NO_UNIT,
    M_SCALE_ORDER,
    M_UNKNOWN_INSTRUMENT,
    M_UNKNOWN_KIND,
    T_BAD_DATE,
}

#: An approach-goal example for suggestions when no catalog rewrite fits.
APPROACH_EXAMPLE = "'go to the supermarket twice a week and stay 10 minutes' rather than 'stop avoiding it'"


def make_problem(code: str, where: str, severity: Severity | None = None, /, **values: object) -> Problem:
    """The Problem of rule ``code`` for field ``where``, its templates filled with ``values``."""
    rule = RULES[code]
    message, hint = rule.message.format(**values), rule.hint.format(**values)
    return Problem(code, where, message, hint, severity or rule.severity)
