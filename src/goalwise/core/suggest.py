"""From free text to goal templates: keyword rules (no model) and the questions still open.

:func:`suggest` reads what a client wrote ("I want to have fewer panic attacks and sleep
better"), finds the templates whose keywords or vague-phrase links match, orders them, and
lists the questions the text leaves open: what will be counted, how often it happens now,
what level to reach, by when, and (for avoidance wording) what to do instead.

Scoring: a one-word keyword scores 1, a keyword of several words 2 (it is more specific), and a
template the vague-phrase catalog links to the text scores 2. Templates are ordered by score,
then catalog order; with a needs assessment they are ordered by
:func:`goalwise.core.need.order_by_needs` first (highest-priority concern area, then least-met
need), score breaking ties. Without any match, a needs assessment still yields the templates
that serve its most urgent areas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from goalwise.core.errors import Problem
from goalwise.core.need import NeedsAssessment, order_by_needs
from goalwise.core.phrases import (
    find_avoidance,
    find_vague,
    mentions_metric,
    mentions_number,
    mentions_time_frame,
    normalise,
)
from goalwise.core.smart import check_text
from goalwise.core.template import TEMPLATES, GoalTemplate

__all__ = ["Question", "Suggestion", "TemplateMatch", "suggest"]

_PHRASE_SCORE = 2
_WORD_SCORE = 1
_VAGUE_LINK_SCORE = 2


@dataclass(frozen=True, slots=True)
class TemplateMatch:
    """A template that fits the text, its score and what matched."""

    template_id: str
    title: str
    score: int
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Question:
    """A question the text leaves open; ``id`` is measure, baseline, target, deadline or instead."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Everything :func:`suggest` found: templates, open questions, SMART problems and rewrites."""

    text: str
    templates: tuple[TemplateMatch, ...]
    questions: tuple[Question, ...]
    problems: tuple[Problem, ...]
    rewrites: tuple[str, ...]


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    # Plurals ("panic attacks", "friends") count as the keyword.
    return re.compile(rf"\b{re.escape(keyword)}(?:s|es)?\b")


_KEYWORDS: tuple[tuple[GoalTemplate, tuple[tuple[str, re.Pattern[str]], ...]], ...] = tuple(
    (template, tuple((kw, _keyword_pattern(kw)) for kw in template.keywords)) for template in TEMPLATES
)


def suggest(text: str, needs: NeedsAssessment | None = None, *, limit: int = 5) -> Suggestion:
    """The templates matching ``text`` (at most ``limit``; order: module docstring) and open questions."""
    clean = normalise(text)
    vague = find_vague(text)
    scores: dict[str, int] = {}
    matched: dict[str, list[str]] = {}
    for template, patterns in _KEYWORDS:
        for keyword, pattern in patterns:
            if pattern.search(clean):
                scores[template.id] = scores.get(template.id, 0) + (
                    _PHRASE_SCORE if " " in keyword else _WORD_SCORE
                )
                matched.setdefault(template.id, []).append(keyword)
    for match in vague:
        for template_id in match.entry.template_ids:
            scores[template_id] = scores.get(template_id, 0) + _VAGUE_LINK_SCORE
            matched.setdefault(template_id, []).append(match.entry.phrase)
    ranked = sorted((t for t in TEMPLATES if t.id in scores), key=lambda t: -scores[t.id])
    if not ranked and needs is not None and (needs.concerns or needs.needs):
        served = {c.area.value for c in needs.concerns} | {r.need.value for r in needs.needs}
        ranked = [t for t in TEMPLATES if served.intersection(t.needs)]
    ranked = order_by_needs(ranked, lambda t: t.needs, needs)
    templates = tuple(
        TemplateMatch(t.id, t.title, scores.get(t.id, 0), tuple(dict.fromkeys(matched.get(t.id, []))))
        for t in ranked[: max(limit, 0)]
    )
    return Suggestion(
        text=text,
        templates=templates,
        questions=tuple(_questions(text, (m.entry.measure for m in vague))),
        problems=tuple(check_text(text)),
        rewrites=tuple(match.entry.rewrite for match in vague),
    )


def _questions(text: str, measures: Iterable[str]) -> list[Question]:
    example = next(iter(measures), "panic attacks per week, minutes of practice per day, or a 0-10 rating")
    questions: list[Question] = []
    if not mentions_metric(text):
        questions.append(Question("measure", f"What will you count or rate? For example: {example}."))
    if not mentions_number(text):
        questions.append(Question("baseline", "How often does it happen now, per day or per week?"))
        questions.append(Question("target", "What number would tell you it has worked?"))
    if not mentions_time_frame(text):
        questions.append(
            Question("deadline", "By when? For example within 8 weeks, or within three sessions.")
        )
    if find_avoidance(text):
        questions.append(
            Question("instead", "What would you like to do instead? Name it as something to do.")
        )
    return questions
