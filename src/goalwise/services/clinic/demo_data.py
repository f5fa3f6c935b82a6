"""Synthetic clinic data for demos, tests and benchmarks: deterministic for a seed.

Pure: it draws from ``random.Random(seed)`` and returns plain values; ``services.demo``
writes them. Every name is invented; no real person's data is ever used.

Each client has a 14-21 day baseline, then one of five trajectories of an underlying symptom
severity ``s`` in [0, 1]: improving, plateau, slow, deteriorating, and improving with a sudden
gain. Daily mood, anxiety and sleep, goal metrics and fortnightly PHQ-9 / GAD-7 item answers are
all drawn from ``s`` with noise, and about one day in seven is missed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["TRAJECTORIES", "DemoAssessment", "DemoClient", "DemoGoal", "DemoMetric", "generate_clients"]

TRAJECTORIES = ("improving", "plateau", "slow", "deteriorating", "sudden_gain")

_FIRST = (
    "Alex",
    "Sam",
    "Robin",
    "Jo",
    "Kai",
    "Noor",
    "Ira",
    "Tam",
    "Lee",
    "Ash",
    "Rae",
    "Pat",
    "Quinn",
    "Mika",
)
_LAST = ("B.", "C.", "D.", "F.", "G.", "H.", "K.", "L.", "M.", "N.", "P.", "R.", "S.", "T.", "V.", "W.")
_ZONES = ("Europe/London", "America/New_York", "America/Chicago", "Europe/Berlin", "Australia/Sydney")


@dataclass(frozen=True, slots=True)
class DemoMetric:
    """A metric and its daily values (day, value); missing days are absent."""

    key: str
    label: str
    kind: str
    unit: str | None
    period: str | None
    scale_min: float | None
    scale_max: float | None
    higher_is_better: bool
    values: list[tuple[date, float]]


@dataclass(frozen=True, slots=True)
class DemoGoal:
    """A SMART goal in the DRAFT.json shape, tied to one of the client's metrics."""

    metric_key: str
    spec: dict[str, object]


@dataclass(frozen=True, slots=True)
class DemoAssessment:
    """One questionnaire: item answers in order, on a day, at a therapy session number."""

    instrument: str
    on: date
    answers: tuple[int, ...]
    session_no: int


@dataclass(slots=True)
class DemoClient:
    """Everything generated for one client."""

    name: str
    timezone: str
    trajectory: str
    start_on: date
    baseline_days: int
    intervention_on: date
    metrics: list[DemoMetric] = field(default_factory=list)
    goals: list[DemoGoal] = field(default_factory=list)
    assessments: list[DemoAssessment] = field(default_factory=list)
    phases: list[tuple[str, str, date]] = field(default_factory=list)
    index: int = 0  # its place in the clinic (0, 1: the clients with logins)


def _severity(trajectory: str, s0: float, t: int, gain_day: int) -> float:
    """Underlying severity ``t`` days into the intervention (t < 0 is the baseline)."""
    if t < 0:
        return s0
    if trajectory == "improving":
        return s0 * (1 - 0.6 * (1 - math.exp(-t / 50)))
    if trajectory == "plateau":
        return s0 * (1 - 0.35 * (1 - math.exp(-min(t, 45) / 20)))
    if trajectory == "slow":
        return max(0.05, s0 - 0.0008 * t)
    if trajectory == "deteriorating":
        return min(0.97, s0 + 0.0012 * t)
    drop = 0.25 if t >= gain_day else 0.0
    return max(0.05, s0 * (1 - 0.25 * (1 - math.exp(-t / 80))) - drop)


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method; lambdas here are below 3, so the loop is short.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _items(rng: random.Random, total: int, n: int, skip_last: bool) -> list[int]:
    """Spread ``total`` points over ``n`` items of 0-3, leaving the last item at 0 when asked."""
    slots = n - 1 if skip_last else n
    total = max(0, min(total, 3 * slots))
    answers = [0] * n
    for _ in range(total):
        open_items = [i for i in range(slots) if answers[i] < 3]
        answers[rng.choice(open_items)] += 1
    return answers


def _goals(rng: random.Random, start: date, intervention_on: date, s0: float) -> list[DemoGoal]:
    panic_baseline = round(7 * s0, 1)
    deadline = intervention_on + timedelta(weeks=12)
    goals = [
        DemoGoal(
            "panic_attacks",
            {
                "title": "Have fewer panic attacks",
                "behaviour": "Count each panic attack (sudden fear, racing heart) when it happens.",
                "metric": {"kind": "count", "unit": "panic attacks", "period": "week"},
                "direction": "decrease",
                "baseline": {"value": panic_baseline, "source": "baseline_period"},
                "target": {"value": max(1.0, round(panic_baseline * 0.4)), "comparator": "<="},
                "start_on": intervention_on.isoformat(),
                "deadline_on": deadline.isoformat(),
                "review_every_weeks": 4,
                "priority": "primary",
                "framing": "approach",
                "set_by": "together",
                "importance": 9,
                "confidence": 7,
            },
        ),
        DemoGoal(
            "mindfulness_minutes",
            {
                "title": "Practise mindfulness most days",
                "behaviour": "Minutes of guided mindfulness practice, logged after each session at home.",
                "metric": {"kind": "duration", "unit": "minutes", "period": "day"},
                "direction": "increase",
                "baseline": {"value": 0, "source": "baseline_period"},
                "target": {"value": 10, "comparator": ">="},
                "start_on": intervention_on.isoformat(),
                "deadline_on": deadline.isoformat(),
                "review_every_weeks": 6,
                "priority": "primary",
                "framing": "approach",
                "set_by": "client",
                "importance": 7,
                "confidence": 8,
            },
        ),
    ]
    if rng.random() < 0.6:
        goals.append(
            DemoGoal(
                "social_interactions",
                {
                    "title": "See friends more often",
                    "behaviour": "Count each meeting or call with a friend of 10 minutes or more.",
                    "metric": {"kind": "count", "unit": "interactions", "period": "week"},
                    "direction": "increase",
                    "baseline": {"value": 1, "source": "entered"},
                    "target": {"value": 3, "comparator": ">="},
                    "start_on": intervention_on.isoformat(),
                    "deadline_on": deadline.isoformat(),
                    "review_every_weeks": 6,
                    "priority": "secondary",
                    "framing": "approach",
                    "set_by": "together",
                    "importance": 6,
                    "confidence": 6,
                },
            )
        )
    return goals


