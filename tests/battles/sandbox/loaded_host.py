"""Plays turns against one bot on a host made busy on purpose; run as its own process.

    python -m tests.battles.sandbox.loaded_host MODE TURNS HOGS ENTRY...

It pins itself (the referee), the bot it starts and HOGS busy processes to one CPU, so the bot
waits in the run queue behind them and its wall time per turn is several times the CPU time it
uses: the situation of a host busy with other battles. Each hog runs in its own session, as
other battles' bots and servers do: with the kernel's session autogroups each then takes its
own share of the CPU. Prints one JSON object: per bot (entry), per turn [status, wall ms,
CPU ms, detail]; a bot plays until its first fault or TURNS turns. A separate process, so
the pinning and the hogs never touch the test runner itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from battles.sandbox import AnswerStatus, BotProcess, BotProgram, Limits, SandboxMode

ATTACKS = Path(__file__).parent / "attacks"
HOG = "import os, time\nend = time.monotonic() + 60\nwhile time.monotonic() < end: pass\n"


def main(mode: SandboxMode, turns: int, hogs: int, entries: list[str]) -> None:
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})  # inherited by the hogs and the bots
    busy = [
        subprocess.Popen([sys.executable, "-c", HOG], start_new_session=True) for _ in range(hogs)
    ]
    played: dict[str, list[list[object]]] = {}
    try:
        limits = Limits()  # the production budgets (1000 ms, then 50 ms a turn) and backstop
        for entry in entries:
            played[entry] = turns_of(BotProgram(ATTACKS, entry), mode, limits, turns)
    finally:
        for hog in busy:
            hog.kill()
            hog.wait()
    print(json.dumps({"cpu": cpu, "bots": played}))


def turns_of(
    program: BotProgram, mode: SandboxMode, limits: Limits, turns: int
) -> list[list[object]]:
    played: list[list[object]] = []
    with BotProcess.start(program, limits=limits, mode=mode) as bot:
        for turn in range(turns):
            budget = limits.first_answer_ms if turn == 0 else limits.answer_ms
            answer = bot.exchange(f"turn {turn}", budget)
            played.append([answer.status.value, answer.elapsed_ms, answer.cpu_ms, answer.detail])
            if answer.status is not AnswerStatus.OK:
                break
    return played


if __name__ == "__main__":
    main(SandboxMode(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
