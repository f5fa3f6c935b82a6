"""PHQ-9, the Patient Health Questionnaire depression module, as data.

Sources (CLINICAL.md §1): items and LOINC codes §1.1; bands 0-4/5-9/10-14/15-19/20-27 from
Kroenke, Spitzer & Williams (2001) *J Gen Intern Med* 16:606-613, §1.2; item 9 rule §1.3;
the "major depressive syndrome" algorithm §1.4 (Kroenke & Spitzer 2002; CamCOPS ``phq9.py``);
the NHS Data Dictionary rule for missing items §1.6; licence §1.7; IAPT reliable change and
caseness §3.3; MCID of 5 points from Löwe et al. (2004) *Med Care* 42:1194-1201, §1.5.
Item wording follows the official PHQ-9 form (phqscreeners.com; CamCOPS strings).
"""

from __future__ import annotations

from goalwise.core.instruments.answer_lists import DIFFICULTY, FREQUENCY
from goalwise.core.instruments.model import (
    Band,
    BandScheme,
    Instrument,
    Item,
    ProrationRule,
    RiskItem,
    SyndromeRule,
)

__all__ = [
    "DIFFICULTY_ITEM",
    "ITEM9_RISK",
    "PFIZER_LICENCE",
    "PHQ9",
    "PHQ9_BANDS",
    "PHQ9_ITEMS",
    "PHQ_STEM",
    "SYNDROME",
]

#: CLINICAL.md §1.7: the copyright text used in the HL7 SDC and LHC-Forms Questionnaires.
PFIZER_LICENCE = (
    "Copyright © Pfizer Inc. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke "
    "and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute. PRIME-MD and PRIME MD TODAY are trademarks of Pfizer Inc."
)

PHQ_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

PHQ9_ITEMS: tuple[Item, ...] = (
    Item(1, "Little interest or pleasure in doing things", FREQUENCY, "44250-9", "anhedonia"),
    Item(2, "Feeling down, depressed, or hopeless", FREQUENCY, "44255-8", "depressed mood"),
    Item(3, "Trouble falling or staying asleep, or sleeping too much", FREQUENCY, "44259-0", "sleep"),
    Item(4, "Feeling tired or having little energy", FREQUENCY, "44254-1", "energy"),
    Item(5, "Poor appetite or overeating", FREQUENCY, "44251-7", "appetite"),
    Item(
        6,
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        FREQUENCY,
        "44258-2",
        "self-esteem or guilt",
    ),
    Item(
        7,
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        FREQUENCY,
        "44252-5",
        "concentration",
    ),
    Item(
        8,
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        FREQUENCY,
        "44253-3",
        "psychomotor",
    ),
    Item(
        9,
        "Thoughts that you would be better off dead or of hurting yourself in some way",
        FREQUENCY,
        "44260-8",
        "death or self-harm",
    ),
)

#: Answered after the nine items and never added to the total (CLINICAL.md §1.1).
DIFFICULTY_ITEM = Item(
    10,
    "If you checked off any problems, how difficult have these problems made it for you to do your work, "
    "take care of things at home, or get along with other people?",
    DIFFICULTY,
    "69722-7",
    "functional difficulty",
)

#: Kroenke et al. (2001); LA codes from LOINC answer list LL382-3 (CLINICAL.md §1.1). LOINC's
#: own label for 0-4 is "None"; Goalwise says "minimal" as the 2001 paper's bands do. The
#: description of 44261-6 prints "1-4" for that band, a LOINC typo: the band is 0-4.
PHQ9_BANDS = BandScheme(
    name="kroenke2001",
    source="Kroenke, Spitzer & Williams (2001) J Gen Intern Med 16:606-613; LOINC LL382-3 (CLINICAL.md §1.2)",
    bands=(
        Band(0, 4, "minimal", "LA6708-7"),
        Band(5, 9, "mild", "LA6709-5"),
        Band(10, 14, "moderate", "LA6710-3"),
        Band(15, 19, "moderately severe", "LA6711-1"),
        Band(20, 27, "severe", "LA6712-9"),
    ),
)

ITEM9_RISK = RiskItem(
    item=9,
    threshold=1,
    flag="item9_positive",
    missing_flag="item9_missing",
    rule=(
        "Any answer above 'Not at all' on item 9 needs a suicide-risk assessment, whatever the total "
        "(CLINICAL.md §1.3). The flag is never imputed: when item 9 is missing, 'item9_missing' asks "
        "the interface to put the question again."
    ),
)

SYNDROME = SyndromeRule(
    # Items 1-8 count as present at "More than half the days" (2); item 9 at any answer (1).
    present_at=(2, 2, 2, 2, 2, 2, 2, 2, 1),
    core_items=(1, 2),
    major_min=5,
    other_min=2,
    other_max=4,
    major_label="major depressive syndrome",
    other_label="other depressive syndrome",
    source=(
        "Kroenke & Spitzer (2002) Psychiatric Annals; LOINC 44249-1 description; CamCOPS phq9.py "
        "(CLINICAL.md §1.4). Run only when all nine items are answered; it suggests, never diagnoses."
    ),
)

PHQ9 = Instrument(
    code="phq9",
    name="Patient Health Questionnaire-9",
    abbreviation="PHQ-9",
    recall_period="the last 2 weeks",
    stem=PHQ_STEM,
    items=PHQ9_ITEMS,
    extra_item=DIFFICULTY_ITEM,
    band_schemes=(PHQ9_BANDS,),
    higher_is_better=False,
    loinc_panel="44249-1",
    loinc_total="44261-6",
    licence=PFIZER_LICENCE,
    scoring_rule=(
        "Total = sum of items 1-9 (0-27). The difficulty question (item 10) is recorded but not added. "
        "Bands use the total rounded half up."
    ),
    missing_policy=(
        "NHS Data Dictionary: with one or two items missing, the total is prorated as the sum of the "
        "answered items × 9 / number answered (kept unrounded, e.g. 10.125) and banded after rounding half "
        "up; with three or more missing there is no score. The syndrome algorithm and the item 9 flag "
        "are never run on imputed items (CLINICAL.md §1.6)."
    ),
    references=(
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. "
        "J Gen Intern Med 2001;16:606-613.",
        "Kroenke K, Spitzer RL. The PHQ-9: a new depression diagnostic and severity measure. "
        "Psychiatric Annals 2002;32:509-515.",
        "NHS Data Dictionary: Patient Health Questionnaire-9 assessment tool (missing items).",
        "Löwe B, Unützer J, Callahan CM, Perkins AJ, Kroenke K. Monitoring depression treatment outcomes "
        "with the PHQ-9. Med Care 2004;42:1194-1201.",
    ),
    risk_items=(ITEM9_RISK,),
    proration=ProrationRule(
        max_missing=2, source="NHS Data Dictionary, PHQ-9 assessment tool (CLINICAL.md §1.6)"
    ),
    syndrome=SYNDROME,
    reliable_change=6,
    caseness=10,
    minimal_important_change=5,
    thresholds_note=(
        "Reliable improvement is a fall of 6 or more and caseness a total of 10 or more (IAPT / NHS "
        "Talking Therapies, CLINICAL.md §3.3). MCID 5 points (Löwe et al. 2004, §1.5). Remission < 5 and "
        "response ≥ 50% fall from an initial total ≥ 10 (CMS159, NQF 1884/1885, §1.5)."
    ),
    loinc_note=(
        "Band LA codes come from LL382-3, the answer list of 44262-4 'PHQ-9 interpretation', a LOINC "
        "code that is deprecated; the LA codes are kept for exchange with older systems."
    ),
)
