"""``/api/v1`` goals: the SMART check, templates, suggestions, goals, revisions, status and readiness.

The check, the templates and the suggestions are pure and public (nothing stored is read). Goals
belong to a client: routes keyed by ``client_id`` or ``goal_id`` are ``client-record`` (reads) or
``client-record-write`` (changes); the goal's client decides, and everyone else gets 404.

DRAFT.json bodies are taken as plain objects and read by ``core.goal.parse_draft``, so a wrong
type becomes a Problem naming the field (``baseline is 'five'; it must be a number``) rather than
a generic validation error. ``PATCH /goals/{goal_id}`` is a JSON merge patch (RFC 7396) of the
stored draft: keys given replace, ``null`` removes, objects merge; the result is a new revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.goal import GoalDraft, draft_to_dict
from goalwise.core.suggest import Suggestion, suggest
from goalwise.core.template import TEMPLATES, GoalTemplate
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx
from goalwise.web.id_range import ID_MAX

__all__ = ["GoalOut", "ProblemOut", "router"]

router = APIRouter(tags=["goals"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
# Ids stay inside a 64-bit integer so that a huge number is a 422, never a database error.
ClientId = Annotated[int, Path(ge=1, le=ID_MAX, description="Client id.")]
GoalId = Annotated[int, Path(ge=1, le=ID_MAX, description="Goal id.")]

_DRAFT = (
    "DRAFT.json: title, behaviour, metric {kind, unit, period, scale_min, scale_max, instrument}, "
    "direction, baseline, target, start_on, deadline_on (ISO dates), deadline_sessions, "
    "review_every_weeks, priority, framing, set_by, importance, confidence, related_goals. "
    "Any field may be missing; the check reports it."
)
_DRAFT_EXAMPLE: dict[str, Any] = {
    "title": "Fewer panic attacks",
    "behaviour": "Each panic attack is logged in the app on the day it happens; the value is the number "
    "in the week.",
    "metric": {"kind": "count", "unit": "panic attacks", "period": "week"},
    "direction": "decrease",
    "baseline": {"value": 5, "source": "baseline_period"},
    "target": {"value": 2, "comparator": "<="},
    "start_on": "2026-01-05",
    "deadline_on": "2026-03-16",
    "review_every_weeks": 4,
}


class ProblemOut(BaseModel):
    """One problem; for the SMART check the code's first letter is the SMART letter."""

    code: str = Field(description="Stable identifier, e.g. 'M-target-off-scale'.")
    field: str = Field(description="The input it concerns, as a dotted path, e.g. 'target.value'.")
    severity: str = Field(description="'error' blocks saving or activation; 'warning' only advises.")
    message: str = Field(description="What is wrong.")
    suggestion: str = Field(description="A concrete rewrite or next step.")

    @classmethod
    def of(cls, p: Problem) -> ProblemOut:
        return cls(code=p.code, field=p.field, severity=p.severity, message=p.message, suggestion=p.hint)


def _problems(found: Sequence[Problem]) -> list[ProblemOut]:
    return [ProblemOut.of(p) for p in found]


class ProblemsOut(BaseModel):
    """The result of a SMART check."""

    problems: list[ProblemOut] = Field(description="Every problem found, ordered S, M, A, R, T.")


class TextIn(BaseModel):
    """A goal in the client's own words."""

    text: str = Field(max_length=5000, description="Free text, e.g. 'I want to feel better'.")


