"""Small wins worded for the therapist: the client reads "You met your weekly target"; their
therapist reads "Met the weekly target" on the client's pages."""

from __future__ import annotations

import re

from goalwise.analytics.small_win import Win

__all__ = ["for_therapist"]


def for_therapist(win: Win) -> str:
    """The win's message in the third person, for the client's therapist."""
    number = re.search(r"\d+", win.message)
    count = number.group(0) if number else ""
    if win.kind == "streak":
        return f"Logged {count} days in a row."
    if win.kind == "first_week_met":
        return "Met the weekly target for the first time."
    if win.kind == "setback":
        return (
            f"The latest week missed the target after {count} weeks met in a row; "
            "the trend over several weeks says more than one week."
        )
    if win.kind == "milestone":
        return win.message.replace(" Well done.", "")
    return win.message.replace("your best entry", "the client's best entry")
