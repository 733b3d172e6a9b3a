"""Engine benchmark: the workload of docs/benchmark.md, with ratios to the referee.

    .venv/bin/python bench/engine.py                 # both engines, both variants, warm and cold
    .venv/bin/python bench/engine.py --variant full --cold 0 --engine compiled
    .venv/bin/python bench/engine.py --profile full  # cProfile of the warm run (pure), top 25

Warm runs start with 50 unmeasured warm-up games (seeds 201-250), as the Java figures did.
Engines: ``compiled`` is the mypyc build of the engine (``python -m battles.engine.native_build``),
``pure`` its Python sources; ``both`` (the default, when a build exists) measures each in the same
run, interleaved, and prints the ratio between them. Warm: seeds 1-200 in one process, repeated
``--rounds`` times (each round a fresh child process), median of the rounds. Cold: one game per
fresh interpreter (20 seeds spread over 1-200), median of the time inside the process (imports
included) and of the whole process's wall time. Every warm game is checked against its row of
benchmark-games.tsv; a mismatch fails the run. Progress goes to stderr, figures to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import json
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

TSV = ROOT / "tests" / "battles" / "engine" / "benchmark-games.tsv"
# The official Java referee on the same workload (docs/benchmark.md §5).
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
WARM_UP_SEEDS = range(201, 251)  # 50 games outside the measured ones
# A cold child imports nothing but the engine: its wall time is interpreter start + engine + game.
CHILD = """
import sys, time
start = time.perf_counter()
root, variant, seed = sys.argv[1:4]
sys.path.insert(0, root)
from battles.engine.benchmark import play_benchmark_game
play_benchmark_game(int(seed), variant)
elapsed = (time.perf_counter() - start) * 1000
from battles.engine import native
print(f"{elapsed:.3f} {int(native.status().compiled)}")
"""
ENGINES = {"pure": "pure", "compiled": "native"}  # --engine name: GAMEARENA_ENGINE value


def load_line(when: str) -> str:
    """The machine's load average, so that readers can judge how noisy the figures are."""
    one, five, fifteen = os.getloadavg()
    return (
        f"load average {when}: {one:.2f} (1 min), {five:.2f} (5 min), {fifteen:.2f} (15 min) "
        f"on {os.cpu_count()} CPUs"
    )


def stolen_seconds() -> float | None:
    """CPU time the hypervisor gave to other guests since boot (/proc/stat 'steal'), or None
    off Linux: on a virtual machine this is the noise that load averages do not show."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def warm(variant: str) -> dict[str, float]:
    """Seeds 1-200 in this process: turns per second, median ms per game, mismatches, and turns
    per CPU second (which leaves out time the process waited for a busy CPU)."""
    from battles.engine import native
    from battles.engine.benchmark import play_benchmark_game, read_expected, summarize

    expected = read_expected(TSV.read_text())
    for seed in WARM_UP_SEEDS:  # as the Java figures were taken: after 50 warm-up games
        play_benchmark_game(seed, variant)
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
    return {
        "rate": turns / sum(durations),
        "median_ms": statistics.median(durations) * 1000,
        "mismatches": mismatches,
        "cpu_rate": turns / cpu,
        "compiled": native.status().compiled,
    }


def engine_env(engine: str) -> dict[str, str]:
    """The environment of a child running ``engine``; children may cache bytecode (as a
    deployed interpreter does; the JVM also loads compiled classes) in a private directory, so
    the repository is untouched."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "gamearena-bench-pycache")
    env["GAMEARENA_ENGINE"] = ENGINES[engine]
    return env


def expect_engine(engine: str, compiled: bool) -> None:
    """A child must have run the engine it was given, or its figures mean nothing."""
    if compiled != (engine == "compiled"):
        raise SystemExit(f"the {engine} child ran the other engine")


def warm_rounds(variant: str, engines: list[str], rounds: int) -> dict[str, list[dict[str, float]]]:
    """``rounds`` warm runs per engine, each in a fresh child, interleaved so that a noisy
    stretch of the machine hits every engine alike."""
    results: dict[str, list[dict[str, float]]] = {engine: [] for engine in engines}
    for round_number in range(1, rounds + 1):
        for engine in engines:
            progress(f"  warm {variant}, {engine}: round {round_number}/{rounds}")
            child = subprocess.run(
                [sys.executable, __file__, "--warm-child", variant],
                capture_output=True,
                text=True,
                check=True,
                env=engine_env(engine),
            )
            result = json.loads(child.stdout)
            expect_engine(engine, bool(result["compiled"]))
            results[engine].append(result)
    return results


