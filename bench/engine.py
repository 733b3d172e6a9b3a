"""Engine benchmark: the workload of shared/spec/engine-benchmark.md, with ratios to the referee.

    .venv/bin/python bench/engine.py                 # both variants, warm and cold
    .venv/bin/python bench/engine.py --variant full --cold 0
    .venv/bin/python bench/engine.py --profile full  # cProfile of the warm run, top 25

Warm: seeds 1-200 in this process. Cold: one game per fresh interpreter (20 seeds spread over
1-200), median of the time inside the process (imports included) and of the whole process's wall
time. Every warm game is checked against its row of benchmark-games.tsv; a mismatch fails the run.
Progress goes to stderr, figures to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TSV_CANDIDATES = (
    ROOT.parent / "shared" / "spec" / "benchmark-games.tsv",
    ROOT / "tests" / "battles" / "engine" / "benchmark-games.tsv",
)
# The official Java referee on the same workload (engine-benchmark.md).
JAVA = {
    "full": {
        "warm_turns_per_s": 6285.0,
        "warm_ms": 23.5,
        "cold_in_ms": 289.0,
        "cold_wall_ms": 339.0,
    },
    "rules": {
        "warm_turns_per_s": 8316.0,
        "warm_ms": 17.4,
        "cold_in_ms": 234.0,
        "cold_wall_ms": 288.0,
    },
}
COLD_SEEDS = tuple(range(1, 201, 10))  # 20 seeds
# A cold child imports nothing but the engine: its wall time is interpreter start + engine + game.
CHILD = """
import sys, time
start = time.perf_counter()
root, variant, seed = sys.argv[1:4]
sys.path.insert(0, root)
from battles.engine.benchmark import play_benchmark_game
play_benchmark_game(int(seed), variant)
print(f"{(time.perf_counter() - start) * 1000:.3f}")
"""


def load_line(when: str) -> str:
    """The machine's load average, so that readers can judge how noisy the figures are."""
    one, five, fifteen = os.getloadavg()
    return (
        f"load average {when}: {one:.2f} (1 min), {five:.2f} (5 min), {fifteen:.2f} (15 min) "
        f"on {os.cpu_count()} CPUs"
    )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def warm(variant: str) -> tuple[float, float, int, float]:
    """(turns per second, median ms per game, mismatches, turns per CPU second) over seeds 1-200
    in this process. The CPU-time rate leaves out time the process waited for a busy CPU."""
    from battles.engine.benchmark import play_benchmark_game, read_expected, summarize

    tsv = next(path for path in TSV_CANDIDATES if path.exists())
    expected = read_expected(tsv.read_text())
    durations, turns, mismatches, cpu = [], 0, 0, 0.0
    for seed in range(1, 201):
        cpu_start = time.process_time()
        start = time.perf_counter()
        game = play_benchmark_game(seed, variant)
        durations.append(time.perf_counter() - start)
        cpu += time.process_time() - cpu_start
        turns += game.turn
        if summarize(seed, game) != expected[seed]:
            mismatches += 1
            progress(f"  MISMATCH seed {seed}: {summarize(seed, game)} != {expected[seed]}")
        if seed % 25 == 0:
            progress(f"  warm {variant}: {seed}/200 games")
    return turns / sum(durations), statistics.median(durations) * 1000, mismatches, turns / cpu


def cold(variant: str, seeds: tuple[int, ...]) -> tuple[float, float]:
    """(median ms inside the process, median wall ms) for one game per fresh interpreter.

    Children may cache bytecode (as a deployed interpreter does; the JVM also loads compiled
    classes) in a private directory, so the repository is untouched; one unmeasured child fills
    the cache first.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "gamearena-bench-pycache")
    command = [sys.executable, "-c", CHILD, str(ROOT), variant]
    subprocess.run([*command, str(seeds[0])], capture_output=True, check=True, env=env)
    inside, wall = [], []
    for index, seed in enumerate(seeds, 1):
        start = time.perf_counter()
        result = subprocess.run(
            [*command, str(seed)], capture_output=True, text=True, check=True, env=env
        )
        wall.append((time.perf_counter() - start) * 1000)
        inside.append(float(result.stdout.strip()))
        progress(f"  cold {variant}: {index}/{len(seeds)} processes")
    return statistics.median(inside), statistics.median(wall)


def report(variant: str, cold_runs: int) -> int:
    java = JAVA[variant]
    progress(f"{variant}: warm run, seeds 1-200")
    rate, median_ms, mismatches, cpu_rate = warm(variant)
    print(
        f"[{variant}] warm: {rate:,.0f} turns/s ({rate / java['warm_turns_per_s']:.2f}x Java's "
        f"{java['warm_turns_per_s']:,.0f}; {cpu_rate:,.0f} per CPU second); "
        f"median {median_ms:.2f} ms/game "
        f"({java['warm_ms'] / median_ms:.2f}x faster than Java's {java['warm_ms']} ms); "
        f"{200 - mismatches}/200 games match benchmark-games.tsv"
    )
    if cold_runs:
        inside, wall = cold(variant, COLD_SEEDS[:cold_runs])
        print(
            f"[{variant}] cold ({cold_runs} fresh processes): median {inside:.1f} ms in process "
            f"({java['cold_in_ms'] / inside:.2f}x faster than Java's {java['cold_in_ms']:.0f}), "
            f"median wall {wall:.1f} ms ({java['cold_wall_ms'] / wall:.2f}x faster than "
            f"Java's {java['cold_wall_ms']:.0f})"
        )
    return mismatches


def profile(variant: str) -> None:
    from battles.engine.benchmark import play_benchmark_game

    profiler = cProfile.Profile()
    profiler.enable()
    for seed in range(1, 201):
        play_benchmark_game(seed, variant)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=["full", "rules", "both"], default="both")
    parser.add_argument("--cold", type=int, default=20, help="fresh processes (0: skip)")
    parser.add_argument("--profile", choices=["full", "rules"])
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return 0
    variants = ["full", "rules"] if args.variant == "both" else [args.variant]
    print(load_line("before"), flush=True)
    mismatches = sum(report(variant, min(args.cold, len(COLD_SEEDS))) for variant in variants)
    print(load_line("after"))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