class TemplateOut(BaseModel):
    """A goal template: everything but the client's numbers."""

    id: str = Field(description="Template id, used with 'template_id'.")
    title: str = Field(description="Goal title.")
    behaviour: str = Field(description="The operational definition: what is counted, when and how.")
    metric: dict[str, Any] = Field(description="The metric, as in DRAFT.json.")
    direction: str = Field(description="increase, decrease or maintain.")
    target_mode: str = Field(
        description="fixed (the value), scale (baseline x value) or shift (baseline + value)."
    )
    target_value: float = Field(description="The number the target mode uses.")
    target_comparator: str = Field(description="How values are compared with the target.")
    days: int = Field(description="Default time frame in days from the start.")
    deadline_sessions: int | None = Field(description="A deadline in sessions instead of days, if any.")
    review_every_weeks: int = Field(description="Default review cadence in weeks.")
    plausible_baseline: tuple[float, float] = Field(description="Baselines the template is written for.")
    needs: list[str] = Field(description="Concern areas and core needs the template serves.")
    keywords: list[str] = Field(description="Words that make the suggestion match it.")

    @classmethod
    def of(cls, t: GoalTemplate) -> TemplateOut:
        metric = draft_to_dict(GoalDraft(metric=t.metric))["metric"]
        return cls(
            id=t.id,
            title=t.title,
            behaviour=t.behaviour,
            metric=metric,  # type: ignore[arg-type]
            direction=t.direction.value,
            target_mode=t.target.mode.value,
            target_value=t.target.value,
            target_comparator=t.target.comparator.value,
            days=t.days,
            deadline_sessions=t.deadline_sessions,
            review_every_weeks=t.review_every_weeks,
            plausible_baseline=t.plausible_baseline,
            needs=list(t.needs),
            keywords=list(t.keywords),
        )


class TemplateMatchOut(BaseModel):
    """A template that fits the text."""

    template_id: str = Field(description="Template id.")
    title: str = Field(description="Template title.")
    score: int = Field(description="Keyword score; higher fits better.")
    matched: list[str] = Field(description="The words or phrases that matched.")


class QuestionOut(BaseModel):
    """A question the text leaves open."""

    id: str = Field(description="measure, baseline, target, deadline or instead.")
    text: str = Field(description="The question to ask.")


class SuggestionOut(BaseModel):
    """Templates for a text, the questions still open, and its SMART problems."""

    text: str = Field(description="The text as given.")
    templates: list[TemplateMatchOut] = Field(description="Matching templates, best first.")
    questions: list[QuestionOut] = Field(description="What to ask next.")
    problems: list[ProblemOut] = Field(description="What words alone show (S, M, T).")
    rewrites: list[str] = Field(description="Concrete rewrites of the vague phrases found.")

    @classmethod
    def of(cls, s: Suggestion) -> SuggestionOut:
        return cls(
            text=s.text,
            templates=[
                TemplateMatchOut(
                    template_id=m.template_id, title=m.title, score=m.score, matched=list(m.matched)
                )
                for m in s.templates
            ],
            questions=[QuestionOut(id=q.id, text=q.text) for q in s.questions],
            problems=_problems(s.problems),
            rewrites=list(s.rewrites),
        )


class GoalOut(BaseModel):
    """A goal at its latest revision, with the SMART problems it has today."""

    id: int = Field(description="Goal id.")
    client_id: int = Field(description="Whose goal it is.")
    status: str = Field(description="proposed, active, on_hold, achieved, revised or discontinued.")
    fhir_lifecycle_status: str = Field(description="FHIR Goal.lifecycleStatus for the status.")
    title: str = Field(description="The title, in the client's words.")
    priority: str = Field(description="primary or secondary.")
    start_on: date | None = Field(description="Start date.")
    deadline_on: date | None = Field(description="Deadline (or the date a deadline in sessions implies).")
    implied_deadline_on: date | None = Field(description="The date 'within N sessions' implies, if used.")
    review_every_weeks: int | None = Field(description="Review cadence in weeks.")
    revision: int = Field(description="The latest revision number (1 for a new goal).")
    metric_key: str | None = Field(description="The metric key its values are logged against.")
    draft: dict[str, Any] = Field(description="The full draft (DRAFT.json shape).")
    problems: list[ProblemOut] = Field(description="SMART problems today, in the client's context.")
    created_at: datetime = Field(description="When it was created (UTC).")
    updated_at: datetime = Field(description="When it last changed (UTC).")

    @classmethod
    def of(cls, g: goals.Goal) -> GoalOut:
        return cls(
            id=g.id,
            client_id=g.client_id,
            status=g.status,
            fhir_lifecycle_status=g.fhir_lifecycle,
            title=g.title,
            priority=g.priority,
            start_on=g.start_on,
            deadline_on=g.deadline_on,
            implied_deadline_on=g.implied_deadline_on,
            review_every_weeks=g.review_every_weeks,
            revision=g.revision,
            metric_key=g.metric_key,
            draft=g.spec,
            problems=_problems(g.problems),
            created_at=g.created_at,
            updated_at=g.updated_at,
        )


