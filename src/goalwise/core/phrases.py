"""The language of goals: vague phrases, avoidance framing, and what words alone reveal.

Everything here is data plus regular expressions; nothing is a model. The SMART check
(``core/smart.py``) uses it to judge a title, a behaviour or a free-text goal:

* :data:`VAGUE_PHRASES` is the catalog of vague intentions ("feel better", "be normal") each
  with a concrete SMART rewrite, what to measure, and the templates that fit it. Turning a
  vague intention into an observable, countable behaviour is the "operational definition"
  step of behavioural assessment (Doran 1981, *Management Review* 70(11):35-36, for SMART;
  Cooper, Heron & Heward, *Applied Behavior Analysis*, 3rd ed. 2020, for operational
  definitions).
* :data:`AVOIDANCE_PATTERN` finds avoidance framing ("stop", "avoid", "never", "no more",
  "quit", "don't"). Approach goals ("do X") are preferred to avoidance goals ("stop Y"): they
  are associated with more gain in well-being and symptoms during therapy (Elliot & Church
  2002, *J Couns Psychol* 49:243-254; Wollburg & Braukhaus 2010, *Psychother Res* 20:488-494).
* :func:`mentions_metric`, :func:`mentions_number` and :func:`mentions_time_frame` tell
  whether a sentence names something countable, a number and a deadline.
* :func:`check_text` turns all of this into SMART Problems for a free-text goal; it is also
  available as ``goalwise.core.smart.check_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goalwise.core import smart_rules as codes
from goalwise.core.errors import Problem
from goalwise.core.smart_rules import APPROACH_EXAMPLE, make_problem

__all__ = [
    "AVOIDANCE_PATTERN",
    "VAGUE_PHRASES",
    "VagueMatch",
    "VaguePhrase",
    "check_text",
    "find_avoidance",
    "find_vague",
    "mentions_metric",
    "mentions_number",
    "mentions_time_frame",
    "normalise",
]


@dataclass(frozen=True, slots=True)
class VaguePhrase:
    """One vague intention: how to spot it, a concrete rewrite, what to measure, fitting templates."""

    phrase: str
    pattern: str
    rewrite: str
    measure: str
    template_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VagueMatch:
    """Where a catalog phrase was found: the entry and the words that matched."""

    entry: VaguePhrase
    found: str


def _v(phrase: str, pattern: str, rewrite: str, measure: str, *templates: str) -> VaguePhrase:
    return VaguePhrase(phrase, pattern, rewrite, measure, templates)


_BE = r"(?:be|being|feel|feeling|get|getting|become)"

# fmt: off
VAGUE_PHRASES: tuple[VaguePhrase, ...] = (
    _v("feel better", r"\bfeel(?:s|ing)? better\b",
       "Rate my mood 1-10 each evening and raise the weekly average from 4 to 6 or more within 8 weeks.",
       "a daily mood rating from 1 to 10", "mood-rating", "who5-wellbeing", "pleasant-activities"),
    _v("be happier", rf"\b{_BE} happier\b|\bmore happy\b",
       "Do 5 planned pleasant or valued activities a week, up from 1 now, within 8 weeks.",
       "pleasant or valued activities done per week", "pleasant-activities", "who5-wellbeing"),
    _v("stop worrying", r"\bstop(?:ping)? worrying\b|\bworry(?:ing)? less\b|\bnot worry\b",
       "Keep worrying to one 15-minute worry time a day, down from about 2 hours, within 8 weeks.",
       "minutes a day spent worrying", "worry-time", "gad7-below-5"),
    _v("be less anxious", rf"\b{_BE} less (?:anxious|nervous)\b|\bless anxiety\b",
       "Bring my GAD-7 score below 5 within 12 weeks (now 14), taking it every 2 weeks.",
       "the GAD-7 total score", "gad7-below-5", "exposure-practice"),
    _v("get my life together",
       r"\b(?:get|getting|put|putting) my life (?:back )?together\b|\bsort my life out\b",
       "Complete my morning routine (up by 8, washed, dressed, breakfast) on 6 days a week, up from 2, "
       "within 6 weeks.",
       "days a week the morning routine is done", "self-care-daily", "work-attendance"),
    _v("be normal", rf"\b{_BE} normal(?: again)?\b|\bback to normal\b",
       "Go to work on 90% of my scheduled days, up from 60% now, within 8 weeks.",
       "% of scheduled work days attended", "work-attendance", "self-care-daily", "pleasant-activities"),
    _v("be more confident", rf"\b{_BE} (?:more )?confident\b|\bmore confidence\b",
       "Keep a conversation going for 5 minutes or more in 80% of social encounters, up from 30%, "
       "within 10 weeks.",
       "% of social encounters with a conversation of 5 minutes or more", "conversations-80pct",
       "exposure-practice"),
    _v("sleep better", r"\bsleep(?:ing)? better\b|\bbetter sleep\b",
       "Sleep 420 minutes (7 hours) a night on average, up from 300 now, within 8 weeks.",
       "minutes of sleep per night", "sleep-duration", "sleep-regularity"),
    _v("be less stressed", rf"\b{_BE} less stressed\b|\bless stress\b",
       "Practise mindfulness for 10 minutes a day on average, up from 0 now, within 6 weeks.",
       "minutes of mindfulness practice per day", "mindfulness-daily", "worry-time"),
    _v("be more productive", rf"\b{_BE} more productive\b|\bget more done\b",
       "Do two focused 25-minute work blocks on 5 days a week, up from 1 day now, within 6 weeks.",
       "days a week with two focused work blocks done", "work-attendance", "self-care-daily"),
    _v("get healthier", rf"\b{_BE} (?:healthier|more healthy)\b",
       "Walk for 20 minutes or more on 5 days a week, up from 1 now, within 8 weeks.",
       "days a week with a 20-minute walk", "self-care-daily", "sleep-regularity"),
    _v("be more social", rf"\b{_BE} more (?:social|sociable)\b|\bsee (?:my )?(?:friends|people) more\b"
       r"|\bless lonely\b",
       "Meet or call someone for 10 minutes or more 3 times a week, up from once now, within 8 weeks.",
       "social contacts of 10 minutes or more per week", "social-interactions", "conversations-80pct"),
    _v("be less depressed", rf"\b{_BE} less (?:depressed|down|low)\b",
       "Bring my PHQ-9 score below 10 within 12 weeks (now 16), taking it every 2 weeks.",
       "the PHQ-9 total score", "phq9-below-10", "pleasant-activities"),
    _v("cope better", r"\bcop(?:e|ing) better\b|\bhandle (?:things|it|stress) better\b",
       "Do slow breathing (6 breaths a minute for 3 minutes) without prompts, rated 8 of 10 with my "
       "therapist, within three sessions.",
       "a 0-10 rating of how well I do slow breathing unaided", "deep-breathing", "mindfulness-daily"),
    _v("have more energy", r"\b(?:have|get|having) more energy\b|\bless tired\b",
       "Be in bed by 23:00 and up by 07:30 on 5 nights a week, up from 1 now, within 6 weeks.",
       "nights a week on the sleep schedule", "sleep-regularity", "pleasant-activities"),
    _v("be more motivated", rf"\b{_BE} (?:more )?motivated\b",
       "Do 5 planned activities a week from my list, up from 1 now, within 8 weeks.",
       "planned activities done per week", "pleasant-activities"),
    _v("be myself again", r"\bbe myself again\b|\bfeel like myself\b|\bback to (?:my old self|myself)\b",
       "Raise my WHO-5 well-being score from 8 to 13 or more within 12 weeks.",
       "the WHO-5 raw score", "who5-wellbeing", "pleasant-activities"),
    _v("calm down", r"\bcalm(?:er)? down\b|\bbe calmer\b|\bfeel calm(?:er)?\b|\brelax more\b",
       "Practise mindfulness for 10 minutes a day on average, up from 0 now, within 6 weeks.",
       "minutes of mindfulness practice per day", "mindfulness-daily", "deep-breathing"),
)
# fmt: on

_COMPILED = tuple((entry, re.compile(entry.pattern)) for entry in VAGUE_PHRASES)

#: Avoidance framing ("stop", "avoid", "never", "no more", "quit", "don't").
AVOIDANCE_PATTERN = re.compile(
    r"\b(?:stop(?:s|ping)?|avoid(?:s|ing)?|never|no more|no longer|quit(?:s|ting)?|don't|dont|do not)\b"
)

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|hundred|half|once|twice|a dozen"
)
_TIME_UNIT = r"(?:day|week|month|year|session|fortnight)s?"
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ANCHOR = rf"(?:{_MONTH}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|christmas|easter"
_ANCHOR += r"|spring|summer|autumn|fall|winter|next|the end|end of|mid|\d)"

_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b")
_TIME_FRAME = re.compile(
    "|".join(
        (
            rf"\b(?:in|within|over|after|for the next)\s+(?:the next\s+)?(?:\d+|{_NUMBER_WORDS}|a|an)"
            rf"\s+{_TIME_UNIT}\b",
            rf"\b(?:by|before|until|till)\s+(?:the\s+)?{_ANCHOR}",
            r"\b(?:this|next|end of(?: the)?)\s+(?:week|month|year|term|spring|summer|autumn|winter)\b",
            r"\b\d{4}-\d{2}-\d{2}\b",
            r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b",
        )
    )
)
_METRIC = re.compile(
    "|".join(
        (
            r"\b(?:per|a|an|each|every)\s+(?:day|week|month|night|morning|evening|session)\b",
            r"\b(?:daily|weekly|nightly|monthly|fortnightly|times?|once|twice)\b",
            r"\b(?:minutes?|mins?|hours?|hrs?)\b",
            r"%|\bper ?cent\b",
            r"\b(?:score|scale|rating|rated|phq-?9|gad-?7|who-?5|number of|how many|out of)\b",
            # "5 panic attacks" names what is counted; "5 to 2" and "in 10 weeks" do not.
            rf"\b\d+(?:\.\d+)?\s+(?!(?:{_TIME_UNIT}|to|and|or|in|by|from|on|at|the|a)\b)[a-z]",
        )
    )
)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes and single spaces, so patterns stay simple."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def find_vague(text: str) -> list[VagueMatch]:
    """Catalog phrases found in ``text``, in catalog order, each at most once."""
    clean = normalise(text)
    found: list[VagueMatch] = []
    for entry, pattern in _COMPILED:
        match = pattern.search(clean)
        if match:
            found.append(VagueMatch(entry, match.group(0)))
    return found


def find_avoidance(text: str) -> list[str]:
    """Avoidance words in ``text`` ("stop", "never", ...), in order of appearance, without repeats."""
    words: list[str] = []
    for match in AVOIDANCE_PATTERN.finditer(normalise(text)):
        if match.group(0) not in words:
            words.append(match.group(0))
    return words


def mentions_number(text: str) -> bool:
    """True when ``text`` holds a number ("3", "three", "twice") outside its time frames.

    "Feel better in 2 weeks" has a deadline but no number to aim for, so the "2" of
    "in 2 weeks" does not count.
    """
    return _NUMBER.search(_TIME_FRAME.sub(" ", normalise(text))) is not None


def mentions_time_frame(text: str) -> bool:
    """True when ``text`` names a deadline: "in 10 weeks", "by March", "within 3 sessions", a date."""
    return _TIME_FRAME.search(normalise(text)) is not None


def mentions_metric(text: str) -> bool:
    """True when ``text`` names something countable: a frequency, a unit, a score or "N things"."""
    return _METRIC.search(normalise(text)) is not None


def check_text(text: str) -> list[Problem]:
    """What words alone can judge: vague phrases, avoidance framing, and no metric, number or deadline.

    "I want to feel better" yields S (vague phrase), M (no metric, no target) and T (no
    deadline) problems, each with a concrete suggestion drawn from the vague-phrase catalog
    (``core/phrases.py``) where one matches. All problems name the field ``text``.
    """
    if not text.strip():
        what = "The goal is empty."
        return [make_problem(codes.S_NO_BEHAVIOUR, "text", what=what, counted="one occurrence")]
    problems: list[Problem] = []
    vague = find_vague(text)
    for match in vague:
        problems.append(
            make_problem(
                codes.S_VAGUE_PHRASE, "text", field="text", found=match.found, rewrite=match.entry.rewrite
            )
        )
    words = find_avoidance(text)
    if words:
        example = f"'{vague[0].entry.rewrite}'" if vague else APPROACH_EXAMPLE
        problems.append(
            make_problem(
                codes.S_AVOIDANCE_FRAMING, "text", field="text", words="', '".join(words), example=example
            )
        )
    if not mentions_metric(text):
        measure = vague[0].entry.measure if vague else "panic attacks per week, or a 1-10 mood rating"
        what = "Nothing says what will be counted or rated."
        problems.append(make_problem(codes.M_NO_METRIC, "text", what=what, measure=measure))
    if not mentions_number(text):
        how = "Add where you are now and the level to reach, e.g. 'from 5 to 2 a week' or 'PHQ-9 below 10'."
        problems.append(
            make_problem(codes.M_NO_TARGET, "text", what="There is no number to aim for.", how=how)
        )
    if not mentions_time_frame(text):
        how = "Add a deadline, e.g. 'within 8 weeks' or 'within three sessions', and review every 4-6 weeks."
        problems.append(make_problem(codes.T_NO_DEADLINE, "text", what="Nothing says by when.", how=how))
    return problems
