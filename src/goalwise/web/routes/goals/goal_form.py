"""The goal draft as an HTML form: flat field names to DRAFT.json and back, and problems by field.

The same names are read by ``web/static/goal_check.js``, which checks the draft as one types;
without JavaScript the "Check" button does the same round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from goalwise.core.errors import Problem
from goalwise.web.routes.goals.goal_words import PlainProblem, plain

__all__ = ["FIELDS", "GROUPS", "draft_from_form", "form_from_draft", "problems_by_group"]

#: Every form field of the draft.
FIELDS = (
    "title",
    "behaviour",
    "metric_kind",
    "metric_unit",
    "metric_period",
    "metric_scale_min",
    "metric_scale_max",
    "metric_instrument",
    "direction",
    "baseline",
    "target",
    "target_comparator",
    "target_low",
    "target_high",
    "start_on",
    "deadline_on",
    "deadline_sessions",
    "review_every_weeks",
    "priority",
    "set_by",
)
#: The groups the form shows problems beside; a problem's field names its group by its first part.
GROUPS = (
    "title",
    "behaviour",
    "metric",
    "direction",
    "baseline",
    "target",
    "start_on",
    "deadline_on",
    "review_every_weeks",
    "priority",
)
_GROUP_OF = {"deadline_sessions": "deadline_on", "set_by": "priority", "text": "title"}
_METRIC = ("unit", "period", "scale_min", "scale_max", "instrument")


def _clean(form: Mapping[str, Any], name: str) -> str | None:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    return text or None


def draft_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """DRAFT.json from the form's fields; blank fields are left out (the check says what is missing).
    Numbers stay text: ``core.goal.parse_draft`` reads numeric text and names anything else."""
    draft: dict[str, Any] = {}
    for name in ("title", "behaviour", "direction", "start_on", "deadline_on", "priority", "set_by"):
        if (value := _clean(form, name)) is not None:
            draft[name] = value
    for name in ("deadline_sessions", "review_every_weeks"):
        if (value := _clean(form, name)) is not None:
            draft[name] = value
    kind = _clean(form, "metric_kind")
    if kind is not None:
        metric = {"kind": kind}
        metric |= {k: v for k in _METRIC if (v := _clean(form, f"metric_{k}")) is not None}
        draft["metric"] = metric
    if (baseline := _clean(form, "baseline")) is not None:
        draft["baseline"] = {"value": baseline, "source": _clean(form, "baseline_source") or "entered"}
    target = {k: v for k in ("low", "high") if (v := _clean(form, f"target_{k}")) is not None}
    if (value := _clean(form, "target")) is not None:
        target["value"] = value
    if target:
        if (comparator := _clean(form, "target_comparator")) is not None:
            target["comparator"] = comparator
        draft["target"] = target
    return draft


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_from_draft(draft: Mapping[str, Any]) -> dict[str, str]:
    """The form's field values for a stored or filled draft (DRAFT.json)."""
    values = {name: _text(draft.get(name)) for name in FIELDS if not isinstance(draft.get(name), Mapping)}
    metric = draft.get("metric")
    if isinstance(metric, Mapping):
        values["metric_kind"] = _text(metric.get("kind"))
        values |= {f"metric_{k}": _text(metric.get(k)) for k in _METRIC}
    baseline = draft.get("baseline")
    if isinstance(baseline, Mapping):
        values["baseline"] = _text(baseline.get("value"))
        values["baseline_source"] = _text(baseline.get("source"))
    target = draft.get("target")
    if isinstance(target, Mapping):
        values["target"] = _text(target.get("value"))
        values["target_comparator"] = _text(target.get("comparator"))
        values |= {f"target_{k}": _text(target.get(k)) for k in ("low", "high")}
    elif target is not None:
        values["target"] = _text(target)
    return values


def _group(field: str) -> str:
    head = field.split(".", 1)[0].split("[", 1)[0]
    head = _GROUP_OF.get(head, head)
    return head if head in GROUPS else "general"


def problems_by_group(problems: Iterable[Problem]) -> dict[str, list[PlainProblem]]:
    """Problems in plain words, keyed by the form group they are shown beside ("general" for the rest)."""
    out: dict[str, list[PlainProblem]] = {}
    for problem in problems:
        out.setdefault(_group(problem.field), []).append(plain(problem))
    return out
