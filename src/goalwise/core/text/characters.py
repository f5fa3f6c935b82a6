"""Characters that text typed by a person never holds.

Names, titles and labels are one line: they refuse every control character (NUL, escape, the
line breaks). Free text (journal entries, notes, situations) keeps line breaks and tabs and
refuses the other control characters. One-line text also refuses the bidirectional embedding,
override and isolate controls (U+202A-U+202E, U+2066-U+2069): a right-to-left override in a goal
title shows the rest of the title reversed on every page (free text keeps them for writing that
mixes directions). Both refuse lone surrogates (``"\\ud800"`` in JSON), which
are not characters at all and cannot be encrypted or stored. Messages name the field, never the
text.
"""

from __future__ import annotations

import unicodedata

from goalwise.core.errors import Problem

__all__ = ["BIDI_CONTROLS", "FREE_TEXT_CONTROLS", "bad_characters_problem"]

#: The control characters free text may hold: tab, line feed, carriage return.
FREE_TEXT_CONTROLS = frozenset("\t\n\r")

#: Bidirectional embeddings, overrides and isolates; the marks U+200E and U+200F are fine.
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _bad(char: str, multiline: bool) -> bool:
    category = unicodedata.category(char)
    if category == "Cs" or (char in BIDI_CONTROLS and not multiline):
        return True
    return category == "Cc" and not (multiline and char in FREE_TEXT_CONTROLS)


def bad_characters_problem(field: str, value: str | None, *, multiline: bool = False) -> Problem | None:
    """A problem when ``value`` holds a control character (or a lone surrogate) that ``field`` refuses.

    ``multiline`` marks free text, which keeps tabs and line breaks.
    """
    if not value or value.isprintable():  # every refused character is unprintable (C* categories)
        return None
    found = next((char for char in value if _bad(char, multiline)), None)
    if found is None:
        return None
    code = f"U+{ord(found):04X}"
    allowed = "line breaks and tabs are fine; " if multiline else ""
    return Problem(
        "text-control-character",
        field,
        f"{field} holds the invisible character {code}, which text cannot contain.",
        f"Remove it ({allowed}it often comes from pasting).",
    )
