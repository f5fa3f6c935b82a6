"""Checking a list of answers against an instrument's items, reporting every problem at once.

Each problem names the item number and its range, e.g. field ``answers[4]``, message
"PHQ-9 item 4 is 5; answers run from 0 to 3." The index in ``answers[n]`` is the 1-based
item number, the number printed on the form, not a Python list index.

Missing items (``None``) are allowed only where the instrument carries a published proration
rule (PHQ-9: NHS Data Dictionary, CLINICAL.md §1.6); elsewhere every item must be answered.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from goalwise.core.errors import Problem
from goalwise.core.instruments.model import Instrument, Item

__all__ = ["CheckedAnswers", "check_answers"]


@dataclass(frozen=True, slots=True)
class CheckedAnswers:
    """The outcome of :func:`check_answers`: the scored items, the extra item and the problems.

    ``items`` and ``extra`` are only meaningful when ``problems`` is empty.
    """

    items: tuple[int | None, ...]
    extra: int | None
    problems: tuple[Problem, ...]


def check_answers(instrument: Instrument, answers: object) -> CheckedAnswers:
    """Check ``answers`` (item order, ``None`` for a blank item) against ``instrument``.

    When the number of answers is wrong the items cannot be matched to answers, so that is the
    only problem reported; otherwise every bad or missing item is reported together.
    """
    label = instrument.abbreviation
    answers = _as_list(answers)
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        problem = Problem(
            code="answers_not_a_list",
            field="answers",
            message=f"{label} answers must be a list of whole numbers (got {type(answers).__name__}).",
            hint=_count_hint(instrument),
        )
        return CheckedAnswers((), None, (problem,))
    n_items = len(instrument.items)
    allowed = {n_items} if instrument.extra_item is None else {n_items, n_items + 1}
    if len(answers) not in allowed:
        problem = Problem(
            code="wrong_answer_count",
            field="answers",
            message=f"{label} has {n_items} items; got {len(answers)} answers.",
            hint=_count_hint(instrument),
        )
        return CheckedAnswers((), None, (problem,))

    problems: list[Problem] = []
    values: list[int | None] = []
    for position, value in enumerate(answers, start=1):
        item = instrument.items[position - 1] if position <= n_items else instrument.extra_item
        assert item is not None  # the length check above admits the extra position only when it exists
        bad = _check_value(label, item, value, extra=position > n_items)
        if bad is not None:
            problems.append(bad)
        values.append(operator.index(value) if bad is None and value is not None else None)
    problems.extend(_missing_problems(instrument, answers[:n_items]))
    extra = values[n_items] if len(values) > n_items else None
    return CheckedAnswers(tuple(values[:n_items]), extra, tuple(problems))


def _as_list(answers: object) -> object:
    """A NumPy array (anything with a one-dimensional ``tolist``) as a plain list; else as given.

    Duck-typed so that core needs no NumPy: ``np.array([1, 0, ...]).tolist()`` gives Python ints.
    """
    tolist = getattr(answers, "tolist", None)
    if not isinstance(answers, Sequence) and getattr(answers, "ndim", None) == 1 and callable(tolist):
        listed = tolist()
        if isinstance(listed, list):
            return listed
    return answers


def _whole(value: object) -> bool:
    """A whole number of any integer type (int, NumPy's integers), but not a bool."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return False
    return isinstance(value, numbers.Integral)


def _count_hint(instrument: Instrument) -> str:
    n_items = len(instrument.items)
    hint = f"Give {n_items} answers in item order, with None for an item left blank"
    if instrument.extra_item is not None:
        hint += f", or {n_items + 1} with the unscored item {n_items + 1} last"
    return hint + "."


def _range_text(item: Item) -> str:
    return f"answers run from {item.min_score} to {item.max_score}"


def _item_name(label: str, item: Item, extra: bool) -> str:
    suffix = f" ({item.short} question)" if extra and item.short else ""
    return f"{label} item {item.number}{suffix}"


def _check_value(label: str, item: Item, value: object, *, extra: bool) -> Problem | None:
    """One problem for an answer of the wrong type or off the item's range; ``None`` if fine."""
    if value is None:
        return None
    field = f"answers[{item.number}]"
    name = _item_name(label, item, extra)
    hint = f"Enter a whole number from {item.min_score} to {item.max_score}."
    # bool is a subclass of int, but True is not an answer on any of these scales.
    if not _whole(value):
        return Problem(
            code="answer_not_whole_number",
            field=field,
            message=f"{name} is not a whole number (got {type(value).__name__}); {_range_text(item)}.",
            hint=hint,
        )
    assert isinstance(value, numbers.Integral)
    if not item.min_score <= operator.index(value) <= item.max_score:
        return Problem(
            code="answer_out_of_range",
            field=field,
            message=f"{name} is {value}; {_range_text(item)}.",
            hint=hint,
        )
    return None


def _missing_problems(instrument: Instrument, scored: Sequence[object]) -> list[Problem]:
    """A problem per blank scored item when the instrument cannot be scored with that many blanks."""
    missing = [number for number, value in enumerate(scored, start=1) if value is None]
    rule = instrument.proration
    allowed = 0 if rule is None else rule.max_missing
    if len(missing) <= allowed:
        return []
    label = instrument.abbreviation
    if rule is None:
        code = "answer_missing"
        hint = f"Answer every item: {label} has no published rule for missing items."
    else:
        code = "too_many_missing"
        hint = (
            f"{label} can be scored with at most {rule.max_missing} items missing; "
            f"{len(missing)} are missing. Ask the remaining items."
        )
    if rule is None:
        message = "{label} item {number} is missing; {range}."
    else:
        message = (
            f"{{label}} item {{number}} is missing: {len(missing)} items are blank, at most {allowed} may be."
        )
    return [
        Problem(
            code=code,
            field=f"answers[{number}]",
            message=message.format(label=label, number=number, range=_range_text(instrument.item(number))),
            hint=hint,
        )
        for number in missing
    ]
