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
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

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

    @property
    def post_index(self) -> int:
        """0-based index of the first session after the gain (N + 1); charts mark this one."""
        return self.session_index + 1


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


def _check(scores: Sequence[float], threshold: float) -> None:
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
    problems.extend(
        Problem(
            "sudden-gain-score",
            f"scores[{i}]",
            f"Score {i} is not a finite number.",
            "Leave out sessions without a score instead of passing a placeholder.",
        )
        for i, score in enumerate(scores)
        if not math.isfinite(score)
    )
    if problems:
        raise InvalidInput(problems)


def _is_gain(scores: Sequence[float], n: int, threshold: float, sign: float) -> bool:
    pre, post = scores[n], scores[n + 1]
    gain = sign * (pre - post)
    if gain < threshold or gain < RELATIVE_CRITERION * pre:
        return False
    before = scores[max(0, n - _WINDOW + 1) : n + 1]
    after = scores[n + 1 : n + 1 + _WINDOW]
    if len(before) < _MIN_SIDE or len(after) < _MIN_SIDE:
        return False
    difference = sign * (statistics.fmean(before) - statistics.fmean(after))
    return difference > critical_t(len(before), len(after)) * pooled_sd(before, after)


def sudden_gains(
    scores: Sequence[float], threshold: float, *, higher_is_better: bool = False
) -> list[SuddenGain]:
    """Every sudden gain in session-by-session totals, in session order (criteria in the module docstring).

    ``scores`` are the totals of consecutive sessions (sessions without a score left out).
    ``threshold`` is the absolute criterion in points. Tang & DeRubeis (1999); short-window
    adaptation after Lutz et al. (2013); reversal as in Tang & DeRubeis (1999).
    """
    _check(scores, threshold)
    # sign turns "improvement" into a positive number whichever way the scale runs
    sign = -1.0 if higher_is_better else 1.0
    gains: list[SuddenGain] = []
    for n in range(len(scores) - 1):
        if not _is_gain(scores, n, threshold, sign):
            continue
        pre, post = float(scores[n]), float(scores[n + 1])
        magnitude = sign * (pre - post)
        reversal_line = post + sign * magnitude / 2
        reversed_ = any(sign * (later - reversal_line) > 0 for later in scores[n + 2 :])
        gains.append(SuddenGain(n, pre, post, magnitude, reversed_))
    return gains