class RevisionOut(BaseModel):
    """One stored version of a goal."""

    revision: int = Field(description="Revision number, from 1.")
    status: str = Field(description="The status in this revision.")
    draft: dict[str, Any] = Field(description="The draft in this revision.")
    changed_by: str = Field(description="Who made the change (role and account id).")
    changed_at: datetime = Field(description="When (UTC).")
    reason: str | None = Field(description="Why.")


class TemplateFillIn(BaseModel):
    """A goal from a template and the client's baseline."""

    template_id: str = Field(max_length=64, description="Template id (GET /goal-templates).")
    baseline: float = Field(
        allow_inf_nan=False, description="The client's current level on the template's metric."
    )
    start_on: date | None = Field(default=None, description="Start date; default the client's today.")
    deadline_on: date | None = Field(default=None, description="Deadline; default the template's time frame.")


class GoalCreateIn(BaseModel):
    """A new goal: a draft or a template, proposed or (with ``activate``) active."""

    draft: dict[str, Any] | None = Field(default=None, description=_DRAFT, examples=[_DRAFT_EXAMPLE])
    template: TemplateFillIn | None = Field(default=None, description="Fill a template instead of a draft.")
    activate: bool = Field(
        default=False, description="Activate at once; refused while the check finds errors."
    )
    reason: str | None = Field(
        default=None, max_length=2000, description="Why the goal was set (stored encrypted)."
    )


class GoalPatchIn(BaseModel):
    """A revision: a JSON merge patch of the stored draft and the reason for it."""

    draft: dict[str, Any] = Field(description="Keys to change (null removes a key); " + _DRAFT)
    reason: str = Field(max_length=2000, description="Why the goal changed (stored encrypted).")


class StatusIn(BaseModel):
    """A status change."""

    status: str = Field(max_length=32, description="The new status, e.g. active, on_hold, achieved.")
    reason: str | None = Field(default=None, max_length=2000, description="Why (stored encrypted).")


class ReadinessIn(BaseModel):
    """Motivational-interviewing rulers."""

    importance: int = Field(description="How important the change is, 0-10.")
    confidence: int = Field(description="How confident the client is of making it, 0-10.")
    context: str = Field(default="review", max_length=16, description="'set' (goal setting) or 'review'.")


class ReadinessOut(BaseModel):
    """A readiness record, with advice when confidence is low."""

    id: int = Field(description="Record id.")
    goal_id: int = Field(description="Goal id.")
    at: datetime = Field(description="When it was recorded (UTC).")
    context: str = Field(description="set or review.")
    importance: int = Field(description="0-10.")
    confidence: int = Field(description="0-10.")
    advice: list[ProblemOut] = Field(description="A-low-confidence when confidence is below 7.")

    @classmethod
    def of(cls, r: goals.Readiness) -> ReadinessOut:
        return cls(
            id=r.id,
            goal_id=r.goal_id,
            at=r.at,
            context=r.context,
            importance=r.importance,
            confidence=r.confidence,
            advice=_problems(r.advice),
        )


@router.post("/goals/check", response_model=ProblemsOut, openapi_extra=access("public"))
def check_draft(
    draft: Annotated[dict[str, Any], Body(description=_DRAFT, examples=[_DRAFT_EXAMPLE])],
    ctx: CtxDep,
) -> ProblemsOut:
    """The SMART check of a draft with no client: today is the date in the installation's default
    time zone (``GOALWISE_TIMEZONE``), so a deadline already past is reported; stores nothing."""
    return ProblemsOut(problems=_problems(goals.check(draft, timezone=ctx.settings.timezone)))


@router.post("/goals/check-text", response_model=ProblemsOut, openapi_extra=access("public"))
def check_text(body: TextIn) -> ProblemsOut:
    """What words alone show about a goal in free text (S phrases and framing; no metric, number or date)."""
    return ProblemsOut(problems=_problems(suggest(body.text).problems))


@router.get("/goal-templates", response_model=list[TemplateOut], openapi_extra=access("public"))
def list_templates() -> list[TemplateOut]:
    """Every goal template."""
    return [TemplateOut.of(t) for t in TEMPLATES]


@router.post("/goal-suggestions", response_model=SuggestionOut, openapi_extra=access("public"))
def suggest_goals(body: TextIn) -> SuggestionOut:
    """Templates that fit a free-text goal, and the questions still to answer (keyword rules)."""
    return SuggestionOut.of(suggest(body.text))


