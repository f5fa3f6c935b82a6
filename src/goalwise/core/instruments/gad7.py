"""GAD-7, the Generalized Anxiety Disorder 7-item scale, as data.

Sources (CLINICAL.md §2.1): Spitzer, Kroenke, Williams & Löwe (2006) *Arch Intern Med*
166:1092-1097 for items and the 5/10/15 cut-points; LOINC panel 69737-5, total 70274-6 and
item codes; MCID 4 (Toussaint et al. 2020); IAPT reliable change 4 and caseness 8 (§3.3);
licence §1.7. Item wording follows the official GAD-7 form (phqscreeners.com; CamCOPS strings).
"""

from __future__ import annotations

from goalwise.core.instruments.answer_lists import FREQUENCY
from goalwise.core.instruments.model import Band, BandScheme, Instrument, Item
from goalwise.core.instruments.phq9 import PFIZER_LICENCE

__all__ = ["GAD7", "GAD7_BANDS", "GAD7_ITEMS", "GAD_STEM", "NO_PRORATION"]

GAD_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"

#: The policy text of every instrument without a published proration rule.
NO_PRORATION = (
    "No published rule for missing items was found (CLINICAL.md §2), so every item must be answered; "
    "a form with any item missing is refused rather than prorated."
)

GAD7_ITEMS: tuple[Item, ...] = (
    Item(1, "Feeling nervous, anxious or on edge", FREQUENCY, "69725-0", "nervous"),
    Item(2, "Not being able to stop or control worrying", FREQUENCY, "68509-9", "uncontrolled worry"),
    Item(3, "Worrying too much about different things", FREQUENCY, "69733-4", "worrying too much"),
    Item(4, "Trouble relaxing", FREQUENCY, "69734-2", "trouble relaxing"),
    Item(5, "Being so restless that it is hard to sit still", FREQUENCY, "69735-9", "restless"),
    Item(6, "Becoming easily annoyed or irritable", FREQUENCY, "69689-8", "irritable"),
    Item(7, "Feeling afraid as if something awful might happen", FREQUENCY, "69736-7", "afraid"),
)

GAD7_BANDS = BandScheme(
    name="spitzer2006",
    source="Spitzer, Kroenke, Williams & Löwe (2006) Arch Intern Med 166:1092-1097 (CLINICAL.md §2.1)",
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
)

GAD7 = Instrument(
    code="gad7",
    name="Generalized Anxiety Disorder 7-item scale",
    abbreviation="GAD-7",
    recall_period="the last 2 weeks",
    stem=GAD_STEM,
    items=GAD7_ITEMS,
    band_schemes=(GAD7_BANDS,),
    higher_is_better=False,
    loinc_panel="69737-5",
    loinc_total="70274-6",
    licence=PFIZER_LICENCE,
    scoring_rule="Total = sum of items 1-7 (0-21).",
    missing_policy=NO_PRORATION
    + " The NHS PHQ-9 rule is sometimes applied to GAD-7 by analogy; that use is unverified (§2.1).",
    references=(
        "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety "
        "disorder: the GAD-7. Arch Intern Med 2006;166:1092-1097.",
        "Toussaint A, et al. Sensitivity to change and minimal clinically important difference of the GAD-7. "
        "J Affect Disord 2020;265:395-401.",
    ),
    reliable_change=4,
    caseness=8,
    minimal_important_change=4,
    thresholds_note=(
        "Reliable improvement is a fall of 4 or more and caseness a total of 8 or more (IAPT / NHS Talking "
        "Therapies, CLINICAL.md §3.3); 10 or more is the usual cut point for probable GAD (§2.1). "
        "Bischoff et al. (2020) derive an RCI of 5.59, rounded to 6, which conflicts with IAPT's 4. "
        "MCID 4 points (Toussaint et al. 2020)."
    ),
    loinc_note=(
        "Map answers by score, not LA code: an LHC-Forms export binds item 2 to LA18938-3 "
        "'More days than not' (CLINICAL.md §2.1)."
    ),
)
