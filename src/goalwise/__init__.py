"""Goalwise: SMART therapy goals and measurement-based care."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
