"""``/api/v1/me``: the caller's account, sessions, API tokens and (for clients) access log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import login_sessions
from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["account"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class MeOut(BaseModel):
    """The caller."""

    user_id: int | None
    role: str
    name: str
    client_id: int | None


class TokenOut(BaseModel):
    """A personal access token (never its secret)."""

    id: int
    name: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    revoked: bool


class TokenIn(BaseModel):
    """A new token."""

    name: str = Field(min_length=1, max_length=80, description='What it is for, e.g. "R export".')
    scope: Literal["read", "write"] = "read"
    expires_days: int = Field(default=90, ge=1, le=366)


class NewTokenOut(TokenOut):
    """A new token with its secret, shown once."""

    token: str


class AccessOut(BaseModel):
    """One access to a client's records."""

    at: datetime
    actor: str
    action: str
    object_type: str


class SessionOut(BaseModel):
    """An open session of the caller."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    address: str | None


def _token_out(t: login_sessions.ApiToken) -> TokenOut:
    return TokenOut(
        id=t.id,
        name=t.name,
        scope=t.scope,
        created_at=t.created_at,
        expires_at=t.expires_at,
        revoked=t.revoked_at is not None,
    )


@router.get("/me", response_model=MeOut, openapi_extra=access("authenticated"))
def me(actor: ActorDep) -> MeOut:
    """Who the caller is."""
    return MeOut(user_id=actor.user_id, role=actor.role, name=actor.label, client_id=actor.client_id)


@router.get("/me/sessions", response_model=list[SessionOut], openapi_extra=access("authenticated"))
def my_sessions(ctx: CtxDep, actor: ActorDep) -> list[SessionOut]:
    """The caller's open browser sessions."""
    return [
        SessionOut(id=s.id, created_at=s.created_at, last_seen_at=s.last_seen_at, address=s.address)
        for s in login_sessions.list_sessions(ctx, actor)
    ]


@router.post("/me/logout-everywhere", openapi_extra=access("authenticated"))
def logout_everywhere(ctx: CtxDep, actor: ActorDep) -> dict[str, int]:
    """End every browser session of the caller's account."""
    return {"ended": login_sessions.logout_everywhere(ctx, actor)}


@router.get("/me/tokens", response_model=list[TokenOut], openapi_extra=access("authenticated"))
def my_tokens(ctx: CtxDep, actor: ActorDep) -> list[TokenOut]:
    """The caller's API tokens."""
    return [_token_out(t) for t in login_sessions.list_api_tokens(ctx, actor)]


@router.post("/me/tokens", response_model=NewTokenOut, status_code=201, openapi_extra=access("authenticated"))
def create_token(body: TokenIn, ctx: CtxDep, actor: ActorDep) -> NewTokenOut:
    """Create a token; its secret is in the answer only."""
    token, secret = login_sessions.create_api_token(
        ctx, actor, name=body.name, scope=body.scope, expires_days=body.expires_days
    )
    return NewTokenOut(**_token_out(token).model_dump(), token=secret)


@router.delete("/me/tokens/{token_id}", status_code=204, openapi_extra=access("authenticated"))
def revoke_token(token_id: int, ctx: CtxDep, actor: ActorDep) -> None:
    """Revoke one of the caller's tokens (404 for anyone else's)."""
    login_sessions.revoke_api_token(ctx, actor, token_id)


@router.get(
    "/clients/{client_id}/access-log", response_model=list[AccessOut], openapi_extra=access("client-record")
)
def access_log(client_id: int, ctx: CtxDep, actor: ActorDep) -> list[AccessOut]:
    """Who accessed the client's records, newest first."""
    return [
        AccessOut(at=e.at, actor=e.actor, action=e.action, object_type=e.object_type)
        for e in privacy.access_log(ctx, actor, client_id)
    ]
