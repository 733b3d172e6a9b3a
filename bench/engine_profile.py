"""Where the compiled engine's time goes, in instructions: a callgrind profile of the benchmark.

    .venv/bin/python bench/engine_profile.py              # seeds 1-40, full variant
    .venv/bin/python bench/engine_profile.py --games 10 --variant rules

cProfile cannot see into compiled code (``bench/engine.py --profile`` profiles the pure engine),
and wall-clock profiles on these shared machines move by a fifth from one minute to the next.
Instruction counts (valgrind's callgrind) repeat exactly for the same build and inputs, so this
is the profile to compare changes with. It plays the first ``--games`` benchmark games under
callgrind (about 50x slower than normal), subtracts a run that only imports the engine, and
prints each part of a turn by inclusive instructions. Needs valgrind (Debian: valgrind).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAY = """
import sys
sys.path.insert(0, sys.argv[1])
from battles.engine import native
from battles.engine.benchmark import play_benchmark_game
assert native.status().compiled, native.status().describe()
turns = 0
for seed in range(1, int(sys.argv[2]) + 1):
    turns += play_benchmark_game(seed, sys.argv[3]).turn
print(turns)
"""
IMPORT_ONLY = """
import sys
sys.path.insert(0, sys.argv[1])
import battles.engine.benchmark
"""
# (label, compiled function, indent): the parts of a game, each with what it includes.
PARTS = (
    ("whole games", "benchmark___play_benchmark_game", 0),
    ("set-up: map generation and game creation", "game___Game___from_seed", 1),
    ("map generation (Java RNG, pieces, islands)", "mapgen___generate", 2),
    ("inputs: rendering both players' text", "game___Game___input_for", 1),
    ("pellets in sight (fog of war)", "game___Game____sighted_pellets", 2),
    ("pac lines", "game___Game____pac_lines", 2),
    ("turns: play_turn", "game___Game___play_turn", 1),
    ("reading the output lines", "game___Game____read_answer", 2),
    ("paths: abilities and intended paths", "game___Game____plan", 2),
    ("Java-order queue search (ties)", "grid____SearchTree____search_until", 3),
    ("breadth-first distances to targets", "grid____DistanceSearch___reach", 3),
    ("moves, blocking, kills, eating", "game___Game____step", 2),
    ("the benchmark's policy (targets)", "benchmark___TargetPolicy___choose", 1),
)


def callgrind(code: str, *args: str) -> tuple[int, dict[str, int], str]:
    """Run ``code`` under callgrind: total instructions, inclusive instructions per compiled
    engine function, and what the child printed."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "GAMEARENA_ENGINE": "native"}
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "callgrind.out"
        child = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                code,
                str(ROOT),
                *args,
            ],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        annotated = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    total = int(re.search(r"Collected : (\d+)", child.stderr).group(1))  # type: ignore[union-attr]
    functions: dict[str, int] = {}
    for line in annotated.splitlines():
        found = re.match(r"\s*([\d,]+) .*\.c:CPyDef_(\w+)", line)
        if found and "=>" not in line:
            functions.setdefault(found.group(2), int(found.group(1).replace(",", "")))
    return total, functions, child.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--games", type=int, default=40, help="seeds 1..N")
    parser.add_argument("--variant", choices=["full", "rules"], default="full")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    print(
        f"callgrind: {args.games} games, {args.variant} variant (a minute or two)", file=sys.stderr
    )
    base, _, _ = callgrind(IMPORT_ONLY)
    total, functions, printed = callgrind(PLAY, str(args.games), args.variant)
    turns = int(printed.strip())
    games = functions["benchmark___play_benchmark_game"]
    print(
        f"compiled engine, {args.variant} variant, seeds 1-{args.games}: {turns} turns; "
        f"{(total - base) / args.games / 1e6:.1f} M instructions per game after start-up, "
        f"{(total - base) / turns / 1e3:.0f} k per turn"
    )
    print(f"{'part (inclusive)':<56} {'k instr/turn':>12} {'share':>6}")
    for label, name, indent in PARTS:
        count = functions.get(name)
        if count is None:
            continue
        print(f"{'  ' * indent + label:<56} {count / turns / 1e3:>12.1f} {count / games:>6.1%}")
    freeing = functions.get("game___Game_clear", 0) + functions.get("grid___Grid_clear", 0)
    print(f"{'freeing finished games (outside whole games)':<56} {freeing / turns / 1e3:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
