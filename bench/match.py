"""What a match costs on top of the bots: GameArena's runner against a bare pipe harness.

    .venv/bin/python bench/match.py [--runs 5] [--starts 10] [--modes bwrap,none]

Two trivial bots (each answers one MOVE at once) play a full game. Printed, per sandbox mode, each
beside the same figure for a bare harness measured in the same invocation (plain subprocess and
pipes: no sandbox, no engine, the input texts rendered once beforehand) and as a ratio:

- total wall time of the game (starting the bots, every turn, closing them);
- start cost: from launching one bot to its first answer (interpreter start included);
- overhead per turn: a turn's wall time minus the bots' own work, which each bot measures around
  its parsing and reports in its MOVE message. For the arena that is the engine (input text,
  rules), the sandbox's pipes and polling, the fault mapping and the replay.

Figures are medians over the runs. Progress goes to stderr, results to stdout. BWRAP is measured
only where the sandbox can start (otherwise the reason is printed); NONE always.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from battles.engine import Game
from battles.match import play_match
from battles.sandbox import (
    BotProcess,
    BotProgram,
    Limits,
    SandboxError,
    SandboxMode,
)

SEED = 42
BOT_PYTHON = "/usr/bin/python3"
# Deadlines far above anything a trivial bot needs: the benchmark measures cost, not timeouts.
LIMITS = Limits(first_answer_ms=10_000, answer_ms=2_000)

# Stands its first alive pac still (so games last all 200 turns) and reports, after the MOVE, the
# microseconds it spent between reading the first line of its input and writing its answer.
TRIVIAL_BOT = """\
import sys, time
read = sys.stdin.readline
first = True
while True:
    line = read()
    if not line:
        break
    start = time.perf_counter_ns()
    if first:
        first = False
        for _ in range(int(line.split()[1])):
            read()
        read()
    pac = None
    for _ in range(int(read())):
        fields = read().split()
        if pac is None and fields[1] == "1" and fields[4] != "DEAD":
            pac = fields
    for _ in range(int(read())):
        read()
    work_us = (time.perf_counter_ns() - start) // 1000
    sys.stdout.write(f"MOVE {pac[0]} {pac[2]} {pac[3]} w{work_us}\\n")
    sys.stdout.flush()
"""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bot_work_ms(line: str | None) -> float:
    """The bot's own work, from the `w<microseconds>` message of its MOVE."""
    if not line or " w" not in line:
        return 0.0
    return int(line.rsplit(" w", 1)[1]) / 1000


@dataclass
class GameFigures:
    wall_ms: float
    overhead_per_turn_ms: float
    turns: int


# -- GameArena: sandbox + engine + replay ----------------------------------------------------


def arena_game(program: BotProgram, mode: SandboxMode) -> GameFigures:
    marks: list[float] = []
    start = time.perf_counter()
    result = play_match(
        (program, program),
        seed=SEED,
        limits=LIMITS,
        mode=mode,
        on_turn=lambda _turn: marks.append(time.perf_counter()),
    )
    wall = time.perf_counter() - start
    # Turn 1 includes both bots' start-up: it is the start cost, measured on its own below.
    turn_ms = [(b - a) * 1000 for a, b in itertools.pairwise(marks)]
    work = [
        sum(bot_work_ms(p["output"]) for p in turn["players"] if p is not None)
        for turn in result.replay["turns"][1:]
    ]
    overhead = [t - w for t, w in zip(turn_ms, work, strict=True)]
    return GameFigures(wall * 1000, statistics.median(overhead), result.outcome.turns)


def arena_start_ms(program: BotProgram, mode: SandboxMode, first_input: str) -> float:
    start = time.perf_counter()
    with BotProcess.start(program, limits=LIMITS, mode=mode) as process:
        answer = process.exchange(first_input, LIMITS.first_answer_ms)
        elapsed = time.perf_counter() - start
    if answer.line is None:
        raise SystemExit(f"the trivial bot did not answer: {answer}")
    return elapsed * 1000 - bot_work_ms(answer.line)


# -- bare harness: plain subprocess and pipes, inputs rendered once ---------------------------


