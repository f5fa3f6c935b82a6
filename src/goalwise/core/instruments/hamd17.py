"""HAM-D-17, the 17-item Hamilton Depression Rating Scale (clinician-rated), as data.

Sources (CLINICAL.md §2.3): item names and per-item ranges (nine items 0-4, eight items 0-2,
total 0-52) from Hamilton (1960) *J Neurol Neurosurg Psychiatry* 23:56-62; two band schemes,
the common clinical one [secondary] and Zimmerman et al. (2013) *J Affect Disord* 150:384-388
[verified]; licence: public domain (NINDS CDE, quoted by CamCOPS). The short anchors are
condensed from the NINDS form as printed in the CamCOPS HAM-D strings; the full form's rating
notes are not reproduced.
"""

from __future__ import annotations

from goalwise.core.instruments.gad7 import NO_PRORATION
from goalwise.core.instruments.model import (
    AnswerOption,
    AnswerScale,
    Band,
    BandScheme,
    Instrument,
    Item,
    RiskItem,
)

__all__ = ["HAMD17", "HAMD17_COMMON", "HAMD17_ITEMS", "HAMD17_ZIMMERMAN"]


def _scale(*anchors: str) -> AnswerScale:
    """An item scale scored 0..len(anchors)-1; HAM-D has no LOINC answer codes here."""
    return AnswerScale(tuple(AnswerOption(score, text) for score, text in enumerate(anchors)))


_MILD_SEVERE = ("Absent", "Mild", "Severe")
_FIVE_GRADES = ("Absent", "Mild", "Moderate", "Severe", "Incapacitating")

HAMD17_ITEMS: tuple[Item, ...] = (
    Item(
        1,
        "Depressed mood",
        _scale(
            "Absent",
            "Feeling states indicated only on questioning",
            "Feeling states reported spontaneously",
            "Feeling states communicated non-verbally (expression, posture, voice, tearfulness)",
            "Virtually only these feeling states in spontaneous verbal and non-verbal communication",
        ),
    ),
    Item(
        2,
        "Feelings of guilt",
        _scale(
            "Absent",
            "Self-reproach; feels they have let people down",
            "Ideas of guilt or rumination over past errors or sinful deeds",
            "Present illness is a punishment; delusions of guilt",
            "Accusatory or denunciatory voices and/or threatening visual hallucinations",
        ),
    ),
    Item(
        3,
        "Suicide",
        _scale(
            "Absent",
            "Feels life is not worth living",
            "Wishes they were dead, or any thoughts of possible death to self",
            "Suicidal ideas or gesture",
            "Attempts at suicide (any serious attempt rates 4)",
        ),
    ),
    Item(
        4,
        "Insomnia, early",
        _scale(
            "No difficulty falling asleep",
            "Occasional difficulty falling asleep (more than half an hour)",
            "Nightly difficulty falling asleep",
        ),
    ),
    Item(
        5,
        "Insomnia, middle",
        _scale(
            "No difficulty",
            "Restless and disturbed during the night",
            "Waking during the night; any getting out of bed (except to void)",
        ),
    ),
    Item(
        6,
        "Insomnia, late",
        _scale(
            "No difficulty",
            "Wakes in the early hours but goes back to sleep",
            "Unable to fall asleep again after getting out of bed",
        ),
    ),
    Item(
        7,
        "Work and activities",
        _scale(
            "No difficulty",
            "Thoughts and feelings of incapacity, fatigue or weakness related to activities",
            "Loss of interest in activities, hobbies or work",
            "Decrease in actual time spent in activities or in productivity",
            "Stopped working because of present illness",
        ),
    ),
    Item(
        8,
        "Retardation",
        _scale(
            "Normal speech and thought",
            "Slight retardation at interview",
            "Obvious retardation at interview",
            "Interview difficult",
            "Complete stupor",
        ),
    ),
    Item(
        9,
        "Agitation",
        _scale(
            "None",
            "Fidgetiness",
            "Playing with hands, hair, etc.",
            "Moving about, can't sit still",
            "Hand wringing, nail biting, hair-pulling, biting of lips",
        ),
    ),
    Item(
        10,
        "Anxiety, psychic",
        _scale(
            "No difficulty",
            "Subjective tension and irritability",
            "Worrying about minor matters",
            "Apprehensive attitude apparent in face or speech",
            "Fears expressed without questioning",
        ),
    ),
    Item(11, "Anxiety, somatic", _scale(*_FIVE_GRADES)),
    Item(
        12,
        "Somatic symptoms, gastrointestinal",
        _scale(
            "None",
            "Loss of appetite but eating without encouragement; heavy feelings in abdomen",
            "Difficulty eating without urging; requests or needs laxatives or medication for GI symptoms",
        ),
    ),
    Item(
        13,
        "General somatic symptoms",
        _scale(
            "None",
            "Heaviness in limbs, back or head; aches; loss of energy and fatigability",
            "Any clear-cut symptom",
        ),
    ),
    Item(14, "Genital symptoms", _scale(*_MILD_SEVERE)),
    Item(
        15,
        "Hypochondriasis",
        _scale(
            "Not present",
            "Self-absorption (bodily)",
            "Preoccupation with health",
            "Frequent complaints, requests for help, etc.",
            "Hypochondriacal delusions",
        ),
    ),
    Item(
        16,
        "Loss of weight (A by history or B by measurement; score one of them)",
        _scale(
            "No weight loss (A) / less than 1 lb in the week (B)",
            "Probable weight loss with present illness (A) / more than 1 lb in the week (B)",
            "Definite weight loss according to the patient (A) / more than 2 lb in the week (B)",
        ),
    ),
    Item(
        17,
        "Insight",
        _scale(
            "Acknowledges being depressed and ill",
            "Acknowledges illness but blames bad food, climate, overwork, virus, need for rest, etc.",
            "Denies being ill at all",
        ),
    ),
)