def _one_client(rng: random.Random, index: int, days: int, end_on: date, risk: bool) -> DemoClient:
    trajectory = TRAJECTORIES[index % len(TRAJECTORIES)]
    start = end_on - timedelta(days=days - 1)
    baseline_days = rng.choice((14, 14, 21))
    intervention_on = start + timedelta(days=baseline_days)
    s0 = rng.uniform(0.55, 0.85)
    gain_day = rng.randint(20, 60)
    client = DemoClient(
        name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)} (demo {index + 1})",
        timezone=_ZONES[index % len(_ZONES)],
        trajectory=trajectory,
        start_on=start,
        baseline_days=baseline_days,
        intervention_on=intervention_on,
        index=index,
    )
    client.phases = [("baseline", "Baseline", start), ("intervention", "CBT module 1", intervention_on)]
    if days > baseline_days + 60:
        client.phases.append(("intervention", "CBT module 2", intervention_on + timedelta(days=56)))
    series: dict[str, list[tuple[date, float]]] = {
        k: []
        for k in (
            "mood",
            "anxiety",
            "sleep_hours",
            "panic_attacks",
            "mindfulness_minutes",
            "social_interactions",
        )
    }
    severity_by_day: list[float] = []
    for d in range(days):
        day = start + timedelta(days=d)
        s = _clip(
            _severity(trajectory, s0, (day - intervention_on).days, gain_day) + rng.gauss(0, 0.04), 0, 1
        )
        severity_by_day.append(s)
        if rng.random() < 0.14:  # a missed day
            continue
        t = (day - intervention_on).days
        series["mood"].append((day, _clip(round(1 + 9 * (1 - s) + rng.gauss(0, 0.9)), 1, 10)))
        series["anxiety"].append((day, _clip(round(1 + 8 * s + rng.gauss(0, 0.9)), 1, 10)))
        series["sleep_hours"].append((day, round(_clip(8.2 - 2.5 * s + rng.gauss(0, 0.7), 3, 11) * 2) / 2))
        series["panic_attacks"].append((day, float(_poisson(rng, 1.0 * s))))
        practised = t >= 0 and rng.random() < 0.35 + 0.5 * (1 - s)
        minutes = _clip(round(rng.gauss(12 * (1 - s) + 3, 3)), 0, 45) if practised else 0.0
        series["mindfulness_minutes"].append((day, float(minutes)))
        series["social_interactions"].append((day, float(_poisson(rng, 0.2 + 0.5 * (1 - s)))))
    client.metrics = [
        DemoMetric("mood", "Mood", "rating", None, "day", 1, 10, True, series["mood"]),
        DemoMetric("anxiety", "Anxiety", "rating", None, "day", 1, 10, False, series["anxiety"]),
        DemoMetric(
            "sleep_hours", "Sleep", "duration", "hours", "day", None, None, True, series["sleep_hours"]
        ),
    ]
    client.goals = _goals(rng, start, intervention_on, s0)
    labels = {
        "panic_attacks": ("Panic attacks", "count", "panic attacks", False),
        "mindfulness_minutes": ("Mindfulness practice", "duration", "minutes", True),
        "social_interactions": ("Social interactions", "count", "interactions", True),
    }
    for goal in client.goals:
        label, kind, unit, better = labels[goal.metric_key]
        client.metrics.append(
            DemoMetric(goal.metric_key, label, kind, unit, "day", None, None, better, series[goal.metric_key])
        )
    client.assessments = list(_assessments(rng, client, severity_by_day, risk))
    return client


def _assessments(
    rng: random.Random, client: DemoClient, severity: list[float], risk: bool
) -> Iterator[DemoAssessment]:
    """Fortnightly PHQ-9 and GAD-7 from the first day; a risk client answers item 9 once with 1."""
    risk_session = 3
    for session, d in enumerate(range(0, len(severity), 14), start=1):
        day = client.start_on + timedelta(days=d)
        s = severity[d]
        phq_total = round(_clip(25 * s + rng.gauss(0, 1.5), 0, 24))
        phq = _items(rng, phq_total, 9, skip_last=True)
        if risk and session == risk_session:
            phq[8] = 1
        gad_total = round(_clip(19 * s + rng.gauss(0, 1.5), 0, 21))
        yield DemoAssessment("phq9", day, tuple(phq), session)
        yield DemoAssessment("gad7", day, tuple(_items(rng, gad_total, 7, skip_last=False)), session)


def generate_clients(
    n: int, days: int, seed: int, end_on: date, start_index: int = 0
) -> Iterator[DemoClient]:
    """Yield ``n`` synthetic clients with ``days`` days of data ending on ``end_on``.

    Client ``i`` depends only on ``seed`` and ``i``, so a batch can start at ``start_index`` and
    the result is the same however the work is split. Client index 1 (the second) is the one whose
    PHQ-9 item 9 is positive once.
    """
    for index in range(start_index, start_index + n):
        rng = random.Random(f"{seed}:{index}")
        yield _one_client(rng, index, days, end_on, risk=index == 1)
