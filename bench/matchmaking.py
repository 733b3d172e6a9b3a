"""The ladder planner's decision time per battle, by field size.

    .venv/bin/python bench/matchmaking.py [--bots 100,1000,10000] [--ticks 50] [--pairs 3]

The planner alone (stats/matchmaking.py: pure, no database): for each field size, a field of
bots with ratings spread like a ladder's (a crowd and a tail), placement mostly done and recent
battle counts as a steady ladder leaves them, planned `--pairs` pairings per tick as the
periodic task does at 6 battles a minute. Printed per size: the median and p99 over ticks of
the time per scheduled battle. The candidates' database query is measured by the ladder's
own benchmark at scale (docs/ladder.md §1). Progress on stderr, figures on stdout.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stats.matchmaking import BATTLES_PER_PAIRING, Candidate, plan_pairings

PLACEMENT_BATTLES = 4


def field(size: int, rng: random.Random) -> list[Candidate]:
    return [
        Candidate(
            bot_id=n,
            version_id=n,
            rating=rng.gauss(1200, 150) if rng.random() < 0.9 else rng.uniform(1500, 2500),
            version_battles=PLACEMENT_BATTLES if rng.random() < 0.98 else 0,
            recent_battles=rng.randrange(0, 4),
        )
        for n in range(size)
    ]


def per_battle_ms(size: int, ticks: int, pairs: int, rng: random.Random) -> list[float]:
    times = []
    for _ in range(ticks):
        candidates = field(size, rng)
        started = time.perf_counter()
        plan_pairings(candidates, pairs, placement_battles=PLACEMENT_BATTLES, rng=rng)
        elapsed = time.perf_counter() - started
        times.append(1000 * elapsed / (pairs * BATTLES_PER_PAIRING))
    return times


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bots", default="100,1000,10000")
    parser.add_argument("--ticks", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261201)
    print(f"{'bots':>7} {'median ms/battle':>17} {'p99 ms/battle':>14}")
    for size in (int(n) for n in args.bots.split(",")):
        print(f"  planning for {size} bots...", file=sys.stderr)
        times = per_battle_ms(size, args.ticks, args.pairs, rng)
        print(f"{size:>7} {statistics.median(times):>17.3f} {p99(times):>14.3f}")


if __name__ == "__main__":
    main()
