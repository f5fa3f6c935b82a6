"""Cell parsers shared by the importers: times, dates, numbers, durations and notes with HTML."""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime, time

__all__ = ["header_index", "html_to_text", "parse_duration", "parse_iso_day", "parse_number", "parse_time"]

_TIME_12 = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?$", re.IGNORECASE)
_TIME_24 = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")
_TAG = re.compile(r"<[^>]*>")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_DURATION = re.compile(r"(\d{1,3}):([0-5]\d)")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """``6:50 pm``, ``10:04 AM``, ``14:58`` or ``08:00:00.5`` as a time; None when it is none of them."""
    value = text.strip()
    if match := _TIME_12.match(value):
        hour, minute = int(match.group(1)), int(match.group(2))
        second = int(match.group(3) or 0)
        if not 1 <= hour <= 12 or minute > 59 or second > 59:
            return None
        hour = hour % 12 + (12 if match.group(4).lower() == "p" else 0)
        return time(hour, minute, second)
    if match := _TIME_24.match(value):
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        micro = int((match.group(4) or "0").ljust(6, "0"))
        if hour > 23 or minute > 59 or second > 59:
            return None
        return time(hour, minute, second, micro)
    return None


def parse_iso_day(text: str, fmt: str | None = None) -> date | None:
    """A calendar day in ISO form (or in ``fmt``, a ``strptime`` format); None when it is not one."""
    value = text.strip()
    try:
        if fmt:
            return datetime.strptime(value, fmt).date()
        if not _ISO_DAY.fullmatch(value):
            return None
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """A finite number (a decimal comma is accepted); None when the cell is not one."""
    value = text.strip().replace(",", ".")
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_duration(text: str) -> float | None:
    """``8:00`` or ``1:30`` (hours and minutes) as minutes; None when it is not that form."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


def html_to_text(text: str) -> str:
    """A note's HTML made safe: line breaks kept, every tag removed, entities decoded; plain text."""
    with_breaks = _BREAK.sub("\n", text)
    plain = html.unescape(_TAG.sub("", with_breaks))
    # Unescaping may reveal markup that was escaped in the source ("&lt;script&gt;"): it stays text,
    # because the journal stores and shows plain text and every page escapes it.
    lines = [line.rstrip() for line in plain.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def header_index(header: list[str]) -> dict[str, int]:
    """Column positions by lower-case, trimmed name (the first of repeated names wins)."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        found.setdefault(name.strip().lower(), position)
    return found
