"""Forwarded headers, trusted only from the reverse proxies named in ``GOALWISE_TRUSTED_PROXIES``.

Anyone can send ``X-Forwarded-For``; believing it from anyone would let a caller choose the address
that per-address log-in throttling counts and that the audit log records. So the peer address is
the client's address, unless the peer is a trusted proxy: then the client is the right-most address
in ``X-Forwarded-For`` that is not itself a trusted proxy, and ``X-Forwarded-Proto`` gives the scheme.
With no trusted proxies (the default) the headers are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ForwardedHeadersMiddleware", "forwarded_client"]

Network = IPv4Network | IPv6Network


def _trusted(host: str, networks: Sequence[Network]) -> bool:
    try:
        address = ip_address(host.strip())
    except ValueError:
        return False
    return any(address in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str | None, networks: Sequence[Network]) -> str:
    """The client's address: ``peer``, or, from a trusted proxy, the right-most untrusted forwarded one."""
    if not networks or not forwarded_for or not _trusted(peer, networks):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            ip_address(hop)
        except ValueError:
            return peer  # a malformed chain: keep the proxy's own address
        if not _trusted(hop, networks):
            return hop
    return peer


class ForwardedHeadersMiddleware:
    """Set the request's client address and scheme from forwarded headers of trusted proxies only."""

    def __init__(self, app: ASGIApp, trusted: Sequence[Network] = ()) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted and scope.get("client"):
            peer, port = scope["client"]
            if _trusted(peer, self.trusted):
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
                client = forwarded_client(peer, headers.get("x-forwarded-for"), self.trusted)
                scope = dict(scope, client=(client, port))
                proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = (
                        proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
                    )
        await self.app(scope, receive, send)
