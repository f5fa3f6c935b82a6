"""Move Goalwise's clock in a test: every ``goalwise`` module's ``datetime.now`` runs ahead by an offset.

Goalwise reads "now" with ``datetime.now(UTC)`` in its services (analytics always take ``as_of``).
A browser test that lives through a week needs the server to believe the days pass, while the
browser and the test's own waiting keep real time. ``shift_clock`` swaps the ``datetime`` name in
every loaded ``goalwise`` module for a subclass whose ``now`` adds the offset; the server thread of
``tests.support.live_server`` shares those modules, so it moves too. ``monkeypatch`` puts them
back. Build the app and call ``app.openapi()`` first: FastAPI reads route annotations that name
``datetime`` when it builds the schema, and needs the real class.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, tzinfo

import pytest

__all__ = ["Clock", "shift_clock"]

_REAL = datetime


class Clock:
    """The offset Goalwise's clock runs ahead by; ``advance`` moves it on."""

    offset = timedelta(0)

    def advance(self, delta: timedelta) -> None:
        """Move Goalwise's "now" forward by ``delta``."""
        type(self).offset += delta
        _Shifted.offset = type(self).offset


class _AnyDatetime(type):
    """``isinstance(x, datetime)`` in a patched module still accepts every real datetime."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, _REAL)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, _REAL)


class _Shifted(datetime, metaclass=_AnyDatetime):
    offset = timedelta(0)

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        return _REAL.now(tz) + cls.offset

    @classmethod
    def utcnow(cls) -> datetime:  # type: ignore[override]
        return _REAL.utcnow() + cls.offset


def shift_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Patch every loaded ``goalwise`` module to read the shifted clock; returns the clock to advance."""
    Clock.offset = timedelta(0)
    _Shifted.offset = timedelta(0)
    for name, module in list(sys.modules.items()):
        if name.startswith("goalwise") and getattr(module, "datetime", None) is _REAL:
            monkeypatch.setattr(module, "datetime", _Shifted)
    return Clock()
