"""``make bench``: Goalwise at clinic scale, each benchmark paired with a floor measured in the same run.

Builds (once, then cached under ``benchmarks/.cache/``) a clinic of 2,000 clients with 2 years of daily
data and a 150-client caseload, measures every benchmark over at least 5 runs, prints the table and
writes ``benchmarks/results/latest.json``. Nothing passes or fails on time: machines are shared
and noisy, so ratios against floors are what to compare.

Run: python benchmarks/run.py [--clients 2000 --days 730 --runs 5 --only caseload,checkin]
With ``--db postgres`` (``make bench DB=postgres``) the clinic's benchmarks run on SQLite and then
again on a PostgreSQL copy of the same clinic, and the table reports both.
Quick look: python benchmarks/run.py --clients 200 --days 365 --checkin-requests 2000 --import-rows 100000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.postgres import find_bindir

from benchmarks import bench_checkin, bench_import, bench_pages
from benchmarks.bench_overlap import data_sets
from benchmarks.clinic import Clinic, ensure_clinic
from benchmarks.harness import Result, machine, median_ms, print_table, write_results
from benchmarks.pg_clinic import postgres_clinic, postgres_cluster

NAMES = ("caseload", "dashboard", "report", "checkin", "import", "overlap")


def overlap(runs: int) -> list[Result]:
    """NAP and Tau on n = 100,000 against scipy's Kendall tau on the same data."""
    import numpy as np
    from scipy.stats import kendalltau

    from goalwise.analytics.overlap import nap, tau

    a, b = data_sets()["continuous"]
    values = np.asarray(a + b)
    phase = np.concatenate([np.zeros(len(a)), np.ones(len(b))])
    floor = median_ms(lambda: kendalltau(values, phase), runs)
    n = {"n": len(a) + len(b)}
    return [
        Result("overlap: NAP", median_ms(lambda: nap(a, b), runs), "ms", floor, {"ratio_max": 2}, n),
        Result("overlap: Tau", median_ms(lambda: tau(a, b), runs), "ms", floor, {"ratio_max": 2}, n),
    ]


def on_postgres(clinic: Clinic | None, chosen: set[str], args: argparse.Namespace) -> list[Result]:
    """The benchmarks again on PostgreSQL, the clinic's on a copy of the same clinic ("... [postgresql]").

    The import runs into fresh PostgreSQL databases against psycopg's ``executemany``; overlap is
    not repeated (it does not touch the database).
    """
    if find_bindir() is None:
        print(
            "DB=postgres: PostgreSQL server binaries (initdb) not found; reporting SQLite only.",
            file=sys.stderr,
        )
        return []
    results: list[Result] = []
    with postgres_cluster() as cluster:
        if clinic is not None:
            pg = postgres_clinic(clinic, cluster)
            if chosen & {"caseload", "dashboard", "report"}:
                results += [
                    r for r in bench_pages.run(pg, args.runs) if r.name.split()[0].rstrip(":") in chosen
                ]
            if "checkin" in chosen:
                results += bench_checkin.run(pg, args.runs, args.checkin_requests)
        if "import" in chosen:
            results += bench_import.run(args.import_runs or args.runs, args.import_rows, cluster)
    for result in results:
        result.name += " [postgresql]"
        result.extra["db"] = "postgresql"
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=2000, help="clients in the clinic (default 2000)")
    parser.add_argument("--days", type=int, default=730, help="days of daily data (default 730)")
    parser.add_argument("--runs", type=int, default=5, help="runs per benchmark; the median is reported")
    parser.add_argument("--checkin-requests", type=int, default=10_000)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--import-runs", type=int, default=None, help="runs of the import (default --runs)")
    parser.add_argument(
        "--only", default=",".join(NAMES), help=f"comma-separated subset of {', '.join(NAMES)}"
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--results", type=Path, default=None, help="default benchmarks/results/latest.json")
    args = parser.parse_args()
    chosen = {name.strip() for name in args.only.split(",") if name.strip()}
    described = machine()
    started = time.perf_counter()
    clinic = (
        ensure_clinic(args.clients, args.days)
        if chosen & {"caseload", "dashboard", "report", "checkin"}
        else None
    )
    results: list[Result] = []
    if clinic and chosen & {"caseload", "dashboard", "report"}:
        results += [r for r in bench_pages.run(clinic, args.runs) if r.name.split()[0].rstrip(":") in chosen]
    if clinic and "checkin" in chosen:
        results += bench_checkin.run(clinic, args.runs, args.checkin_requests)
    if "import" in chosen:
        results += bench_import.run(args.import_runs or args.runs, args.import_rows)
    if "overlap" in chosen:
        results += overlap(args.runs)
    failed = None
    if args.db == "postgres":
        try:
            results += on_postgres(clinic, chosen, args)
        except Exception as exc:  # the SQLite rows are still written; the failure is said and exits 1
            failed = f"the PostgreSQL run failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    print(f"\nGoalwise benchmarks: {args.clients:,} clients x {args.days} days, median of {args.runs} runs")
    print(f"machine: {described}\n")
    print_table(results)
    settings = vars(args) | {"seconds": round(time.perf_counter() - started)}
    settings["results"] = str(args.results) if args.results else None
    path = write_results(results, settings, described, args.results)
    print(f"\nresults written to {path}")
    if failed:
        print(failed, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
