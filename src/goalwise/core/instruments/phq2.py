"""PHQ-2, the two-item depression screen (PHQ-9 items 1 and 2), as data.

Sources (CLINICAL.md §2.2 and §1.1): Kroenke, Spitzer & Williams (2003) *Med Care*
41:1284-1292 for the cut point of 3; LOINC panel 55757-9 and total 55758-7 [verified];
licence §1.7. The wording and item LOINC codes are those of PHQ-9 items 1-2.
"""

from __future__ import annotations

from goalwise.core.instruments.gad7 import NO_PRORATION
from goalwise.core.instruments.model import Band, BandScheme, Instrument
from goalwise.core.instruments.phq9 import PFIZER_LICENCE, PHQ9_ITEMS, PHQ_STEM

__all__ = ["PHQ2", "PHQ2_BANDS", "SCREEN_LABELS"]

#: The two labels of a screening instrument, negative first.
SCREEN_LABELS = ("negative", "positive")

PHQ2_BANDS = BandScheme(
    name="kroenke2003",
    source="Kroenke, Spitzer & Williams (2003) Med Care 41:1284-1292: a total of 3 or more is positive",
    bands=(Band(0, 2, SCREEN_LABELS[0]), Band(3, 6, SCREEN_LABELS[1])),
)

PHQ2 = Instrument(
    code="phq2",
    name="Patient Health Questionnaire-2",
    abbreviation="PHQ-2",
    recall_period="the last 2 weeks",
    stem=PHQ_STEM,
    items=PHQ9_ITEMS[:2],
    band_schemes=(PHQ2_BANDS,),
    higher_is_better=False,
    loinc_panel="55757-9",
    loinc_total="55758-7",
    licence=PFIZER_LICENCE,
    scoring_rule="Total = sum of items 1-2 (0-6); 3 or more is a positive screen.",
    missing_policy=NO_PRORATION,
    references=(
        "Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2: validity of a two-item "
        "depression screener. Med Care 2003;41:1284-1292.",
        "Arroll B, et al. Validation of PHQ-2 and PHQ-9 to screen for major depression in the primary care "
        "population. Ann Fam Med 2010;8:348-353.",
    ),
    caseness=3,
    thresholds_note=(
        "A total of 3 or more is a positive screen (sensitivity 61%, specificity 92% in Arroll et al. 2010); "
        "a cut point of 2 is more sensitive (86%/78%). A positive screen calls for the full PHQ-9. "
        "PHQ-2 has no risk item: it does not ask about thoughts of death or self-harm."
    ),
)
