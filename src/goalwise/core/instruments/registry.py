"""The instruments Goalwise scores, looked up by code, and the one public scoring entry point.

Codes are ``phq9, gad7, phq2, gad2, hamd17, who5``. Look-up ignores case, hyphens,
underscores and spaces, so "PHQ-9" and "HAM-D 17" find ``phq9`` and ``hamd17``.
"""

from __future__ import annotations

from collections.abc import Sequence

from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.instruments.gad2 import GAD2
from goalwise.core.instruments.gad7 import GAD7
from goalwise.core.instruments.hamd17 import HAMD17
from goalwise.core.instruments.model import Instrument
from goalwise.core.instruments.phq2 import PHQ2
from goalwise.core.instruments.phq9 import PHQ9
from goalwise.core.instruments.scoring import Score, score_instrument
from goalwise.core.instruments.who5 import WHO5

__all__ = ["all_instruments", "codes", "get", "score"]

_INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument for instrument in (PHQ9, GAD7, PHQ2, GAD2, HAMD17, WHO5)
}


def codes() -> tuple[str, ...]:
    """The codes of every instrument, in a stable order (PHQ-9 first)."""
    return tuple(_INSTRUMENTS)


def all_instruments() -> tuple[Instrument, ...]:
    """Every instrument, in the order of :func:`codes`."""
    return tuple(_INSTRUMENTS.values())


def get(code: str) -> Instrument:
    """The instrument with this code; :class:`InvalidInput` naming ``code`` when there is none."""
    key = _normalise(code)
    if key is None or key not in _INSTRUMENTS:
        shown = f"{code!r:.40}" if isinstance(code, str) else f"a {type(code).__name__}"
        raise InvalidInput(
            [
                Problem(
                    code="unknown_instrument",
                    field="code",
                    message=f"There is no instrument {shown}; valid codes are {', '.join(codes())}.",
                    hint="Use one of the listed codes, e.g. phq9.",
                )
            ]
        )
    return _INSTRUMENTS[key]


def score(code: str, answers: Sequence[int | None], *, banding: str | None = None) -> Score:
    """Score one administration of instrument ``code``.

    ``answers`` lists the item answers in item order (a list, tuple or NumPy array; NumPy integers
    are whole numbers), ``None`` for a blank item (PHQ-9 also takes
    a tenth answer, the unscored difficulty question). ``banding`` picks a band scheme where an
    instrument has more than one (HAM-D-17: ``"common"``, the default, or ``"zimmerman2013"``).
    Raises :class:`InvalidInput` listing every problem. Formulas and cut-offs: CLINICAL.md §1-§2,
    with each instrument's sources in its ``references``.
    """
    return score_instrument(get(code), answers, banding=banding)


def _normalise(code: object) -> str | None:
    if not isinstance(code, str):
        return None
    return "".join(ch for ch in code.lower() if ch not in "-_ ")
