"""Fixtures of the sandbox suite: real sandboxed bots, and the guard that nothing leaks.

Tests marked ``bwrap`` need a working bubblewrap sandbox; the guard for that lives in
tests/conftest.py and applies to every such test in the suite.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from battles.sandbox import BotProcess, BotProgram, Limits, SandboxMode
from battles.sandbox.launch import kill_uid

ATTACKS = Path(__file__).parent / "attacks"


def _footprint(bot: BotProcess) -> tuple[int | None, Path | None, list[Path]]:
    # Private attributes, read on purpose: only what *this* bot held is checked, so bots that
    # other test processes run at the same time on this machine cannot fail this suite.
    resources = bot._resources
    cgroups = [d for _, d in resources.cgroup.dirs] if resources.cgroup is not None else []
    seat = resources.seat.uid if resources.seat is not None else None
    return seat, resources.staging, cgroups


def _leftovers(seat: int | None, staging: Path | None, cgroups: list[Path]) -> list[str]:
    """What a closed bot could have left on the host: processes, staged code, cgroups."""
    found = []
    if seat is not None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                status = Path(entry.path, "status").read_text()
            except OSError:
                continue
            uid = int(status.split("\nUid:\t", 1)[1].split()[0])
            state = status.split("\nState:\t", 1)[1][:1]
            if uid == seat and state not in "ZX":
                found.append(f"process {entry.name} of seat uid {uid}")
    if staging is not None and staging.exists():
        found.append(f"staged code {staging}")
    found += [f"cgroup {d}" for d in cgroups if d.exists()]
    return found


@pytest.fixture
def start_bot() -> Iterator[Callable[..., BotProcess]]:
    """Starts bots from ``attacks/`` in BWRAP mode; closes them after the test and asserts
    that nothing of them is left on the host (processes, files, cgroups)."""
    started: list[BotProcess] = []

    def start(
        entry: str, *, limits: Limits | None = None, mode: SandboxMode = SandboxMode.BWRAP
    ) -> BotProcess:
        bot = BotProcess.start(BotProgram(ATTACKS, entry), limits=limits or Limits(), mode=mode)
        started.append(bot)
        return bot

    yield start
    footprints = [_footprint(bot) for bot in started]
    for bot in started:
        bot.close()
    left = [item for footprint in footprints for item in _leftovers(*footprint)]
    for seat, _, _ in footprints:
        if seat is not None and left:  # never leave them behind, even on a failing test
            kill_uid(seat)
    assert not left, f"left on the host after close(): {left}"
