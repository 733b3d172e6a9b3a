"""A turn is judged by the bot's own CPU time, so a busy host cannot make a fair bot time out.

The loaded-host runs pin the referee, the bot and six busy processes to one CPU
(loaded_host.py): a bot that needs ~10 ms of CPU a turn then waits 60-100 ms of wall time
for it, past the 50 ms budget that wall-clock judging applied to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from battles.sandbox import AnswerStatus, BotProcess, Limits, SandboxMode

# These tests load the host themselves and judge the deadlines under that load: other tests
# running beside them would add a load of their own, so they run alone (.ci/test).
pytestmark = pytest.mark.alone

StartBot = Callable[..., BotProcess]
ROOT = Path(__file__).resolve().parents[3]
TURNS = 25
HOGS = 6
HARNESS = "tests.battles.sandbox.loaded_host"
MODES = [
    pytest.param(SandboxMode.NONE, id="plain"),
    pytest.param(SandboxMode.BWRAP, id="bwrap", marks=pytest.mark.bwrap),
]


def on_a_loaded_host(mode: SandboxMode, *entries: str) -> dict[str, list[list[Any]]]:
    done = subprocess.run(
        [sys.executable, "-m", HARNESS, mode.value, str(TURNS), str(HOGS), *entries],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    bots: dict[str, list[list[Any]]] = json.loads(done.stdout)["bots"]
    return bots


@pytest.mark.parametrize("mode", MODES)
def test_on_a_loaded_host_a_bot_within_its_cpu_budget_never_times_out(
    mode: SandboxMode,
) -> None:
    bots = on_a_loaded_host(mode, "cpu_per_turn.py", "busy_after_first.py", "sleeper.py")

    fair = bots["cpu_per_turn.py"]
    assert [turn[0] for turn in fair] == ["ok"] * TURNS, fair
    later = fair[1:]  # the turns with the 50 ms budget
    assert all(turn[2] is not None and turn[2] < 50 for turn in later), later
    # The load really bit: wall-clock judging would have timed this bot out, usually on turn 2.
    over_budget = [turn for turn in later if turn[1] > 50]
    assert len(over_budget) >= len(later) // 2, later

    busy, sleeper = bots["busy_after_first.py"], bots["sleeper.py"]
    assert [turn[0] for turn in busy] == ["ok", "timeout"], busy
    assert [turn[0] for turn in sleeper] == ["ok", "timeout"], sleeper
    assert "backstop of 400 ms ran out" in sleeper[1][3]


@pytest.mark.parametrize("mode", MODES)
def test_a_busy_loop_runs_out_of_cpu_and_a_sleeper_out_of_the_backstop(
    start_bot: StartBot, mode: SandboxMode
) -> None:
    busy = start_bot("busy_after_first.py", mode=mode)
    assert busy.exchange("one", 5000).line == "first"
    answer = busy.exchange("two", 50)
    assert answer.status is AnswerStatus.TIMEOUT
    assert answer.detail.startswith("CPU budget ran out"), answer.detail
    assert answer.cpu_ms is not None
    assert answer.cpu_ms >= 50

    sleeper = start_bot("sleeper.py", mode=mode, limits=Limits(wall_backstop_factor=3))
    assert sleeper.exchange("one", 5000).line == "first"
    answer = sleeper.exchange("two", 50)
    assert answer.status is AnswerStatus.TIMEOUT
    assert answer.detail.startswith("wall-clock backstop of 150 ms ran out"), answer.detail
    assert answer.elapsed_ms >= 150
    assert answer.cpu_ms is not None
    assert answer.cpu_ms < 50


@pytest.mark.parametrize("mode", MODES)
def test_every_answer_carries_the_cpu_time_the_bot_used(
    start_bot: StartBot, mode: SandboxMode
) -> None:
    bot = start_bot("cpu_per_turn.py", mode=mode)
    bot.exchange("warm up", 5000)  # the interpreter's start-up is on the first turn's clock
    answer = bot.exchange("go", 5000)
    assert answer.line == "done go"
    assert answer.cpu_ms is not None
    assert 9 <= answer.cpu_ms <= answer.elapsed_ms + 1


def test_a_backstop_factor_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="wall_backstop_factor"):
        Limits(wall_backstop_factor=0.5)


def test_a_turn_is_late_only_over_budget_on_both_clocks_or_past_the_backstop() -> None:
    late = BotProcess._lateness  # private on purpose: the rule itself, without timing
    assert late(40, 80, 50, 400) is None, "within the wall budget a bot is never late"
    assert late(90, 20, 50, 400) is None, "a loaded host: its own CPU is within the budget"
    assert str(late(90, 55, 50, 400)).startswith("CPU budget ran out: 55 ms of CPU in 90 ms")
    assert str(late(400, 5, 50, 400)).startswith("wall-clock backstop of 400 ms ran out")
    assert str(late(60, None, 50, 400)).startswith("wall clock ran out (CPU time not measurable)")
