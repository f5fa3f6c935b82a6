"""WHO-5, the World Health Organization Five Well-Being Index, as data.

Sources (CLINICAL.md §2.4): five items scored 0-5, raw total 0-25, percentage = raw × 4;
raw below 13 (percentage 50 or less) is poor well-being and should prompt a depression
assessment; a change of 10 percentage points is significant (Topp et al. 2015 *Psychother
Psychosom* 84:167-176; Valant help pages) [secondary]; free to use without permission.
"""

from __future__ import annotations

from goalwise.core.instruments.answer_lists import WHO5_FREQUENCY
from goalwise.core.instruments.gad7 import NO_PRORATION
from goalwise.core.instruments.model import Band, BandScheme, Instrument, Item

__all__ = ["PERCENTAGE_FACTOR", "WHO5", "WHO5_BANDS", "WHO5_ITEMS"]

#: Raw total × 4 gives the 0-100 percentage score (CLINICAL.md §2.4).
PERCENTAGE_FACTOR = 4

WHO5_ITEMS: tuple[Item, ...] = (
    Item(1, "I have felt cheerful and in good spirits", WHO5_FREQUENCY, None, "cheerful"),
    Item(2, "I have felt calm and relaxed", WHO5_FREQUENCY, None, "calm"),
    Item(3, "I have felt active and vigorous", WHO5_FREQUENCY, None, "active"),
    Item(4, "I woke up feeling fresh and rested", WHO5_FREQUENCY, None, "rested"),
    Item(5, "My daily life has been filled with things that interest me", WHO5_FREQUENCY, None, "interest"),
)

#: Goalwise's labels: "poor" below raw 13, "adequate" from 13. The sources name only the poor
#: band; "adequate" is our word for "not poor" and claims nothing more.
WHO5_BANDS = BandScheme(
    name="topp2015",
    source="Topp et al. (2015) Psychother Psychosom 84:167-176: raw < 13 (percentage ≤ 50) is poor "
    "well-being (CLINICAL.md §2.4)",
    bands=(Band(0, 12, "poor"), Band(13, 25, "adequate")),
)

WHO5 = Instrument(
    code="who5",
    name="WHO-5 Well-Being Index",
    abbreviation="WHO-5",
    recall_period="the last two weeks",
    stem="Over the last two weeks:",
    items=WHO5_ITEMS,
    band_schemes=(WHO5_BANDS,),
    higher_is_better=True,
    loinc_panel=None,
    loinc_total=None,
    licence="Free to use; no permission needed (CORC, cited by psyktestbarn.r-bup.no; CLINICAL.md §2.4). "
    "Official language versions: psykiatri-regionh.dk/who-5.",
    scoring_rule=(
        "Raw total = sum of items 1-5 (0-25); percentage = raw × 4 (0-100). Higher is better. A raw total "
        "below 13 (percentage 50 or less) is poor well-being and should prompt a depression assessment."
    ),
    missing_policy=NO_PRORATION,
    references=(
        "Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a systematic review of "
        "the literature. Psychother Psychosom 2015;84:167-176.",
    ),
    minimal_important_change=2.5,
    percentage_factor=PERCENTAGE_FACTOR,
    thresholds_note=(
        "A change of 10 percentage points (2.5 raw points) is 'significant' (CLINICAL.md §2.4); no "
        "reliable-change index or caseness value is given. WHO-5 has no risk item."
    ),
    loinc_note="CLINICAL.md gives no LOINC codes for the WHO-5; panel, items and total are left empty.",
)
