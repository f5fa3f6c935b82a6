"""Access policies for routes: the contract between each route and the authorization matrix test.

A route names its policy with ``openapi_extra=access(POLICY)``; the services still check every
object (this label only says what the matrix test expects):

- ``public``: anyone, logged in or not.
- ``authenticated``: any logged-in account; answers about the caller's own account.
- ``client-record``: the records of the client in the path: the client themself and their
  linked therapists; everyone else gets 404 (not 403, so existence is not revealed).
- ``client-record-write``: as ``client-record`` but changes something.
- ``therapist``: therapists (and the local operator); others 403.
- ``client-self``: only a client, about their own records (e.g. sharing).
- ``client-owner-or-admin``: the client themself or an administrator (export and erasure).
- ``admin``: administrators; others 403.
- ``share-link``: anyone holding a valid share token (no log-in).
- ``supporter-share``: a supporter account reading a share addressed to it; 404 once revoked or
  expired, and for everyone else.
- ``supporter``: a supporter account's own page (the family dashboard); everyone else 404.
- ``linked-therapist``: a therapist linked to the object's client; another therapist gets 404,
  other roles 403.
- ``self-registration``: the sign-up page; open to anyone when GOALWISE_CLIENT_SELF_REGISTRATION is
  on, 404 for everyone while it is off (the default).
- ``one-time-link``: invitation and reset pages; the token in the path is the credential.
- ``calendar-feed``: a calendar subscription URL; the token in the path is the credential (a
  calendar app cannot log in), so anyone holding a live one reads the dates; 404 once revoked.
- ``rater-link``: a daily report card's rater link; the token in the path is the credential (a teacher
  has no account), so anyone holding a live one reads and rates that card's today; 404 once revoked
  or expired.
"""

from __future__ import annotations

from typing import Any

__all__ = ["POLICIES", "access"]

POLICIES = (
    "public",
    "authenticated",
    "client-record",
    "client-record-write",
    "therapist",
    "client-self",
    "client-owner-or-admin",
    "admin",
    "share-link",
    "one-time-link",
    "supporter-share",
    "supporter",
    "linked-therapist",
    "self-registration",
    "calendar-feed",
    "rater-link",
)


def access(policy: str) -> dict[str, Any]:
    """``openapi_extra`` for a route with ``policy``."""
    if policy not in POLICIES:
        raise ValueError(f"unknown access policy {policy!r}")
    return {"x-access": policy}
