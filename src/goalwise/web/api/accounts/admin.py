"""``/api/v1/admin``: accounts and the audit log, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Forbidden
from goalwise.services.accounts import accounts, login_sessions, mailer
from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(prefix="/admin", tags=["admin"])
CtxDep = Annotated[Context, Depends(get_ctx)]


async def admin_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """Administrators only."""
    if actor.role != "admin":
        raise Forbidden("this needs the admin role")
    return actor


AdminDep = Annotated[Actor, Depends(admin_actor)]


class UserOut(BaseModel):
    """An account."""

    id: int
    email: str
    name: str
    role: str
    active: bool
    has_password: bool


class UserIn(BaseModel):
    """A new account (admin, therapist or supporter)."""

    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=120)
    role: str = Field(default="therapist", description="admin, therapist or supporter.")


class LinkOut(BaseModel):
    """A one-time link to set a password (also mailed when GOALWISE_SMTP_HOST is set)."""

    path: str | None = Field(description="None when the link went only to the owner by mail.")
    url: str | None = Field(default=None, description="The whole link (GOALWISE_BASE_URL), or None.")
    expires_at: datetime
    mailed: bool = False


class AuditOut(BaseModel):
    """One audit event."""

    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    client_id: int | None
    address: str | None


@router.get("/users", response_model=list[UserOut], openapi_extra=access("admin"))
def users(ctx: CtxDep, actor: AdminDep) -> list[UserOut]:
    """Every account."""
    return [
        UserOut(
            id=u.id, email=u.email, name=u.name, role=u.role, active=u.is_active, has_password=u.has_password
        )
        for u in accounts.list_users(ctx, actor)
    ]


@router.post("/users", response_model=LinkOut, status_code=201, openapi_extra=access("admin"))
def create_user(body: UserIn, ctx: CtxDep, actor: AdminDep) -> LinkOut:
    """Create an account; the answer holds its one-time password link."""
    user = accounts.create_user(ctx, actor, email=body.email, name=body.name, role=body.role)
    token, expires = accounts.create_reset_link(ctx, actor, user.id)
    path = f"/reset/{token}"
    return LinkOut(
        path=path,
        url=ctx.link(path),
        expires_at=expires,
        mailed=mailer.send_link(ctx.settings, user.email, "reset", path),
    )


@router.post("/users/{user_id}/disable", status_code=204, openapi_extra=access("admin"))
def disable(user_id: int, ctx: CtxDep, actor: AdminDep) -> None:
    """Disable an account and end its sessions and tokens."""
    accounts.disable_user(ctx, actor, user_id)


@router.post("/users/{user_id}/revoke-sessions", openapi_extra=access("admin"))
def revoke_sessions(user_id: int, ctx: CtxDep, actor: AdminDep) -> dict[str, int]:
    """End every session of an account."""
    return {"ended": login_sessions.revoke_user_sessions(ctx, actor, user_id)}


@router.post("/users/{user_id}/reset-link", response_model=LinkOut, openapi_extra=access("admin"))
def reset_link(user_id: int, ctx: CtxDep, actor: AdminDep) -> LinkOut:
    """Reset an account's password. An existing password: the link is mailed only to the owner when
    mail is set up; otherwise it is shown once, every session, token and link of the account ends,
    and the owner is told at log-in. An account without a password gets its first-password link."""
    reset = accounts.admin_reset(ctx, actor, user_id)
    url = None if reset.path is None else ctx.link(reset.path)
    return LinkOut(path=reset.path, url=url, expires_at=reset.expires_at, mailed=reset.mailed)


@router.get("/audit", response_model=list[AuditOut], openapi_extra=access("admin"))
def audit(
    ctx: CtxDep,
    actor: AdminDep,
    client_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> list[AuditOut]:
    """Filter the audit log, newest first."""
    entries = privacy.search_audit(
        ctx, actor, client_id=client_id, action=action, since=since, limit=max(1, min(limit, 10_000))
    )
    return [
        AuditOut(
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            client_id=e.client_id,
            address=e.address,
        )
        for e in entries
    ]
