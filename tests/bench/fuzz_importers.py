"""The importers' longer fuzz run (the suite runs 200 seeded cases each):

    python tests/bench/fuzz_importers.py [--examples N] [--seed S]

Every importer (candidates CSV, spreadsheet export, plan JSON, paper-log JSON, room
layouts) is fed N generated inputs; each must be accepted within the limits or refused as
bad input. Prints, per importer, the cases run and the seconds taken; the first other
error stops the run with the falsifying input (hypothesis shrinks it)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, given, seed, settings

from tests.reliability import fuzzing

IMPORTERS = {
    "candidates CSV": (fuzzing.csv_texts, fuzzing.check_candidates_csv),
    "spreadsheet export": (fuzzing.csv_texts, fuzzing.check_spreadsheet),
    "plan JSON": (fuzzing.plan_texts, fuzzing.check_plan),
    "paper-log JSON": (fuzzing.log_texts, fuzzing.check_paper_log),
    "room layouts": (fuzzing.layouts, lambda case: fuzzing.check_layout(*case)),
}


def _runner(strategy, check, chosen_seed: int, examples: int):
    @seed(chosen_seed)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy())
    def run(case: object) -> None:
        check(case)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    print(f"seed {args.seed}, {args.examples} cases per importer")
    for name, (strategy, check) in IMPORTERS.items():
        started = time.perf_counter()
        _runner(strategy, check, args.seed, args.examples)()
        print(f"{name:<20} {args.examples:>7} cases  {time.perf_counter() - started:7.1f} s  ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
