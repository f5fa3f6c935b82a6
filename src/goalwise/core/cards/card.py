"""A daily report card: its title, who rates it, 1-8 target behaviours, optional periods and rewards.

The CARD.json shape (the command-line contract of ``goalwise card new``)::

    {"title": "...", "rated_by": "teacher" | "parent" | "client", "goal_percent": 80,
     "periods": ["morning", "afternoon"],                 (optional)
     "targets": [{"text": "...", "criterion": "..."}],    (criterion optional)
     "rewards": [{"at_percent": 50, "reward": "..."}]}

Decisions recorded here because the issue leaves them open: a card without periods is rated once
a day (its one period is named ``day``); reward tiers are kept in increasing order and must differ;
the goal percentage is a whole or decimal number from 1 to 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from goalwise.core.errors import Problem

__all__ = [
    "MAX_PERIODS",
    "MAX_TARGETS",
    "RATERS",
    "WHOLE_DAY",
    "Card",
    "Reward",
    "Target",
    "card_from_dict",
    "card_to_dict",
    "parse_card",
]

RATERS = ("teacher", "parent", "client")
MAX_TARGETS = 8
MAX_PERIODS = 10
WHOLE_DAY = "day"
_TEXT = 200
_TITLE = 120


@dataclass(frozen=True, slots=True)
class Target:
    """One target behaviour and the criterion that makes it a yes, in observable words."""

    text: str
    criterion: str = ""


@dataclass(frozen=True, slots=True)
class Reward:
    """What happens at home when the day's percentage reaches ``at_percent``."""

    at_percent: float
    reward: str


@dataclass(frozen=True, slots=True)
class Card:
    """A checked card."""

    title: str
    rated_by: str
    goal_percent: float
    targets: tuple[Target, ...]
    periods: tuple[str, ...] = ()
    rewards: tuple[Reward, ...] = field(default=())

    @property
    def period_names(self) -> tuple[str, ...]:
        """The periods rated each day; ``("day",)`` for a card rated once a day."""
        return self.periods or (WHOLE_DAY,)


def _text(value: object, name: str, limit: int, problems: list[Problem], *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(Problem("card-text", name, f"{name} is missing or not text.", f"Write {name}."))
        return ""
    if len(value.strip()) > limit:
        problems.append(
            Problem(
                "card-text-long",
                name,
                f"{name} is {len(value.strip())} characters long.",
                f"Keep it to {limit}.",
            )
        )
    return value.strip()


def _number(value: object, name: str, problems: list[Problem]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 100:
        problems.append(
            Problem(
                "card-percent",
                name,
                f"{name} is {value!r}; it is a percentage.",
                "Use a number from 1 to 100.",
            )
        )
        return 0.0
    return float(value)


def _list(value: object, name: str, problems: list[Problem]) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem("card-list", name, f"{name} is not a list.", f"Send {name} as [...]."))
        return []
    return list(value)


def _targets(value: object, problems: list[Problem]) -> tuple[Target, ...]:
    items = _list(value, "targets", problems)
    if not 1 <= len(items) <= MAX_TARGETS:
        problems.append(
            Problem(
                "card-targets",
                "targets",
                f"The card has {len(items)} target behaviours.",
                f"List 1 to {MAX_TARGETS} targets, each with its text.",
            )
        )
    out = []
    for i, item in enumerate(items[:MAX_TARGETS], start=1):
        data = item if isinstance(item, Mapping) else {}
        text = _text(data.get("text"), f"targets.{i}.text", _TEXT, problems)
        criterion = _text(data.get("criterion"), f"targets.{i}.criterion", _TEXT, problems, required=False)
        out.append(Target(text, criterion))
    return tuple(out)


def _periods(value: object, problems: list[Problem]) -> tuple[str, ...]:
    items = enumerate(_list(value, "periods", problems), start=1)
    names = [_text(v, f"periods.{i}", 40, problems) for i, v in items]
    if len(names) > MAX_PERIODS:
        problems.append(
            Problem(
                "card-periods",
                "periods",
                f"The card has {len(names)} periods.",
                "Use 10 or fewer.",
            )
        )
    lowered = [n.lower() for n in names]
    if len(set(lowered)) != len(lowered):
        problems.append(
            Problem(
                "card-periods",
                "periods",
                "Two periods have the same name.",
                "Name each once.",
            )
        )
    return tuple(names)


def _rewards(value: object, problems: list[Problem]) -> tuple[Reward, ...]:
    out = []
    for i, item in enumerate(_list(value, "rewards", problems), start=1):
        data = item if isinstance(item, Mapping) else {}
        at = _number(data.get("at_percent"), f"rewards.{i}.at_percent", problems)
        out.append(Reward(at, _text(data.get("reward"), f"rewards.{i}.reward", _TEXT, problems)))
    levels = [r.at_percent for r in out]
    if len(set(levels)) != len(levels):
        problems.append(
            Problem(
                "card-rewards",
                "rewards",
                "Two rewards start at the same percentage.",
                "Give each tier its own.",
            )
        )
    return tuple(sorted(out, key=lambda r: r.at_percent))


def parse_card(data: object) -> tuple[Card | None, list[Problem]]:
    """Read CARD.json into a :class:`Card`, with every problem at once; never raises."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return None, [Problem("card-shape", "card", "The card is not a JSON object.", 'Send {"title": ...}.')]
    title = _text(data.get("title"), "title", _TITLE, problems)
    rated_by = data.get("rated_by")
    if rated_by not in RATERS:
        problems.append(
            Problem(
                "card-rated-by",
                "rated_by",
                f"rated_by is {rated_by!r}.",
                f"Use one of {', '.join(RATERS)}.",
            )
        )
    goal = _number(data.get("goal_percent"), "goal_percent", problems)
    card = Card(
        title,
        str(rated_by),
        goal,
        _targets(data.get("targets"), problems),
        _periods(data.get("periods"), problems),
        _rewards(data.get("rewards"), problems),
    )
    return (None, problems) if problems else (card, [])


def card_to_dict(card: Card) -> dict[str, object]:
    """The CARD.json shape of ``card`` (what is stored and printed)."""
    return {
        "title": card.title,
        "rated_by": card.rated_by,
        "goal_percent": card.goal_percent,
        "periods": list(card.periods),
        "targets": [{"text": t.text, "criterion": t.criterion} for t in card.targets],
        "rewards": [{"at_percent": r.at_percent, "reward": r.reward} for r in card.rewards],
    }


def card_from_dict(data: Mapping[str, object]) -> Card:
    """A stored card (already checked) back into a value."""
    card, problems = parse_card(data)
    if card is None:
        raise ValueError(f"stored card does not parse: {[p.code for p in problems]}")
    return card
