"""Goal templates as data: the guided path from a vague wish to a SMART goal.

Each :class:`GoalTemplate` holds everything but the client's numbers: title, keywords (for
``core/suggest.py``), an operational behaviour, the metric, the direction, a target rule and
the default time frame. :func:`fill` adds the baseline and the dates and returns a
:class:`~goalwise.core.goal.GoalDraft` that passes the SMART check without errors for any
baseline inside the template's ``plausible_baseline`` (a property test holds every template
to this).

The targets follow the issue's examples (panic attacks 5 -> 2 a week; weekly -> about monthly
within 90 days; social contact 3 times a week; mindfulness 10 minutes a day; conversations of
5 minutes or more in 80% of encounters; negative thoughts down 30% in 4 weeks; PHQ-9 below 10
within 12 weeks, i.e. under the caseness cut-off of CLINICAL.md §1.2/§3.3; GAD-7 below 5, the
"minimal" band of §2.1; WHO-5 raw 13 or more, above the "poor well-being" line of §2.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from goalwise.core.errors import NotFound
from goalwise.core.goal import (
    Baseline,
    BaselineSource,
    Comparator,
    Direction,
    Framing,
    GoalDraft,
    Priority,
    Target,
    add_days,
    implied_deadline,
)
from goalwise.core.metric import MetricKind, MetricSpec, Period

__all__ = ["TEMPLATES", "GoalTemplate", "TargetMode", "TargetRule", "fill", "get_template"]


class TargetMode(StrEnum):
    """How a template's target follows from the baseline."""

    FIXED = "fixed"  # the value itself, e.g. PHQ-9 < 10
    SCALE = "scale"  # baseline x value, e.g. 0.7 for "down 30%"
    SHIFT = "shift"  # baseline + value, e.g. +2 points of mood


@dataclass(frozen=True, slots=True)
class TargetRule:
    """The target a template proposes for a given baseline."""

    mode: TargetMode
    value: float
    comparator: Comparator

    def target_for(self, baseline: float) -> Target:
        """The target for ``baseline``; scaled and shifted values are rounded to one decimal."""
        if self.mode is TargetMode.FIXED:
            value = self.value
        elif self.mode is TargetMode.SCALE:
            value = round(baseline * self.value, 1)
        else:
            value = round(baseline + self.value, 1)
        return Target(value, self.comparator)


@dataclass(frozen=True, slots=True)
class GoalTemplate:
    """A goal with everything but the client's numbers; see the module docstring."""

    id: str
    title: str
    keywords: tuple[str, ...]
    behaviour: str
    metric: MetricSpec
    direction: Direction
    target: TargetRule
    days: int
    plausible_baseline: tuple[float, float]
    needs: tuple[str, ...]
    review_every_weeks: int = 6
    deadline_sessions: int | None = None

    def fill(
        self,
        baseline: float,
        start_on: date,
        deadline_on: date | None = None,
        *,
        review_every_weeks: int | None = None,
        session_interval_days: int = 7,
    ) -> GoalDraft:
        """A draft for ``baseline`` starting on ``start_on``; the deadline defaults to the template's."""
        if deadline_on is None:
            if self.deadline_sessions is not None:
                deadline_on = implied_deadline(start_on, self.deadline_sessions, session_interval_days)
            else:
                deadline_on = add_days(start_on, self.days)
        source = (
            BaselineSource.INSTRUMENT if self.metric.kind is MetricKind.INSTRUMENT else BaselineSource.ENTERED
        )
        return GoalDraft(
            title=self.title,
            behaviour=self.behaviour,
            metric=self.metric,
            direction=self.direction,
            baseline=Baseline(float(baseline), source),
            target=self.target.target_for(float(baseline)),
            start_on=start_on,
            deadline_on=deadline_on,
            deadline_sessions=self.deadline_sessions,
            review_every_weeks=review_every_weeks or self.review_every_weeks,
            priority=Priority.PRIMARY,
            framing=Framing.APPROACH,
        )


_INC, _DEC = Direction.INCREASE, Direction.DECREASE
_GE, _LE, _LT = Comparator.GE, Comparator.LE, Comparator.LT
_FIXED, _SCALE, _SHIFT = TargetMode.FIXED, TargetMode.SCALE, TargetMode.SHIFT
_DAY, _WEEK = Period.DAY, Period.WEEK


def _count(unit: str, period: Period = _WEEK) -> MetricSpec:
    return MetricSpec(MetricKind.COUNT, unit=unit, period=period)


_MINUTES_PER_DAY = MetricSpec(MetricKind.DURATION, unit="minutes", period=_DAY)
_CHECKLIST = MetricSpec(MetricKind.CHECKLIST, unit="days")
_RATING_0_10 = MetricSpec(MetricKind.RATING, scale_min=0, scale_max=10)
# Mood uses the daily check-in's scale, so a mood goal and the check-in speak the same numbers.
_RATING_1_10 = MetricSpec(MetricKind.RATING, scale_min=1, scale_max=10)
_PANIC_LOG = (
    "Each panic attack (a sudden surge of intense fear that peaks within minutes) is logged in the app "
    "on the day it happens; the value is the number in the week."
)