@router.get("/clients/{client_id}/goals", response_model=list[GoalOut], openapi_extra=access("client-record"))
def list_goals(
    client_id: ClientId,
    ctx: CtxDep,
    actor: ActorDep,
    status: Annotated[str | None, Query(max_length=32, description="Only goals in this status.")] = None,
) -> list[GoalOut]:
    """The client's goals, oldest first."""
    return [GoalOut.of(g) for g in goals.list_goals(ctx, actor, client_id, status=status)]


@router.post(
    "/clients/{client_id}/goals",
    response_model=GoalOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def create_goal(client_id: ClientId, body: GoalCreateIn, ctx: CtxDep, actor: ActorDep) -> GoalOut:
    """Create a goal from a draft or a template; 422 with every problem when it cannot be saved."""
    if (body.draft is None) == (body.template is None):
        hint = 'Send {"draft": {...}} or {"template": {"template_id": "panic-reduce", "baseline": 5}}.'
        raise InvalidInput([Problem("goal-source", "draft", "Send either a draft or a template.", hint)])
    if body.template is not None:
        t = body.template
        goal = goals.create_from_template(
            ctx,
            actor,
            client_id,
            t.template_id,
            baseline=t.baseline,
            start_on=t.start_on,
            deadline_on=t.deadline_on,
            activate=body.activate,
        )
    else:
        assert body.draft is not None
        goal = goals.create(ctx, actor, client_id, body.draft, activate=body.activate, reason=body.reason)
    return GoalOut.of(goal)


@router.get("/goals/{goal_id}", response_model=GoalOut, openapi_extra=access("client-record"))
def get_goal(goal_id: GoalId, ctx: CtxDep, actor: ActorDep) -> GoalOut:
    """One goal at its latest revision."""
    return GoalOut.of(goals.get(ctx, actor, goal_id))


@router.patch("/goals/{goal_id}", response_model=GoalOut, openapi_extra=access("client-record-write"))
def revise_goal(goal_id: GoalId, body: GoalPatchIn, ctx: CtxDep, actor: ActorDep) -> GoalOut:
    """Revise the goal: the patched draft becomes a new revision with who, when and why."""
    return GoalOut.of(goals.revise(ctx, actor, goal_id, body.draft, reason=body.reason, merge=True))


@router.post("/goals/{goal_id}/status", response_model=GoalOut, openapi_extra=access("client-record-write"))
def change_status(goal_id: GoalId, body: StatusIn, ctx: CtxDep, actor: ActorDep) -> GoalOut:
    """Change the status along the lifecycle table; activation re-runs the SMART check."""
    return GoalOut.of(goals.change_status(ctx, actor, goal_id, body.status, reason=body.reason))


@router.get(
    "/goals/{goal_id}/revisions", response_model=list[RevisionOut], openapi_extra=access("client-record")
)
def list_revisions(goal_id: GoalId, ctx: CtxDep, actor: ActorDep) -> list[RevisionOut]:
    """Every revision of the goal, oldest first."""
    return [
        RevisionOut(
            revision=r.revision,
            status=r.status,
            draft=r.spec,
            changed_by=r.changed_by,
            changed_at=r.changed_at,
            reason=r.reason,
        )
        for r in goals.history(ctx, actor, goal_id)
    ]


@router.get(
    "/goals/{goal_id}/readiness", response_model=list[ReadinessOut], openapi_extra=access("client-record")
)
def list_readiness(goal_id: GoalId, ctx: CtxDep, actor: ActorDep) -> list[ReadinessOut]:
    """The importance and confidence rulers recorded for the goal, oldest first."""
    return [ReadinessOut.of(r) for r in goals.list_readiness(ctx, actor, goal_id)]


@router.post(
    "/goals/{goal_id}/readiness",
    response_model=ReadinessOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def record_readiness(goal_id: GoalId, body: ReadinessIn, ctx: CtxDep, actor: ActorDep) -> ReadinessOut:
    """Record the importance and confidence rulers at goal setting or a review."""
    found = goals.record_readiness(
        ctx, actor, goal_id, importance=body.importance, confidence=body.confidence, context=body.context
    )
    return ReadinessOut.of(found)