HAMD17_COMMON = BandScheme(
    name="common",
    source="Common clinical convention (CLINICAL.md §2.3) [secondary]",
    bands=(
        Band(0, 7, "normal"),
        Band(8, 13, "mild"),
        Band(14, 18, "moderate"),
        Band(19, 22, "severe"),
        Band(23, 52, "very severe"),
    ),
)

HAMD17_ZIMMERMAN = BandScheme(
    name="zimmerman2013",
    source="Zimmerman et al. (2013) J Affect Disord 150:384-388, PubMed 23759278 (CLINICAL.md §2.3)",
    bands=(
        Band(0, 7, "none"),
        Band(8, 16, "mild"),
        Band(17, 23, "moderate"),
        Band(24, 52, "severe"),
    ),
)

HAMD17 = Instrument(
    code="hamd17",
    name="Hamilton Depression Rating Scale, 17 items",
    abbreviation="HAM-D-17",
    recall_period="the past week (clinician interview) [convention, not stated in CLINICAL.md]",
    stem="Clinician rating after interview: choose the level that best describes the patient.",
    items=HAMD17_ITEMS,
    band_schemes=(HAMD17_COMMON, HAMD17_ZIMMERMAN),
    higher_is_better=False,
    loinc_panel=None,
    loinc_total=None,
    licence="Public domain: 'The HAM-D is in the public domain.' (NINDS CDE, quoted in the CamCOPS docs; "
    "CLINICAL.md §2.3).",
    scoring_rule=(
        "Total = sum of items 1-17 (0-52): items 1-3, 7-11 and 15 run 0-4, the others 0-2. Items 18-21 of "
        "longer versions are not part of the total. Item 16 is scored by history (A) or by measurement (B), "
        "one of them; 'not assessed' is not a score and counts as missing."
    ),
    missing_policy=NO_PRORATION,
    references=(
        "Hamilton M. A rating scale for depression. J Neurol Neurosurg Psychiatry 1960;23:56-62.",
        "Zimmerman M, Martinez JH, Young D, Chelminski I, Dalrymple K. Severity classification on the "
        "Hamilton Depression Rating Scale. J Affect Disord 2013;150:384-388.",
    ),
    risk_items=(
        RiskItem(
            item=3,
            threshold=1,
            flag="suicide_item_positive",
            rule="Any rating above 'Absent' on item 3 (Suicide) must reach the clinician whatever the total.",
            clinician_alert=(
                "You rated HAM-D-17 item 3 (Suicide) above 'Absent'. Assess the patient's suicide risk now "
                "and follow your service's risk protocol; an alert stays on the caseload until it is "
                "acknowledged with a note."
            ),
        ),
    ),
    thresholds_note=(
        "Trial conventions: response is a fall of 50% or more; remission a total of 7 or less "
        "[unverified, CLINICAL.md §2.3]. No reliable-change value is given."
    ),
    loinc_note="No LOINC codes for the HAM-D-17 are given in CLINICAL.md; panel and total are left empty.",
    anchors_note=(
        "Short anchors condensed from the NINDS HAM-D form (as in the CamCOPS strings); the form's "
        "rating instructions (e.g. the hours rules of item 7) are omitted."
    ),
)
