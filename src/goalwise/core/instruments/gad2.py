"""GAD-2, the two-item anxiety screen (GAD-7 items 1 and 2), as data.

Sources (CLINICAL.md §2.2): Kroenke et al. (2007) *Ann Intern Med* 146:317-325 for the cut
point of 3 [secondary]; licence §1.7 (GAD-2 is the first two items of the GAD-7). No LOINC
panel or total code for the GAD-2 was found, so both are ``None``; the item codes are those of
GAD-7 items 1-2.
"""

from __future__ import annotations

from goalwise.core.instruments.gad7 import GAD7_ITEMS, GAD_STEM, NO_PRORATION
from goalwise.core.instruments.model import Band, BandScheme, Instrument
from goalwise.core.instruments.phq2 import SCREEN_LABELS
from goalwise.core.instruments.phq9 import PFIZER_LICENCE

__all__ = ["GAD2", "GAD2_BANDS"]

GAD2_BANDS = BandScheme(
    name="kroenke2007",
    source="Kroenke et al. (2007) Ann Intern Med 146:317-325: a total of 3 or more is positive",
    bands=(Band(0, 2, SCREEN_LABELS[0]), Band(3, 6, SCREEN_LABELS[1])),
)

GAD2 = Instrument(
    code="gad2",
    name="Generalized Anxiety Disorder 2-item scale",
    abbreviation="GAD-2",
    recall_period="the last 2 weeks",
    stem=GAD_STEM,
    items=GAD7_ITEMS[:2],
    band_schemes=(GAD2_BANDS,),
    higher_is_better=False,
    loinc_panel=None,
    loinc_total=None,
    licence=PFIZER_LICENCE,
    scoring_rule="Total = sum of items 1-2 (0-6); 3 or more is a positive screen.",
    missing_policy=NO_PRORATION,
    references=(
        "Kroenke K, Spitzer RL, Williams JBW, Monahan PO, Löwe B. Anxiety disorders in primary care: "
        "prevalence, impairment, comorbidity, and detection. Ann Intern Med 2007;146:317-325.",
    ),
    caseness=3,
    thresholds_note=(
        "A total of 3 or more is a positive screen; some references print '>3', but 3 or more is the "
        "published cut point (CLINICAL.md §2.2). A positive screen calls for the full GAD-7."
    ),
    loinc_note="No LOINC panel or total-score code for the GAD-2 was found; both are left empty.",
)
