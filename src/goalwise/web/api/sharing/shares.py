"""``/api/v1/shares``: a client shares chosen parts with a supporter; ``/shared/{token}`` reads them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.web.api.access import access
from goalwise.web.deps import client_address, current_actor, get_ctx

router = APIRouter(tags=["sharing"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class ShareIn(BaseModel):
    """What to share with whom."""

    label: str = Field(max_length=120, description='Who it is for, e.g. "Mum".')
    sections: list[str] = Field(
        description="goals, milestones, assessments; journal and episodes only explicitly."
    )
    goal_ids: list[int] = Field(default_factory=list, description="Which goals the goal sections cover.")
    message: str = Field(default="", max_length=1000, description="How the supporter can help.")
    expires_days: int | None = Field(default=None, description="Days until the link ends (default 30).")
    supporter_email: str | None = Field(
        default=None,
        max_length=254,
        description="A supporter account to list it for. The answer is the same whether or not a "
        "supporter account has this email; the link works either way.",
    )


class ShareOut(BaseModel):
    """A share and its views."""

    id: int
    label: str
    sections: list[str]
    goal_ids: list[int]
    message: str | None
    created_at: datetime
    expires_at: datetime
    revoked: bool
    views: list[datetime]


class NewShareOut(ShareOut):
    """A new share with its link (shown once)."""

    path: str
    url: str = Field(description="The whole link to give the supporter, built from GOALWISE_BASE_URL.")


class SharedOut(BaseModel):
    """The supporter's read-only view."""

    client_name: str
    label: str
    message: str | None
    sections: list[str]
    expires_at: datetime
    goals: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    journal: list[dict[str, Any]]
    episodes: list[dict[str, Any]]


def _out(s: sharing.ShareInfo) -> ShareOut:
    return ShareOut(
        id=s.id,
        label=s.label,
        sections=s.sections,
        goal_ids=s.goal_ids,
        message=s.message,
        created_at=s.created_at,
        expires_at=s.expires_at,
        revoked=s.revoked_at is not None,
        views=s.views,
    )


@router.get("/shares", response_model=list[ShareOut], openapi_extra=access("client-self"))
def list_shares(ctx: CtxDep, actor: ActorDep) -> list[ShareOut]:
    """The caller's shares (clients only)."""
    return [_out(s) for s in sharing.list_shares(ctx, actor)]


@router.post("/shares", response_model=NewShareOut, status_code=201, openapi_extra=access("client-self"))
def create_share(body: ShareIn, ctx: CtxDep, actor: ActorDep) -> NewShareOut:
    """Share chosen goals and sections; the answer holds the link, shown once."""
    info, token = sharing.create_share(
        ctx,
        actor,
        label=body.label,
        sections=body.sections,
        goal_ids=body.goal_ids,
        message=body.message,
        expires_days=body.expires_days,
        supporter_email=body.supporter_email,
    )
    return NewShareOut(**_out(info).model_dump(), path=f"/s/{token}", url=ctx.link(f"/s/{token}"))


@router.delete("/shares/{share_id}", status_code=204, openapi_extra=access("client-self"))
def revoke_share(share_id: int, ctx: CtxDep, actor: ActorDep) -> None:
    """Revoke a share at once."""
    sharing.revoke_share(ctx, actor, share_id)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class IncomingOut(BaseModel):
    """A share addressed to the caller's supporter account."""

    id: int
    client_name: str
    label: str


@router.get("/shared-with-me", response_model=list[IncomingOut], openapi_extra=access("authenticated"))
def shared_with_me(ctx: CtxDep, actor: ActorDep) -> list[IncomingOut]:
    """Active shares addressed to the caller (supporters; empty for other accounts)."""
    return [
        IncomingOut(id=i, client_name=name, label=label)
        for i, name, label in sharing.shares_for_supporter(ctx, actor)
    ]


@router.get("/shared-with-me/{share_id}", response_model=SharedOut, openapi_extra=access("supporter-share"))
def shared_with_me_one(share_id: int, ctx: CtxDep, actor: ActorDep) -> SharedOut:
    """One share addressed to the caller's supporter account (404 once revoked or expired)."""
    return _shared_out(sharing.open_share_for_supporter(ctx, actor, share_id))


@router.get("/shared/{token}", response_model=SharedOut, openapi_extra=access("share-link"))
def shared(token: str, request: Request, ctx: CtxDep) -> SharedOut:
    """What a client shared, for whoever holds the link (404 once revoked or expired)."""
    view = sharing.open_share(
        ctx, token, address=client_address(request), user_agent=request.headers.get("user-agent")
    )
    return _shared_out(view)


def _shared_out(view: sharing.SharedView) -> SharedOut:
    return SharedOut(
        client_name=view.client_name,
        label=view.label,
        message=view.message,
        sections=view.sections,
        expires_at=view.expires_at,
        goals=_plain(view.goals),
        milestones=_plain(view.milestones),
        assessments=_plain(view.assessments),
        journal=_plain(view.journal),
        episodes=_plain(view.episodes),
    )
