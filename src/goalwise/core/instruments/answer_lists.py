"""Answer scales shared by several instruments, with their LOINC answer codes.

Sources: LOINC answer lists LL358-3 (PHQ/GAD frequency) and LL359-1 (PHQ-9 difficulty
question), CLINICAL.md §1.1 [verified]; WHO-5 answer texts, CLINICAL.md §2.4.
"""

from __future__ import annotations

from goalwise.core.instruments.model import AnswerOption, AnswerScale

__all__ = ["DIFFICULTY", "FREQUENCY", "WHO5_FREQUENCY"]

#: PHQ-9, PHQ-2, GAD-7 and GAD-2 items: LOINC answer list LL358-3 (CLINICAL.md §1.1).
#: Some LHC-Forms GAD-7 exports bind item 2 to "More days than not" (LA18938-3); Goalwise maps
#: answers by score, never by LA code, so that variant needs no table of its own (§2.1).
FREQUENCY = AnswerScale(
    loinc="LL358-3",
    options=(
        AnswerOption(0, "Not at all", "LA6568-5"),
        AnswerOption(1, "Several days", "LA6569-3"),
        AnswerOption(2, "More than half the days", "LA6570-1"),
        AnswerOption(3, "Nearly every day", "LA6571-9"),
    ),
)

#: The PHQ-9 difficulty question: LOINC answer list LL359-1. The last two LA codes are out of
#: numeric order in LOINC itself (CLINICAL.md §1.1); they are copied, never derived.
DIFFICULTY = AnswerScale(
    loinc="LL359-1",
    options=(
        AnswerOption(0, "Not difficult at all", "LA6572-7"),
        AnswerOption(1, "Somewhat difficult", "LA6573-5"),
        AnswerOption(2, "Very difficult", "LA6575-0"),
        AnswerOption(3, "Extremely difficult", "LA6574-3"),
    ),
)

#: WHO-5 items, 0 "At no time" to 5 "All of the time" (CLINICAL.md §2.4). No LOINC answer
#: codes were found for this scale, so they are left ``None``.
WHO5_FREQUENCY = AnswerScale(
    loinc=None,
    options=(
        AnswerOption(0, "At no time"),
        AnswerOption(1, "Some of the time"),
        AnswerOption(2, "Less than half of the time"),
        AnswerOption(3, "More than half of the time"),
        AnswerOption(4, "Most of the time"),
        AnswerOption(5, "All of the time"),
    ),
)
