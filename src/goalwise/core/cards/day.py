"""A card's day: ratings per period, the day's percentage, the reward reached, hit rates, shaping.

* Each target is rated ``yes``, ``no`` or ``na`` (not applicable) in each period of the day.
* The day's percentage = yes / (yes + no) over all its periods, times 100; ``na`` is left out,
  and a day with only ``na`` has no value (None), so it is not a zero.
* Re-rating a day's period replaces that period's ratings; the services keep the old ones as history.
* The reward reached is the highest tier whose ``at_percent`` the day's percentage reaches.
* Shaping: when the goal is met on most rated days (more than half) in ``weeks_needed`` of the last
  ``weeks`` weeks (default 3 of 3), the review suggests raising a criterion or replacing a mastered
  target (a token-economy practice of raising criteria as behaviour improves: Pelham, Fabiano &
  Massetti 2005, "Evidence-based assessment of ADHD in children"; Volpe & Fabiano 2013, "Daily
  Behavior Report Cards").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from goalwise.core.cards.card import Card, Reward
from goalwise.core.errors import Problem
from goalwise.core.text.numbers import plain_int

__all__ = [
    "RATINGS",
    "DayScore",
    "Shaping",
    "day_score",
    "hit_rates",
    "parse_ratings",
    "ratings_list",
    "reward_reached",
    "shaping",
]

RATINGS = ("yes", "no", "na")


@dataclass(frozen=True, slots=True)
class DayScore:
    """How many targets were met and not met over a day's periods, and the percentage (None: no value)."""

    yes: int
    no: int

    @property
    def percent(self) -> float | None:
        """yes / (yes + no) x 100; None when every rating was ``na`` (or nothing was rated)."""
        counted = self.yes + self.no
        return None if counted == 0 else round(100.0 * self.yes / counted, 1)


def parse_ratings(text: str, targets: int) -> tuple[dict[int, str], list[Problem]]:
    """Read ``"1=yes,2=no,3=na"`` (targets by 1-based position) into {position: rating}.

    Every problem is returned at once, naming the target or rating: an unknown rating, a position
    outside 1..``targets``, a target named twice or a part without ``=``. Targets left out are not rated.
    """
    out: dict[int, str] = {}
    problems: list[Problem] = []
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        problems.append(
            Problem(
                "rating-missing",
                "ratings",
                "No ratings were given.",
                'Write e.g. "1=yes,2=no".',
            )
        )
    for part in parts:
        key, sep, value = (s.strip() for s in part.partition("="))
        rating = value.lower()
        position = plain_int(key)
        if not sep or position is None:
            problems.append(
                Problem(
                    "rating-shape",
                    "ratings",
                    f"{part!r} is not TARGET=RATING.",
                    'Write e.g. "1=yes,2=no".',
                )
            )
            continue
        if not 1 <= position <= targets:
            problems.append(
                Problem(
                    "rating-target",
                    "ratings",
                    f"Target {position} is not on the card.",
                    f"Use 1 to {targets}.",
                )
            )
        elif position in out:
            problems.append(
                Problem(
                    "rating-twice",
                    "ratings",
                    f"Target {position} is rated twice.",
                    "Rate it once.",
                )
            )
        if rating not in RATINGS:
            problems.append(
                Problem(
                    "rating-unknown",
                    "ratings",
                    f"{value!r} for target {key} is not a rating.",
                    "Use yes, no or na.",
                )
            )
        elif 1 <= position <= targets and position not in out:
            out[position] = rating
    return out, problems


def ratings_list(ratings: Mapping[int, str], targets: int) -> list[str]:
    """{position: rating} as one rating per target in order; targets left out are ``na``."""
    return [ratings.get(i, "na") for i in range(1, targets + 1)]


def day_score(periods: Iterable[Sequence[str]]) -> DayScore:
    """The day's counts over all its rated periods (each a list of one rating per target)."""
    yes = no = 0
    for ratings in periods:
        yes += sum(1 for r in ratings if r == "yes")
        no += sum(1 for r in ratings if r == "no")
    return DayScore(yes, no)


def reward_reached(percent: float | None, rewards: Sequence[Reward]) -> Reward | None:
    """The highest tier the percentage reaches; None below the lowest tier or without a value."""
    if percent is None:
        return None
    reached = [r for r in rewards if percent >= r.at_percent]
    return max(reached, key=lambda r: r.at_percent) if reached else None


def hit_rates(card: Card, days: Iterable[Iterable[Sequence[str]]]) -> list[float | None]:
    """Per target, yes / (yes + no) x 100 over the days given; None when never counted."""
    yes = [0] * len(card.targets)
    counted = [0] * len(card.targets)
    for periods in days:
        for ratings in periods:
            for i, rating in enumerate(ratings[: len(card.targets)]):
                if rating in ("yes", "no"):
                    counted[i] += 1
                    yes[i] += rating == "yes"
    return [None if c == 0 else round(100.0 * y / c, 1) for y, c in zip(yes, counted, strict=True)]


@dataclass(frozen=True, slots=True)
class Shaping:
    """How many of the last weeks met the goal on most days, and whether to suggest a change."""

    weeks_met: int
    weeks: int
    weeks_needed: int

    @property
    def suggest(self) -> bool:
        """True when enough recent weeks met the goal on most days."""
        return self.weeks_met >= self.weeks_needed

    @property
    def message(self) -> str:
        """What the review says."""
        if not self.suggest:
            return f"The goal was met on most days in {self.weeks_met} of the last {self.weeks} weeks."
        return (
            f"The goal was met on most days in {self.weeks_met} of the last {self.weeks} weeks: "
            "consider raising a criterion or replacing a mastered target "
            "(a card revision; the history is kept)."
        )


def shaping(
    percents: Mapping[date, float | None],
    goal_percent: float,
    as_of: date,
    *,
    weeks: int = 3,
    weeks_needed: int = 3,
) -> Shaping:
    """Count the last ``weeks`` 7-day weeks to ``as_of`` in which over half the rated days met the goal.

    Days without a value (only ``na``, or not rated) are not counted either way.
    """
    met = 0
    for w in range(weeks):
        end = as_of - timedelta(days=7 * w)
        values = [percents.get(end - timedelta(days=d)) for d in range(7)]
        rated = [v for v in values if v is not None]
        if rated and sum(1 for v in rated if v >= goal_percent) * 2 > len(rated):
            met += 1
    return Shaping(met, weeks, weeks_needed)
