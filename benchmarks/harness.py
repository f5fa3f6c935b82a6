"""Shared pieces of ``make bench``: results paired with floors, medians, the table and the results file.

Every benchmark is measured over at least 5 runs and reported as the median, beside a floor
measured in the same run, so the ratio holds on a shared, noisy machine. Nothing here passes or
fails on time; the table marks goals met or missed.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


@dataclass
class Result:
    """One benchmark: its median ``value`` and the floor measured beside it."""

    name: str
    value: float
    unit: str
    floor: float | None
    goal: dict[str, float]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """value / floor (None without a floor)."""
        if self.floor is None or self.floor == 0:
            return None
        return self.value / self.floor

    def met(self) -> bool:
        """Whether every goal holds."""
        ratio = self.ratio
        checks = []
        if "value_max" in self.goal:
            checks.append(self.value <= self.goal["value_max"])
        if "ratio_max" in self.goal and ratio is not None:
            checks.append(ratio <= self.goal["ratio_max"])
        if "ratio_min" in self.goal and ratio is not None:
            checks.append(ratio >= self.goal["ratio_min"])
        for key, limit in self.goal.items():
            if key.endswith("_max") and key not in ("value_max", "ratio_max") and key[:-4] in self.extra:
                checks.append(self.extra[key[:-4]] <= limit)
        return all(checks)

    def as_json(self) -> dict[str, Any]:
        """The results file's shape: name, value, unit, floor, ratio, goal (and any extra fields)."""
        out = asdict(self)
        extra = out.pop("extra")
        out["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        out["value"] = round(self.value, 3)
        out["floor"] = None if self.floor is None else round(self.floor, 3)
        out.update(extra)
        out["met"] = self.met()
        return out


def median_ms(action: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """The median wall time of ``action`` in milliseconds over ``runs`` runs after ``warmup``."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def machine() -> str:
    """CPU, cores, memory, Python and what else was running (the load average)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    others = _busy_processes()
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kb / 1048576:.1f} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average {load} at start; "
        f"other busy processes: {others or 'none'}"
    )


def _busy_processes() -> str:
    try:
        listing = subprocess.run(
            ["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    busy = []
    for line in listing.splitlines()[:8]:
        cpu, _, name = line.strip().partition(" ")
        if float(cpu or 0) >= 5 and os.getpid():
            busy.append(f"{name.strip()} {cpu}%")
    return ", ".join(busy)


def print_table(results: list[Result]) -> None:
    """The table: name, median, floor, ratio, goal, met."""
    width = max([34, *(len(r.name) + 1 for r in results)])
    header = f"{'benchmark':<{width}}{'median':>14}{'floor':>14}{'ratio':>8}  {'goal':<36}{'met':>4}"
    print(header)
    print("-" * len(header))
    for r in results:
        floor = "-" if r.floor is None else f"{r.floor:,.1f}"
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
        goal = ", ".join(f"{k} {v:g}" for k, v in r.goal.items())
        met = "yes" if r.met() else "NO"
        print(f"{r.name:<{width}}{r.value:>10,.1f} {r.unit:<6}{floor:>11}{ratio:>8}  {goal:<36}{met:>4}")
        if r.extra:
            print("    " + ", ".join(f"{k} {v}" for k, v in r.extra.items()))


def write_results(
    results: list[Result], settings: dict[str, Any], described: str, path: Path | None = None
) -> Path:
    """Write the results file (``benchmarks/results/latest.json``, git-ignored)."""
    path = path or RESULTS / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"machine": described, "settings": settings, "benchmarks": [r.as_json() for r in results]}
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
