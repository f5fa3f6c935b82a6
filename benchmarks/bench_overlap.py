"""Time NAP and Tau on 100,000 points against scipy's Kendall tau, the floor measured in this run.

Run: ``python benchmarks/bench_overlap.py``. Two seeded data sets of 50,000 baseline and
50,000 intervention values: continuous (no ties) and a 0-10 rating scale (mostly ties). scipy's
``kendalltau`` of the values against the 0/1 phase dummy does the same rank work (an
O(N log N) count of concordant pairs) in compiled code, so ours/scipy says what pure Python
costs. Timings are the best of a few repeats; the script never fails on speed (exit 0).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np
from scipy.stats import kendalltau

from goalwise.analytics.overlap import nap, tau

PER_PHASE = 50_000
REPEATS = 5
SEED = 20_240_601


def best_of(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """The fastest of ``repeats`` runs, in seconds: the least disturbed by other processes."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def data_sets() -> dict[str, tuple[list[float], list[float]]]:
    rng = random.Random(SEED)
    continuous = (
        [rng.gauss(0.0, 1.0) for _ in range(PER_PHASE)],
        [rng.gauss(0.3, 1.0) for _ in range(PER_PHASE)],
    )
    rating = (
        [float(rng.randint(0, 8)) for _ in range(PER_PHASE)],
        [float(rng.randint(2, 10)) for _ in range(PER_PHASE)],
    )
    return {"continuous": continuous, "0-10 scale (ties)": rating}


def main() -> None:
    rows = []
    for name, (a, b) in data_sets().items():
        values = np.asarray(a + b)
        phase = np.concatenate([np.zeros(len(a)), np.ones(len(b))])
        floor = best_of(lambda values=values, phase=phase: kendalltau(values, phase))
        ours_nap = best_of(lambda a=a, b=b: nap(a, b))
        ours_tau = best_of(lambda a=a, b=b: tau(a, b))
        rows.append((name, floor, ours_nap, ours_tau))
        # Different statistics (tau-b is scaled by its tie terms) but the same direction of effect.
        scipy_tau = kendalltau(values, phase).statistic
        print(f"{name}: NAP {nap(a, b).value:.4f}, Tau {tau(a, b).value:.4f}, scipy tau-b {scipy_tau:.4f}")

    print()
    print(f"n = {2 * PER_PHASE:,} points ({PER_PHASE:,} per phase), best of {REPEATS}")
    header = f"{'data':<20}{'scipy kendalltau':>18}{'nap':>10}{'tau':>10}{'nap/scipy':>11}{'tau/scipy':>11}"
    print(header)
    print("-" * len(header))
    for name, floor, ours_nap, ours_tau in rows:
        print(
            f"{name:<20}{floor * 1e3:>15.1f} ms{ours_nap * 1e3:>7.1f} ms{ours_tau * 1e3:>7.1f} ms"
            f"{ours_nap / floor:>10.1f}x{ours_tau / floor:>10.1f}x"
        )


if __name__ == "__main__":
    main()
