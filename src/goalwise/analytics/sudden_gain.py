"""Sudden gains: large, stable improvements between two consecutive sessions.

Tang, T. Z., & DeRubeis, R. J. (1999). Sudden gains and critical sessions in cognitive-behavioral
therapy for depression. *J Consult Clin Psychol* 67(6):894–904, doi:10.1037/0022-006X.67.6.894.
A gain from session N to N+1 is a sudden gain when all three criteria hold:

1. **absolute**: the gain is at least ``threshold`` points (default in Goalwise: the instrument's
   reliable-change points, 6 for PHQ-9 and 4 for GAD-7; CLINICAL.md §3.3);
2. **relative**: the gain is at least 25 % of the pre-gain score (session N);
3. **stable**: the mean of the sessions N-2..N minus the mean of N+1..N+3 (in the improving
   direction) is greater than ``t × pooled SD``, with pooled SD =
   √(((n1-1)s1² + (n2-1)s2²) / (n1 + n2 - 2)) and s the sample SDs.

Adaptation for short windows (Lutz et al. 2013, as implemented by the suddengains R package,
Wiedemann et al. 2020, ``check_interval``): when fewer than three sessions exist on a side, the
available ones are used (at least 2 on each side, else criterion 3 cannot be checked and no gain
is reported), and t is the two-tailed .05 critical value for df = n1 + n2 - 2: 2.776 (3 and 3),
3.182 (3 and 2), 4.303 (2 and 2). Goalwise applies it at the start and end of the series, where
fewer than three sessions exist; the first interval that can qualify is therefore session 2→3.

Reversal (Tang & DeRubeis 1999; suddengains ``create_bysg``): a gain is reversed when any later
session, from N+2 on, is worse than the post-gain score by more than half the gain.

Lower totals are better for PHQ-9 and GAD-7; pass ``higher_is_better=True`` for scales such as
WHO-5. For a higher-is-better scale criterion 2 still compares the gain with the pre-gain score.

Sessions are counted by their numbers, not by position (``sessions``): N and N+1 are consecutive
session numbers, and the windows N-2..N and N+1..N+3 hold the scored sessions with those numbers.
A session without a score therefore leaves a gap: no gain is found across it, and it is not
replaced by the next scored session (Tang & DeRubeis 1999 compare consecutive sessions).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from goalwise.analytics.precision import real_series
from goalwise.core.errors import InvalidInput, Problem

__all__ = [
    "CRITICAL_T",
    "RELATIVE_CRITERION",
    "SuddenGain",
    "critical_t",
    "pooled_sd",
    "sudden_gains",
]

# Two-tailed .05 critical values of Student's t by degrees of freedom.
CRITICAL_T: dict[int, float] = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776}
RELATIVE_CRITERION = 0.25
_WINDOW = 3
_MIN_SIDE = 2


@dataclass(frozen=True, slots=True)
class SuddenGain:
    """A sudden gain between the sessions at ``session_index`` (N, 0-based) and N + 1.

    ``pre`` and ``post`` are the two scores, ``magnitude`` the improvement (always positive),
    ``reversed`` whether a later session lost more than half of it again.
    """

    session_index: int
    pre: float
    post: float
    magnitude: float
    reversed: bool = False
    session: int | None = None

    @property
    def post_index(self) -> int:
        """0-based index of the first session after the gain (N + 1); charts mark this one."""
        return self.session_index + 1

    @property
    def post_session(self) -> int | None:
        """The session number after the gain (N + 1) when session numbers were given."""
        return None if self.session is None else self.session + 1


def critical_t(n_before: int, n_after: int) -> float:
    """The two-tailed .05 critical t for df = n_before + n_after - 2 (Lutz et al. 2013 adaptation)."""
    df = n_before + n_after - 2
    if df not in CRITICAL_T:
        raise InvalidInput(
            [
                Problem(
                    "sudden-gain-df",
                    "scores",
                    f"No critical t is tabled for {df} degrees of freedom.",
                    "Use 1 to 3 sessions on each side of a gain.",
                )
            ]
        )
    return CRITICAL_T[df]


def pooled_sd(before: Sequence[float], after: Sequence[float]) -> float:
    """√(((n1-1)s1² + (n2-1)s2²) / (n1 + n2 - 2)) with sample variances (Tang & DeRubeis 1999)."""
    n1, n2 = len(before), len(after)
    v1 = statistics.variance(before) if n1 > 1 else 0.0
    v2 = statistics.variance(after) if n2 > 1 else 0.0
    return math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))


def _check(scores: object, threshold: float, sessions: object | None) -> tuple[list[float], list[int]]:
    """Scores and session numbers as plain lists; InvalidInput naming every problem."""
    problems: list[Problem] = []
    if not threshold > 0:
        problems.append(
            Problem(
                "sudden-gain-threshold",
                "threshold",
                "threshold must be above 0 points.",
                "Use the instrument's reliable-change points: 6 for PHQ-9, 4 for GAD-7.",
            )
        )
    values, found = real_series(scores, "scores")
    # a missing score (NaN) is named as a session without a score, with what to do about it
    problems += [
        Problem(
            "sudden-gain-score",
            p.field,
            f"Score {p.field[7:-1]} is not a finite number.",
            "Leave out sessions without a score instead of passing a placeholder.",
        )
        if p.code == "series-finite"
        else p
        for p in found
    ]
    numbers: list[int] = list(range(len(values)))
    if sessions is not None:
        given, bad = real_series(sessions, "sessions")
        problems += bad
        if not bad and (
            len(given) != len(values) + sum(p.field.startswith("scores[") for p in found)
            or any(not isinstance(s, int) for s in given)
            or any(b <= a for a, b in pairwise(given))
        ):
            problems.append(
                Problem(
                    "sudden-gain-sessions",
                    "sessions",
                    "sessions must give one whole session number per score, increasing.",
                    "Pass the session number of each score, in session order (one score per session).",
                )
            )
        elif not bad:
            numbers = [int(s) for s in given]
    if problems:
        raise InvalidInput(problems)
    return [float(v) for v in values], numbers


def _is_gain(scores: Sequence[float], sessions: Sequence[int], n: int, threshold: float, sign: float) -> bool:
    if sessions[n + 1] != sessions[n] + 1:
        return False  # the next session has no score: the interval N -> N+1 cannot be judged
    pre, post = scores[n], scores[n + 1]
    gain = sign * (pre - post)
    if gain < threshold or gain < RELATIVE_CRITERION * pre:
        return False
    first, last = sessions[n] - _WINDOW + 1, sessions[n] + _WINDOW
    before = [v for v, s in zip(scores, sessions, strict=True) if first <= s <= sessions[n]]
    after = [v for v, s in zip(scores, sessions, strict=True) if sessions[n] < s <= last]
    if len(before) < _MIN_SIDE or len(after) < _MIN_SIDE:
        return False
    difference = sign * (statistics.fmean(before) - statistics.fmean(after))
    return difference > critical_t(len(before), len(after)) * pooled_sd(before, after)


def sudden_gains(
    scores: Sequence[float],
    threshold: float,
    *,
    higher_is_better: bool = False,
    sessions: Sequence[int] | None = None,
) -> list[SuddenGain]:
    """Every sudden gain in session-by-session totals, in session order (criteria in the module docstring).

    ``scores`` are the totals in session order (a list, tuple or NumPy array); ``sessions`` their
    session numbers, so that a session without a score is a gap that no gain spans (without it,
    the scores are taken as consecutive sessions). ``threshold`` is the absolute criterion in
    points. Tang & DeRubeis (1999); short-window adaptation after Lutz et al. (2013); reversal as
    in Tang & DeRubeis (1999).
    """
    values, numbers = _check(scores, threshold, sessions)
    scores = values
    # sign turns "improvement" into a positive number whichever way the scale runs
    sign = -1.0 if higher_is_better else 1.0
    gains: list[SuddenGain] = []
    for n in range(len(scores) - 1):
        if not _is_gain(scores, numbers, n, threshold, sign):
            continue
        pre, post = float(scores[n]), float(scores[n + 1])
        magnitude = sign * (pre - post)
        reversal_line = post + sign * magnitude / 2
        reversed_ = any(sign * (later - reversal_line) > 0 for later in scores[n + 2 :])
        gains.append(SuddenGain(n, pre, post, magnitude, reversed_, None if sessions is None else numbers[n]))
    return gains
