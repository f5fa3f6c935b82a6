"""Random bearer secrets (sessions, API tokens, one-time and share links): only hashes are stored.

Tokens carry 256 bits from ``secrets.token_urlsafe(32)``; a database leak gives hashes that
cannot be turned back into working links. SHA-256 suffices (no salt or slow hash) because the
input is uniformly random, not a human-chosen password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hash_token", "new_token", "same"]


def new_token(prefix: str = "") -> str:
    """A fresh 256-bit URL-safe secret, with an optional recognisable prefix (e.g. ``gw_``)."""
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a.encode(), b.encode())