# fmt: off
TEMPLATES: tuple[GoalTemplate, ...] = (
    GoalTemplate("panic-reduce", "Fewer panic attacks",
        ("panic", "panic attack", "attack"), _PANIC_LOG,
        _count("panic attacks"), _DEC, TargetRule(_SCALE, 0.4, _LE), 70, (3, 20),
        ("safety", "emotional_barriers"), review_every_weeks=4),
    GoalTemplate("panic-weekly-to-monthly", "Panic attacks down from weekly to about monthly",
        ("panic", "panic attack", "attack", "monthly"), _PANIC_LOG + " A target of 0.25 a week is about one "
        "in four weeks.",
        _count("panic attacks"), _DEC, TargetRule(_FIXED, 0.25, _LE), 90, (1, 4),
        ("safety", "emotional_barriers")),
    GoalTemplate("social-interactions", "Social contact three times a week",
        ("social", "friend", "lonely", "loneliness", "isolated", "people", "contact", "meet", "call"),
        "A social interaction is a conversation, meeting or shared activity with another person (in person, "
        "by phone or video) lasting 10 minutes or more; each is logged the same day.",
        _count("social interactions"), _INC, TargetRule(_FIXED, 3, _GE), 56, (0, 2),
        ("connection", "support_systems")),
    GoalTemplate("mindfulness-daily", "Mindfulness practice 10 minutes a day",
        ("mindfulness", "meditation", "meditate", "calm", "stress", "stressed", "relax"),
        "Minutes of guided or self-led mindfulness practice, logged after practising; the value is the "
        "average minutes per day over the week.",
        _MINUTES_PER_DAY, _INC, TargetRule(_FIXED, 10, _GE), 42, (0, 5),
        ("safety", "emotional_barriers")),
    GoalTemplate("conversations-80pct", "Conversations of 5 minutes or more in 80% of social encounters",
        ("conversation", "talk", "confident", "confidence", "shy", "social anxiety", "small talk"),
        "After each social encounter (a chance to talk with someone), log whether a conversation of 5 "
        "minutes or more took place; the value is the percentage of the week's encounters.",
        MetricSpec(MetricKind.PROPORTION, unit="of social encounters with a 5-minute conversation"),
        _INC, TargetRule(_FIXED, 80, _GE), 70, (0, 60), ("connection", "emotional_barriers")),
    GoalTemplate("negative-thoughts-30pct", "Negative thoughts down 30% within 4 weeks",
        ("negative thought", "thought", "negative thinking", "rumination", "ruminating", "overthinking",
         "self-critical"),
        "Each negative automatic thought noticed is tallied on the counter in the app; the value is the "
        "average per day over the week.",
        _count("negative thoughts noticed", _DAY), _DEC, TargetRule(_SCALE, 0.7, _LE), 28, (3, 40),
        ("emotional_barriers", "safety"), review_every_weeks=2),
    GoalTemplate("phq9-below-10", "PHQ-9 below 10 within 12 weeks",
        ("depression", "depressed", "low mood", "down", "hopeless", "phq", "phq-9", "phq9"),
        "The PHQ-9 is completed every 2 weeks; the value is its total score (0-27).",
        MetricSpec(MetricKind.INSTRUMENT, instrument="phq9"), _DEC, TargetRule(_FIXED, 10, _LT), 84,
        (10, 27), ("purpose", "emotional_barriers")),
    GoalTemplate("gad7-below-5", "GAD-7 below 5",
        ("anxiety", "anxious", "worry", "worrying", "nervous", "on edge", "gad", "gad-7", "gad7"),
        "The GAD-7 is completed every 2 weeks; the value is its total score (0-21).",
        MetricSpec(MetricKind.INSTRUMENT, instrument="gad7"), _DEC, TargetRule(_FIXED, 5, _LT), 84,
        (5, 21), ("safety", "emotional_barriers")),
    GoalTemplate("work-attendance", "Work attendance of 90% or more",
        ("work", "job", "attendance", "absence", "sick day", "office", "school", "college", "normal"),
        "On each scheduled work day, log whether I attended (arrived and stayed at least half the day); the "
        "value is the percentage of the week's scheduled days attended.",
        MetricSpec(MetricKind.PROPORTION, unit="of scheduled work days attended"), _INC,
        TargetRule(_FIXED, 90, _GE), 56, (0, 80), ("purpose", "autonomy", "core_values")),
    GoalTemplate("self-care-daily", "Daily self-care routine",
        ("self-care", "self care", "routine", "hygiene", "shower", "dressed", "look after myself",
         "life together"),
        "Each day, tick the routine as done when all of it is done by 10:00: get up, wash, get dressed, eat "
        "breakfast; the value is the number of days done in the week.",
        _CHECKLIST, _INC, TargetRule(_FIXED, 6, _GE), 42, (0, 4), ("autonomy", "behavioural_patterns")),
    GoalTemplate("sleep-duration", "Sleep 7 hours a night",
        ("sleep", "sleeping", "insomnia", "tired", "rest", "night"),
        "Each morning, log the minutes slept (from falling asleep to waking, estimated); the value is the "
        "average per night over the week. 420 minutes is 7 hours.",
        _MINUTES_PER_DAY, _INC, TargetRule(_FIXED, 420, _GE), 56, (180, 360),
        ("safety", "behavioural_patterns")),
    GoalTemplate("sleep-regularity", "A regular sleep schedule",
        ("sleep", "bedtime", "bed", "wake", "schedule", "regular", "tired", "energy"),
        "Each morning, tick whether I was in bed by 23:00 and up by 07:30 (within 30 minutes); the value is "
        "the number of nights in the week.",
        _CHECKLIST, _INC, TargetRule(_FIXED, 5, _GE), 42, (0, 3), ("safety", "behavioural_patterns")),
    GoalTemplate("deep-breathing", "Master slow breathing within three sessions",
        ("breathing", "breathe", "deep breathing", "relaxation", "calm", "cope", "coping", "panic"),
        "At each session, rate with the therapist from 0 to 10 how well I can do slow breathing (6 breaths "
        "a minute for 3 minutes) without prompts; the value is that rating.",
        _RATING_0_10, _INC, TargetRule(_FIXED, 8, _GE), 21, (2, 6), ("safety", "autonomy"),
        review_every_weeks=2, deadline_sessions=3),
    GoalTemplate("pleasant-activities", "Planned pleasant or valued activities",
        ("happier", "happy", "enjoy", "fun", "activity", "hobby", "hobbies", "motivation", "motivated",
         "bored", "purpose", "values", "energy"),
        "Activities planned in the weekly plan (something enjoyable or something that matters to me) and "
        "then done are logged the same day; the value is the number done in the week.",
        _count("planned activities done"), _INC, TargetRule(_FIXED, 5, _GE), 56, (0, 3),
        ("playfulness", "purpose", "core_values")),
    GoalTemplate("who5-wellbeing", "Well-being (WHO-5) of 13 or more",
        ("well-being", "wellbeing", "feel better", "happier", "myself again", "quality of life", "who-5",
         "who5"),
        "The WHO-5 is completed every 2 weeks; the value is its raw score (0-25).",
        MetricSpec(MetricKind.INSTRUMENT, instrument="who5"), _INC, TargetRule(_FIXED, 13, _GE), 84,
        (0, 12), ("purpose", "playfulness")),
    GoalTemplate("exposure-practice", "Exposure practice three times a week",
        ("avoid", "avoiding", "avoidance", "fear", "phobia", "scared", "afraid", "exposure", "going out"),
        "An exposure practice is planned time in a feared situation from my exposure ladder, staying until "
        "the anxiety has dropped by about half or for 30 minutes; each is logged the same day.",
        _count("exposure practices"), _INC, TargetRule(_FIXED, 3, _GE), 56, (0, 2),
        ("safety", "autonomy", "emotional_barriers")),
    GoalTemplate("worry-time", "Worry kept to a 15-minute worry time",
        ("worry", "worrying", "overthinking", "rumination", "anxious"),
        "Each evening, estimate the minutes spent worrying that day, inside and outside the planned "
        "15-minute worry time; the value is the average per day over the week.",
        _MINUTES_PER_DAY, _DEC, TargetRule(_FIXED, 15, _LE), 56, (30, 240), ("safety", "emotional_barriers")),
    GoalTemplate("mood-rating", "Better mood, rated daily",
        ("mood", "feel better", "down", "low", "sad", "happier", "feelings"),
        "Each evening, rate the day's overall mood from 1 (worst) to 10 (best); the value is the average "
        "over the week.",
        _RATING_1_10, _INC, TargetRule(_SHIFT, 2, _GE), 56, (1, 6), ("purpose", "playfulness",
        "emotional_barriers")),
)
# fmt: on

_BY_ID = {template.id: template for template in TEMPLATES}


def get_template(template_id: str) -> GoalTemplate:
    """The template with ``template_id``; :class:`NotFound` names the known ids when there is none."""
    try:
        return _BY_ID[template_id]
    except KeyError:
        known = ", ".join(_BY_ID)
        raise NotFound(f"Goal template '{template_id}' does not exist; use one of {known}.") from None


def fill(
    template_id: str,
    *,
    baseline: float,
    start_on: date,
    deadline_on: date | None = None,
    review_every_weeks: int | None = None,
    session_interval_days: int = 7,
) -> GoalDraft:
    """A draft from template ``template_id``; see :meth:`GoalTemplate.fill`. Unknown ids raise NotFound."""
    template = get_template(template_id)
    return template.fill(
        baseline,
        start_on,
        deadline_on,
        review_every_weeks=review_every_weeks,
        session_interval_days=session_interval_days,
    )
