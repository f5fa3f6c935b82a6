"""Security headers on every response.

The Content-Security-Policy allows no inline script and no third-party origin: every asset is
served by the app itself. ``frame-ancestors 'none'`` stops click-jacking.

Every response but a static asset carries ``Cache-Control: no-store``: logged-in pages, JSON and
share pages hold health information that no browser or proxy cache may keep. With Secure
cookies (``GOALWISE_COOKIE_SECURE``, that is behind TLS) responses also carry HSTS. No
``server`` header names the software.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HSTS", "SECURITY_HEADERS", "SecurityHeadersMiddleware"]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeadersMiddleware:
    """Adds ``SECURITY_HEADERS`` to every HTTP response (pure ASGI: works with streaming)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts
        # Encoded once: every response gets one of these two lists.
        self._page = self._encoded(self.headers_for("/"))
        self._asset = self._encoded(self.headers_for("/static/"))

    @staticmethod
    def _encoded(headers: dict[str, str]) -> tuple[list[tuple[bytes, bytes]], frozenset[bytes]]:
        """The headers to add, and the names to drop from the app's own (ours win; no server)."""
        added = [(key.encode(), value.encode()) for key, value in headers.items()]
        return added, frozenset(name for name, _ in added) | {b"server"}

    def headers_for(self, path: str) -> dict[str, str]:
        """The headers a response to ``path`` gets (static assets may be cached)."""
        headers = dict(SECURITY_HEADERS)
        if not path.startswith("/static/"):
            headers["cache-control"] = "no-store"
        if self.hsts:
            headers["strict-transport-security"] = HSTS
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added, replaced = self._asset if scope["path"].startswith("/static/") else self._page

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in replaced]
                headers.extend(added)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
