"""Cells of Goalwise's long CSV: numbers that read back exactly, text that is never a formula.

Text cells a spreadsheet would run as a formula are neutralised by ``core.spreadsheet.safe_cell``
(a leading ``'``). A text that already starts with ``'`` before a formula character gets one more
``'``, so :func:`restore_text`, which removes exactly one, reads every exported text back unchanged.
"""

from __future__ import annotations

import re

from goalwise.core.spreadsheet import FORMULA_LEADS, safe_cell

__all__ = ["format_value", "neutralise", "restore_text"]

_QUOTED_LEAD = re.compile("'+[" + re.escape("".join(FORMULA_LEADS)) + "]")


def format_value(value: float | None) -> str:
    """A number as text that reads back as the same float (whole numbers without ``.0``)."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def neutralise(text: str | None) -> str:
    """A free-text cell that a spreadsheet shows as text and :func:`restore_text` reads back unchanged."""
    if not text:
        return ""
    if _QUOTED_LEAD.match(text):
        return "'" + text
    return str(safe_cell(text))


def restore_text(text: str) -> str:
    """The text :func:`neutralise` was given: one leading ``'`` before a formula character removed."""
    return text[1:] if _QUOTED_LEAD.match(text) else text