def bare_launch(bot_file: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [BOT_PYTHON, "-E", "-s", "-u", str(bot_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def bare_exchange(process: subprocess.Popen[str], text: str) -> str:
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(text)
    process.stdin.flush()
    return process.stdout.readline()


def bare_close(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.wait()


def bare_game(bot_file: Path, inputs: tuple[list[str], list[str]], turns: int) -> GameFigures:
    start = time.perf_counter()
    processes = [bare_launch(bot_file) for _ in range(2)]
    overhead = []
    try:
        for turn in range(turns):
            turn_start = time.perf_counter()
            work = 0.0
            for seat, process in enumerate(processes):
                text = inputs[seat][0] if turn == 0 else inputs[seat][1]
                work += bot_work_ms(bare_exchange(process, text))
            if turn > 0:
                overhead.append((time.perf_counter() - turn_start) * 1000 - work)
    finally:
        for process in processes:
            bare_close(process)
    wall = time.perf_counter() - start
    return GameFigures(wall * 1000, statistics.median(overhead), turns)


def bare_start_ms(bot_file: Path, first_input: str) -> float:
    start = time.perf_counter()
    process = bare_launch(bot_file)
    try:
        line = bare_exchange(process, first_input)
        elapsed = time.perf_counter() - start
    finally:
        bare_close(process)
    return elapsed * 1000 - bot_work_ms(line)


# -- reporting --------------------------------------------------------------------------------


def median_of(runs: int, label: str, measure: Callable[[], float]) -> float:
    values = []
    for run in range(runs):
        values.append(measure())
        progress(f"  {label} {run + 1}/{runs}: {values[-1]:.3f} ms")
    return statistics.median(values)


def engine_turn_ms(turns: int) -> float:
    """The engine's and the replay's share of a turn: inputs, rules, snapshot; no bots at all."""
    game = Game.from_seed(SEED)
    start = time.perf_counter()
    for _ in range(turns):
        for seat in game.players_to_ask():
            game.input_for(seat)
        game.play_turn({0: "WAIT 0", 1: "WAIT 0"})
        game.snapshot()
    return (time.perf_counter() - start) * 1000 / turns


def rendered_inputs() -> tuple[list[str], list[str]]:
    """Seat 0's and seat 1's input of turn 1 (with the map) and of turn 2, from a real game."""
    game = Game.from_seed(SEED)
    first = [game.input_for(0), game.input_for(1)]
    game.play_turn({0: "WAIT 0", 1: "WAIT 0"})
    return ([first[0], game.input_for(0)], [first[1], game.input_for(1)])


def row(name: str, arena: float, bare: float) -> str:
    return f"  {name:<26} {arena:>10.3f} ms {bare:>10.3f} ms {arena / bare:>8.2f}x"


def bench_mode(mode: SandboxMode, bot_file: Path, runs: int, starts: int) -> list[str]:
    program = BotProgram.from_file(bot_file)
    inputs = rendered_inputs()
    progress(f"[{mode.value}] start cost")
    first = inputs[0][0]
    arena_start = median_of(starts, "arena start", lambda: arena_start_ms(program, mode, first))
    bare_start = median_of(starts, "bare start", lambda: bare_start_ms(bot_file, first))
    arena_games, bare_games = [], []
    for run in range(runs):
        arena_games.append(arena_game(program, mode))
        bare_games.append(bare_game(bot_file, inputs, arena_games[-1].turns))
        progress(
            f"[{mode.value}] game {run + 1}/{runs}: arena {arena_games[-1].wall_ms:.0f} ms, "
            f"bare {bare_games[-1].wall_ms:.0f} ms, {arena_games[-1].turns} turns"
        )
    med = statistics.median
    engine = med(engine_turn_ms(arena_games[0].turns) for _ in range(runs))
    return [
        f"mode {mode.value}: {arena_games[0].turns} turns, medians of {runs} games and "
        f"{starts} starts",
        f"  {'':<26} {'arena':>13} {'bare':>13} {'ratio':>9}",
        row(
            "total wall time",
            med(g.wall_ms for g in arena_games),
            med(g.wall_ms for g in bare_games),
        ),
        row("start cost (one bot)", arena_start, bare_start),
        row(
            "overhead per turn",
            med(g.overhead_per_turn_ms for g in arena_games),
            med(g.overhead_per_turn_ms for g in bare_games),
        ),
        f"    of which engine + replay (no bots, no pipes): {engine:.3f} ms per turn",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="full games per harness and mode")
    parser.add_argument("--starts", type=int, default=10, help="start-cost samples per harness")
    parser.add_argument("--modes", default="bwrap,none", help="comma-separated sandbox modes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-match-") as tmp:
        bot_file = Path(tmp) / "main.py"
        bot_file.write_text(TRIVIAL_BOT)
        Path(tmp).chmod(0o755)  # readable by the sandbox's unprivileged seat uid
        bot_file.chmod(0o644)
        lines = []
        for name in args.modes.split(","):
            mode = SandboxMode(name.strip())
            try:
                lines += bench_mode(mode, bot_file, args.runs, args.starts)
            except SandboxError as error:
                lines.append(f"mode {mode.value}: not measured, the sandbox cannot start: {error}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
