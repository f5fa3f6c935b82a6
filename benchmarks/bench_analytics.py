"""Full analytics for one client: two years of daily data on five metrics.

Reports the time of ``metric_summary`` over the five metrics (target: under 50 ms) against a
floor measured in the same run: one pass of ``statistics.fmean`` over the same values, the
least any analysis must do. Seeded data; no pass/fail on time.

Run: python benchmarks/bench_analytics.py
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from goalwise.analytics.aggregate import Point
from goalwise.analytics.summary import GoalTarget, PhaseSpan, metric_summary

AS_OF = date(2026, 6, 30)
DAYS = 730


def _series(seed: int) -> list[Point]:
    rng = random.Random(seed)
    start = AS_OF - timedelta(days=DAYS - 1)
    return [
        Point(start + timedelta(days=d), round(max(1.0, min(10.0, 4 + d / 250 + rng.gauss(0, 1.2)))))
        for d in range(DAYS)
        if rng.random() > 0.12
    ]


def main() -> None:
    start = AS_OF - timedelta(days=DAYS - 1)
    phases = (
        PhaseSpan("Baseline", "baseline", start),
        PhaseSpan("CBT module 1", "intervention", start + timedelta(14)),
        PhaseSpan("CBT module 2", "intervention", start + timedelta(120)),
        PhaseSpan("Maintenance", "intervention", start + timedelta(400)),
    )
    metrics = [_series(seed) for seed in range(5)]
    goal = GoalTarget(7, ">=", AS_OF + timedelta(weeks=8))

    def run_all() -> None:
        for i, points in enumerate(metrics):
            metric_summary(points, AS_OF, phases=phases, goal=goal if i < 3 else None, counts=i == 4)

    def floor() -> None:
        for points in metrics:
            statistics.fmean(p.value for p in points)

    best, best_floor = float("inf"), float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        run_all()
        best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        floor()
        best_floor = min(best_floor, time.perf_counter() - t0)
    n = sum(len(m) for m in metrics)
    print(
        f"full analytics, 5 metrics x {DAYS} days ({n:,} points): {best * 1000:.1f} ms "
        "(best of 7; target < 50 ms)"
    )
    print(f"floor (one mean per metric): {best_floor * 1000:.2f} ms")
    print(f"ratio analytics/floor: {best / best_floor:.0f}x")


if __name__ == "__main__":
    main()
