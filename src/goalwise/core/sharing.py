"""What a client can share with a supporter, as data.

A share names goals and sections. Goal progress, milestones and assessment scores are the
usual sections; the journal and the episode log are never shared unless chosen explicitly
(they are not in ``DEFAULT_SECTIONS``). The method asks the client to say how the supporter can
help, so a share carries that message too.
"""

from __future__ import annotations

from dataclasses import dataclass

from goalwise.core.errors import Problem
from goalwise.core.text.characters import bad_characters_problem

__all__ = ["DEFAULT_SECTIONS", "SECTIONS", "Section", "validate_share"]


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a client's record that can be shared."""

    key: str
    label: str
    sensitive: bool


SECTIONS = (
    Section("goals", "Goal progress and charts", False),
    Section("milestones", "Milestones and next steps", False),
    Section("assessments", "Questionnaire scores (PHQ-9, GAD-7, ...)", False),
    Section("journal", "Journal entries not marked private", True),
    Section("episodes", "Episode log (triggers and coping)", True),
)
DEFAULT_SECTIONS = tuple(s.key for s in SECTIONS if not s.sensitive)
_KEYS = {s.key for s in SECTIONS}
MESSAGE_MAX = 1000
LABEL_MAX = 120


def validate_share(
    label: str,
    sections: list[str],
    goal_ids: list[int],
    own_goal_ids: set[int],
    message: str,
    expires_days: int,
) -> list[Problem]:
    """Every problem with a share request; ``own_goal_ids`` are the client's goals."""
    problems: list[Problem] = []
    if not label.strip() or len(label) > LABEL_MAX:
        problems.append(
            Problem(
                "share-label",
                "label",
                "Say who this share is for.",
                f'A name or role of up to {LABEL_MAX} characters, e.g. "Mum".',
            )
        )
    unknown = [s for s in sections if s not in _KEYS]
    if unknown:
        problems.append(
            Problem(
                "share-section",
                "sections",
                f"Unknown section {unknown[0]!r}.",
                f"Use any of {', '.join(sorted(_KEYS))}.",
            )
        )
    if not sections:
        problems.append(
            Problem(
                "share-empty",
                "sections",
                "Nothing is chosen to share.",
                "Choose at least one section, e.g. goals.",
            )
        )
    foreign = [g for g in goal_ids if g not in own_goal_ids]
    if foreign:
        problems.append(
            Problem(
                "share-goal",
                "goal_ids",
                f"Goal {foreign[0]} is not one of your goals.",
                "Choose among your own goals.",
            )
        )
    if ("goals" in sections or "milestones" in sections) and not goal_ids:
        problems.append(
            Problem(
                "share-goals-none",
                "goal_ids",
                "No goal is chosen for the goal sections.",
                "Pick the goals whose progress you want to share.",
            )
        )
    problems += [
        p
        for p in (
            bad_characters_problem("label", label),
            bad_characters_problem("message", message, multiline=True),
        )
        if p
    ]
    if len(message) > MESSAGE_MAX:
        problems.append(
            Problem(
                "share-message",
                "message",
                f"The message has {len(message)} characters.",
                f"Keep it under {MESSAGE_MAX} characters.",
            )
        )
    if not 1 <= expires_days <= 365:
        problems.append(
            Problem(
                "share-expiry",
                "expires_days",
                f"Expiry of {expires_days} days is out of range.",
                "Use 1 to 365 days (30 is usual).",
            )
        )
    return problems
