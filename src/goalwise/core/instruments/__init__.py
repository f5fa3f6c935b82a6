"""Standardized instruments as data, and their scoring.

Instruments: PHQ-9, GAD-7, PHQ-2, GAD-2, HAM-D-17 and WHO-5 (CLINICAL.md §1-§2). Each is a
frozen :class:`Instrument` value in its own module; :func:`score` is the one entry point::

    >>> from goalwise.core.instruments import score
    >>> result = score("phq9", [2, 2, 1, 2, 1, 1, None, 0, 0])
    >>> result.total, result.severity, result.prorated
    (10.125, 'moderate', True)
"""

from __future__ import annotations

from goalwise.core.instruments.model import (
    AnswerOption,
    AnswerScale,
    Band,
    BandScheme,
    Instrument,
    Item,
    ProrationRule,
    RiskItem,
    SyndromeRule,
)
from goalwise.core.instruments.registry import all_instruments, codes, get, score
from goalwise.core.instruments.scoring import Score, counted_total, round_half_up, total_text

__all__ = [
    "AnswerOption",
    "AnswerScale",
    "Band",
    "BandScheme",
    "Instrument",
    "Item",
    "ProrationRule",
    "RiskItem",
    "Score",
    "SyndromeRule",
    "all_instruments",
    "codes",
    "counted_total",
    "get",
    "round_half_up",
    "score",
    "total_text",
]