def cold(
    variant: str, engines: list[str], seeds: tuple[int, ...]
) -> dict[str, tuple[float, float]]:
    """Per engine, (median ms inside the process, median wall ms) for one game per fresh
    interpreter; one unmeasured child per engine fills the bytecode cache first."""
    command = [sys.executable, "-c", CHILD, str(ROOT), variant]
    for engine in engines:
        subprocess.run(
            [*command, str(seeds[0])], capture_output=True, check=True, env=engine_env(engine)
        )
    inside: dict[str, list[float]] = {engine: [] for engine in engines}
    wall: dict[str, list[float]] = {engine: [] for engine in engines}
    for index, seed in enumerate(seeds, 1):
        for engine in engines:
            start = time.perf_counter()
            result = subprocess.run(
                [*command, str(seed)],
                capture_output=True,
                text=True,
                check=True,
                env=engine_env(engine),
            )
            wall[engine].append((time.perf_counter() - start) * 1000)
            elapsed, compiled = result.stdout.split()
            expect_engine(engine, bool(int(compiled)))
            inside[engine].append(float(elapsed))
        progress(f"  cold {variant}: {index}/{len(seeds)} seeds")
    return {
        engine: (statistics.median(inside[engine]), statistics.median(wall[engine]))
        for engine in engines
    }


def report(variant: str, engines: list[str], rounds: int, cold_runs: int) -> int:
    java = JAVA[variant]
    progress(f"{variant}: warm runs, seeds 1-200")
    results = warm_rounds(variant, engines, rounds)
    mismatches = 0
    rates = {}
    for engine in engines:
        runs = results[engine]
        rate = rates[engine] = statistics.median(run["rate"] for run in runs)
        median_ms = statistics.median(run["median_ms"] for run in runs)
        cpu_rate = statistics.median(run["cpu_rate"] for run in runs)
        bad = max(int(run["mismatches"]) for run in runs)
        mismatches += bad
        print(
            f"[{variant}, {engine}] warm, median of {rounds}: {rate:,.0f} turns/s "
            f"({rate / java['warm_turns_per_s']:.2f}x Java's {java['warm_turns_per_s']:,.0f}; "
            f"{cpu_rate:,.0f} per CPU second; rounds "
            f"{', '.join(f'{run["rate"]:,.0f}' for run in runs)}); median {median_ms:.2f} ms/game "
            f"({java['warm_ms'] / median_ms:.2f}x faster than Java's {java['warm_ms']} ms); "
            f"{200 - bad}/200 games match benchmark-games.tsv"
        )
    if len(engines) == 2:
        print(f"[{variant}] warm: compiled / pure = {rates['compiled'] / rates['pure']:.2f}x")
    if cold_runs:
        colds = cold(variant, engines, COLD_SEEDS[:cold_runs])
        for engine, (inside, wall) in colds.items():
            print(
                f"[{variant}, {engine}] cold ({cold_runs} fresh processes): median {inside:.1f} ms "
                f"in process ({java['cold_in_ms'] / inside:.2f}x faster than Java's "
                f"{java['cold_in_ms']:.0f}), median wall {wall:.1f} ms "
                f"({java['cold_wall_ms'] / wall:.2f}x faster than Java's "
                f"{java['cold_wall_ms']:.0f})"
            )
    return mismatches


def profile(variant: str) -> None:
    """cProfile sees only interpreted code: this profiles the pure engine, whose hot spots are
    the compiled build's too."""
    os.environ["GAMEARENA_ENGINE"] = "pure"
    from battles.engine import native
    from battles.engine.benchmark import play_benchmark_game

    assert not native.status().compiled
    profiler = cProfile.Profile()
    profiler.enable()
    for seed in range(1, 201):
        play_benchmark_game(seed, variant)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def available_engines(choice: str) -> list[str]:
    from battles.engine import native

    built = native.find_build(native.builds_dir(), native.source_digest()) is not None
    if choice in ("compiled", "both") and not built:
        if choice == "compiled":
            raise SystemExit(
                "no compiled build for these sources: python -m battles.engine.native_build"
            )
        progress(
            "no compiled build for these sources (python -m battles.engine.native_build): pure only"
        )
        return ["pure"]
    return ["pure", "compiled"] if choice == "both" else [choice]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=["full", "rules", "both"], default="both")
    parser.add_argument("--engine", choices=["both", "compiled", "pure"], default="both")
    parser.add_argument("--rounds", type=int, default=3, help="warm runs per engine (median)")
    parser.add_argument("--cold", type=int, default=20, help="fresh processes (0: skip)")
    parser.add_argument("--profile", choices=["full", "rules"])
    parser.add_argument("--warm-child", choices=["full", "rules"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_child:
        print(json.dumps(warm(args.warm_child)))
        return 0
    if args.profile:
        profile(args.profile)
        return 0
    engines = available_engines(args.engine)
    variants = ["full", "rules"] if args.variant == "both" else [args.variant]
    print(load_line("before"), flush=True)
    stolen_before, started = stolen_seconds(), time.perf_counter()
    cold_runs = min(args.cold, len(COLD_SEEDS))
    mismatches = sum(report(variant, engines, args.rounds, cold_runs) for variant in variants)
    print(load_line("after"))
    stolen_after = stolen_seconds()
    if stolen_before is not None and stolen_after is not None:
        stolen, elapsed = stolen_after - stolen_before, time.perf_counter() - started
        print(f"CPU time taken by the hypervisor during the run: {stolen:.1f} s of {elapsed:.1f} s")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
