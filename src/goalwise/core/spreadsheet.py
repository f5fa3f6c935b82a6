"""Cells that a spreadsheet opens as text, never as a formula.

Every CSV Goalwise writes (the client export, the audit log) passes each cell through
:func:`safe_cell`. A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and some treat a leading tab or carriage return the same way), so a journal entry or a
User-Agent such as ``=HYPERLINK("http://evil/",...)`` would become a live link or command when an
administrator opens the file (OWASP, "CSV Injection"). Such a cell gets a leading ``'``, which
spreadsheets show as text. Numbers such as ``-3``, ``+1`` or ``-0.5`` are left as they are: they
are not formulas, and changing them would change the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["FORMULA_LEADS", "safe_cell", "safe_row"]

#: Characters that make a spreadsheet read a cell as a formula when they come first.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would read as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_LEADS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
