"""How strong the house bots are against each other: a small round-robin with both seats.

    .venv/bin/python bench/housebots.py [--seeds 1-40] [--mode none|bwrap] [--pairs a:b,c:d]

Each pairing plays every seed twice, once from each seat, through the real match runner (the
engine, the sandbox in the chosen mode, the real 1000/50 ms deadlines). Prints wins, draws,
points and faults per pairing. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from battles.engine import Outcome
from battles.housebots import house_bot_program
from battles.match import play_match
from battles.sandbox import Limits, SandboxMode

DEFAULT_PAIRS = "hunter:greedy,greedy:random_mover,hunter:random_mover"


@dataclass
class Tally:
    first: str
    second: str
    wins: list[int] = field(default_factory=lambda: [0, 0])
    draws: int = 0
    points: list[int] = field(default_factory=lambda: [0, 0])
    faults: list[str] = field(default_factory=list)

    def row(self) -> str:
        games = sum(self.wins) + self.draws
        return (
            f"{self.first:>12} vs {self.second:<12} {games:4d} games  "
            f"wins {self.wins[0]:3d}-{self.wins[1]:<3d} draws {self.draws:3d}  "
            f"points {self.points[0]:6d}-{self.points[1]:<6d} faults {len(self.faults)}"
        )


def seed_range(text: str) -> range:
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1)


def play_pairing(first: str, second: str, seeds: range, mode: SandboxMode) -> Tally:
    tally = Tally(first, second)
    programs = {name: house_bot_program(name) for name in (first, second)}
    for seed in seeds:
        for seats in ((first, second), (second, first)):
            result = play_match(
                (programs[seats[0]], programs[seats[1]]), seed=seed, limits=Limits(), mode=mode
            )
            record(tally, seats, result.outcome, seed)
        print(f"\r{first} vs {second}: seed {seed}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return tally


def record(tally: Tally, seats: tuple[str, str], outcome: Outcome, seed: int) -> None:
    scores, winner, players = outcome.scores, outcome.winner, outcome.players
    first_seat = seats.index(tally.first)
    order = (first_seat, 1 - first_seat)
    for index, seat in enumerate(order):
        tally.points[index] += scores[seat]
    if winner is None:
        tally.draws += 1
    else:
        tally.wins[order.index(winner)] += 1
    for seat, player in enumerate(players):
        if player.status not in ("ok", "dead"):
            tally.faults.append(f"seed {seed} {seats[seat]}: {player.status} {player.reason}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=seed_range, default=seed_range("1-40"))
    parser.add_argument("--mode", choices=[m.value for m in SandboxMode], default="none")
    parser.add_argument("--pairs", default=DEFAULT_PAIRS)
    args = parser.parse_args()
    pairs = [tuple(pair.split(":")) for pair in args.pairs.split(",")]
    tallies = [
        play_pairing(first, second, args.seeds, SandboxMode(args.mode)) for first, second in pairs
    ]
    seeds = f"{args.seeds.start}-{args.seeds.stop - 1}"
    print(f"house bots, seeds {seeds}, both seats, sandbox {args.mode}")
    for tally in tallies:
        print(tally.row())
        for fault in tally.faults[:5]:
            print(f"    {fault}")


if __name__ == "__main__":
    main()
