"""``/api/v1/clients``: the caseload a caller may see, and one client."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.client import Client
from goalwise.services.accounts import accounts, mailer
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["clients"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class ClientOut(BaseModel):
    """A client as the API shows it."""

    id: int
    name: str
    timezone: str

    @classmethod
    def of(cls, client: Client) -> ClientOut:
        return cls(id=client.id, name=client.name, timezone=client.timezone)


class ClientIn(BaseModel):
    """A new client, invited by their therapist."""

    name: str = Field(min_length=1, max_length=120, description="Display name or pseudonym.")
    email: str = Field(max_length=254, description="Where the client receives the invitation.")
    timezone: str = Field(default="UTC", max_length=64, description="IANA time zone, e.g. Europe/London.")


class InvitationOut(BaseModel):
    """The new client and the one-time link they use to set a password."""

    client: ClientOut
    invitation_path: str
    invitation_url: str = Field(description="The whole link to pass on, built from GOALWISE_BASE_URL.")
    expires_at: str
    mailed: bool = Field(description="True when the link was also mailed (GOALWISE_SMTP_HOST is set).")


class ResetLinkOut(BaseModel):
    """A new one-time invitation link for a client who has not set a password yet."""

    path: str
    url: str = Field(description="The whole link to pass on, built from GOALWISE_BASE_URL.")
    expires_at: str
    mailed: bool


@router.get("/clients", response_model=list[ClientOut], openapi_extra=access("authenticated"))
def list_clients(ctx: CtxDep, actor: ActorDep) -> list[ClientOut]:
    """Clients the caller may see: a therapist's linked clients, a client themself."""
    return [ClientOut.of(c) for c in clients.list_clients(ctx, actor)]


@router.post("/clients", response_model=InvitationOut, status_code=201, openapi_extra=access("therapist"))
def invite_client(body: ClientIn, ctx: CtxDep, actor: ActorDep) -> InvitationOut:
    """A therapist adds a client and gets the invitation link to pass on."""
    invitation = accounts.invite_client(ctx, actor, name=body.name, email=body.email, timezone=body.timezone)
    path = f"/invite/{invitation.token}"
    mailed = accounts.send_invitation(ctx, invitation)
    return InvitationOut(
        client=ClientOut.of(invitation.client),
        invitation_path=path,
        invitation_url=ctx.link(path),
        expires_at=invitation.expires_at.isoformat(),
        mailed=mailed,
    )


@router.get("/clients/{client_id}", response_model=ClientOut, openapi_extra=access("client-record"))
def get_client(client_id: int, ctx: CtxDep, actor: ActorDep) -> ClientOut:
    """One client, if the caller may see them (404 otherwise)."""
    return ClientOut.of(clients.get_client(ctx, actor, client_id))


@router.post(
    "/clients/{client_id}/reset-link", response_model=ResetLinkOut, openapi_extra=access("linked-therapist")
)
def reset_link(client_id: int, ctx: CtxDep, actor: ActorDep) -> ResetLinkOut:
    """The client's therapist makes a new invitation link for a client who has no password yet (mailed
    too when mail is set up). A client who has a password is refused with 409: only they may change it."""
    user, path, expires = accounts.client_reset_link(ctx, actor, client_id)
    return ResetLinkOut(
        path=path,
        url=ctx.link(path),
        expires_at=expires.isoformat(),
        mailed=mailer.send_link(ctx.settings, user.email, "reset", path),
    )
