"""Per-bot cgroups: joined before the bot runs, limiting it, and gone after close."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from battles.sandbox import AnswerStatus, BotProcess, Limits, SandboxMode, sandbox_level
from battles.sandbox.cgroups import cgroup_support
from tests.conftest import service_missing

pytestmark = pytest.mark.bwrap

StartBot = Callable[..., BotProcess]


def _v2_root() -> Path:
    root = Path("/sys/fs/cgroup")
    return root if (root / "cgroup.controllers").exists() else root / "unified"


@pytest.fixture
def v2_parent() -> Iterator[Path]:
    """A fresh directory in the cgroup v2 tree, standing for a delegated ``cgroup_parent``."""
    parent = _v2_root() / f"gamearena-test-parent-{secrets.token_hex(4)}"
    try:
        parent.mkdir()
    except OSError as exc:
        service_missing(f"cannot create a cgroup v2 directory here ({exc}): needs root")
    yield parent
    parent.rmdir()


def test_every_process_of_the_bot_is_in_its_cgroups_from_the_start(start_bot: StartBot) -> None:
    if not cgroup_support().any:
        service_missing("this host delegates no cgroup to the runner: the level says so")
    bot = start_bot("echo.py")
    assert bot.exchange("hi", 10_000).status is AnswerStatus.OK
    cgroup = bot._resources.cgroup  # private on purpose: what the launch really joined
    assert cgroup is not None
    members = cgroup.pids()
    assert bot.pid in members  # the launch chain joined before exec'ing bwrap
    assert len(members) >= 3  # bwrap's monitor, its pid 1 and the bot


def test_a_configured_v2_parent_holds_the_bots_cgroups_and_kills_them(
    start_bot: StartBot, v2_parent: Path
) -> None:
    limits = Limits(cgroup_parent=str(v2_parent))
    assert sandbox_level(SandboxMode.BWRAP, limits).cgroup_kill
    bot = start_bot("echo.py", limits=limits)
    assert bot.exchange("hi", 10_000).line == "echo hi"
    (child,) = [d for d in v2_parent.iterdir() if d.is_dir()]
    assert str(bot.pid) in (child / "cgroup.procs").read_text().split()
    bot.close()
    assert not child.exists()
    assert os.path.isdir(v2_parent)


def test_the_cgroup_clock_counts_the_cpu_of_children_that_already_ended(
    start_bot: StartBot,
) -> None:
    if not cgroup_support().cpu:
        service_missing("this host gives the runner no cgroup with CPU accounting")
    bot = start_bot("cpu_in_child.py")
    bot.exchange("warm up", 10_000)
    answer = bot.exchange("go", 10_000)
    assert answer.line == "done"
    assert answer.cpu_ms is not None
    assert answer.cpu_ms >= 60, "the reaped child's 60 ms are the bot's"
