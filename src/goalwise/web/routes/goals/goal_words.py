"""The SMART check's problems in a therapist's words on the goal pages: the SMART letter as a word,
and no field names, codes or JSON (the API keeps the stored field names in its messages)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from goalwise.core.errors import Problem

__all__ = ["PlainProblem", "plain"]

#: The first letter of a SMART check's code, as the word it stands for.
SMART_WORDS = {"S": "Specific", "M": "Measurable", "A": "Achievable", "R": "Relevant", "T": "Time-bound"}

#: Field names in messages, longest first, as the form's labels say them.
_FIELDS = (
    ("review_every_weeks", "'Review every … weeks'"),
    ("deadline_sessions", "a number of sessions"),
    ("deadline_on", "the deadline"),
    ("start_on", "the start date"),
    ("set_by", "who set the goal"),
    ("target.comparator", "the target comparison"),
    ("target.value", "the target value"),
    ("target.low", "the low end of the target range"),
    ("target.high", "the high end of the target range"),
    ("baseline.value", "the baseline"),
    ("baseline.source", "where the baseline comes from"),
    ("metric.kind", "the kind of measure"),
    ("metric.unit", "the unit"),
    ("metric.period", "the period (per day or per week)"),
    ("metric.scale_min", "the scale's lowest value"),
    ("metric.scale_max", "the scale's highest value"),
    ("metric.instrument", "the questionnaire"),
    ("metric.bounds", "the scale"),
)
_SAYS = {"text": "The client's words say", "behaviour": "The description says", "title": "The title says"}
_JSON = re.compile(r"(?:metric )?\{[^{}]*\}")


@dataclass(frozen=True, slots=True)
class PlainProblem:
    """A problem as the form shows it: ``word`` is the SMART letter as a word ("" if none)."""

    code: str
    field: str
    message: str
    hint: str
    severity: str
    word: str


def _metric(found: re.Match[str]) -> str:
    """A metric written as JSON, in words: 'a count of panic attacks per week'."""
    try:
        metric = json.loads(found.group(0).removeprefix("metric "))
    except ValueError:
        return "a measure"
    if not isinstance(metric, dict):
        return "a measure"
    words = f"a {metric.get('kind', 'measure')}"
    if metric.get("unit"):
        words += f" of {metric['unit']}"
    if metric.get("period"):
        words += f" per {metric['period']}"
    return words


def words(text: str, *, own_words: bool = False) -> str:
    """``text`` without field names or JSON, its first letter a capital.

    ``own_words``: the reader wrote the words checked (a client proposing a goal): "Your words say".
    """
    if not text:
        return text
    text = _JSON.sub(_metric, text)
    says = {**_SAYS, "text": "Your words say"} if own_words else _SAYS
    for name, said in says.items():
        if text.startswith(f"{name} says "):
            text = said + text[len(name) + len(" says") :]
    for name, said in _FIELDS:
        text = re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", said, text)
    text = text.replace(", as YYYY-MM-DD", "").replace(" as YYYY-MM-DD", "")
    return text[0].upper() + text[1:]


def plain(problem: Problem, *, own_words: bool = False) -> PlainProblem:
    """``problem`` in the therapist's words (``own_words``: said to the client who wrote the text)."""
    return PlainProblem(
        code=problem.code,
        field=problem.field,
        message=words(problem.message, own_words=own_words),
        hint=words(problem.hint, own_words=own_words),
        severity=problem.severity,
        word=SMART_WORDS.get(problem.code[:1], "") if problem.code[1:2] == "-" else "",
    )
