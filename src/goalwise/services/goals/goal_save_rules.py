"""What stops a goal draft from being saved or activated, as Problems (issue 3, "Goal model").

A proposed goal may be unfinished: missing fields (no deadline yet, no baseline) only block
activation. Input that is *wrong* blocks saving at all: unreadable values (wrong type, unknown
metric kind, malformed date; the parse problems of ``core.goal.parse_draft``) and the codes in
:data:`SAVE_BLOCKING` (a target or baseline off the metric's scale, a deadline before the start,
a review cadence or ruler outside its range ...). Activation follows the lifecycle table
(``core.lifecycle.transition_problems``) and is refused while the SMART check finds errors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date

from goalwise.core.errors import Problem
from goalwise.core.goal import GoalDraft
from goalwise.core.lifecycle import GoalStatus, transition_problems
from goalwise.core.text.characters import bad_characters_problem
from goalwise.services.measurement.record_store import planned_day_problem, text_problem

__all__ = [
    "REASON_LIMIT",
    "SAVE_BLOCKING",
    "TITLE_LIMIT",
    "activation_problems",
    "limit_problems",
    "reason_problem",
    "save_blocking",
]

#: The goals.title column holds 200 characters; the spec keeps nothing longer either.
TITLE_LIMIT = 200
REASON_LIMIT = 2000

#: SMART codes that mean the input is wrong (not merely unfinished): they block saving at all.
SAVE_BLOCKING = frozenset(
    {
        "S-no-title",
        "M-target-off-scale",
        "M-baseline-off-scale",
        "M-scale-order",
        "M-unknown-instrument",
        "M-duration-unit",
        "A-ruler-range",
        "T-deadline-before-start",
        "T-sessions-range",
        "T-review-range",
    }
)


def limit_problems(draft: GoalDraft, today: date) -> list[Problem]:
    """What the goals table cannot hold: a title longer than :data:`TITLE_LIMIT` characters or with
    control characters, a start or deadline outside 1900 to 100 years after the client's ``today``."""
    found = [planned_day_problem(draft.start_on, today, "start_on")]
    found.append(planned_day_problem(draft.deadline_on, today, "deadline_on"))
    if draft.title is not None and len(draft.title) > TITLE_LIMIT:
        message = f"title has {len(draft.title)} characters; the limit is {TITLE_LIMIT}."
        found.append(
            Problem("S-title-too-long", "title", message, "Shorten the title; put details in behaviour.")
        )
    else:
        found.append(bad_characters_problem("title", draft.title))
    return [p for p in found if p]


def save_blocking(problems: Iterable[Problem], parse_problems: Sequence[Problem]) -> list[Problem]:
    """The problems that block saving: the parse problems and the codes in :data:`SAVE_BLOCKING`."""
    return [p for p in problems if p in parse_problems or p.code in SAVE_BLOCKING]


def activation_problems(current: str, problems: Sequence[Problem]) -> list[Problem]:
    """Why a goal in status ``current`` with these SMART ``problems`` cannot become active: the
    errors and the lifecycle's refusal (``core.lifecycle.transition_problems``); empty if it can."""
    moved = transition_problems(current, GoalStatus.ACTIVE, problems)
    if not moved:
        return []
    return [*(p for p in problems if p.severity == "error"), *moved]


def reason_problem(reason: str | None, *, required: bool) -> Problem | None:
    """The problem with a revision's reason (missing when ``required``, or longer than
    :data:`REASON_LIMIT`), or None."""
    found = text_problem("reason", reason, required=required, limit=REASON_LIMIT)
    if found is not None and found.code == "text-missing":
        return dataclasses.replace(found, hint="Say why, e.g. 'Target agreed at the week-6 review'.")
    return found
