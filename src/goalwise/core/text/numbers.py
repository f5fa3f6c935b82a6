"""Whole numbers people type into forms and query strings, read without surprises.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses or reads as another number, and ``int``
refuses strings of more than 4,300 digits with a ValueError. Anything that is not a plain ASCII number of a
sensible length is simply "not a number" here: the caller answers with a clear message, not an error page.
"""

from __future__ import annotations

import re

# Identifiers are SQL BIGINTs; 18 digits always fit, and no row will ever need more.
_PLAIN = re.compile(r"[0-9]{1,18}")


def plain_int(text: str | None) -> int | None:
    """``text`` as a non-negative whole number when it is 1-18 ASCII digits (spaces around allowed).

    Anything else, including None, is None."""
    if text is None:
        return None
    text = text.strip()
    return int(text) if _PLAIN.fullmatch(text) else None
