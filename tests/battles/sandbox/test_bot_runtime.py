"""The bots' Python offers what CodinGame's offered its players: numpy, in every mode."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from battles.sandbox import AnswerStatus, BotProcess, BotProgram, SandboxMode, bot_runtime
from battles.sandbox.selftest import RUNTIME_PROBE

StartBot = Callable[..., BotProcess]
MODES = [
    pytest.param(SandboxMode.NONE, id="plain"),
    pytest.param(SandboxMode.BWRAP, id="bwrap", marks=pytest.mark.bwrap),
]


@pytest.mark.parametrize("mode", MODES)
def test_a_bot_that_imports_numpy_answers(start_bot: StartBot, mode: SandboxMode) -> None:
    bot = start_bot("uses_numpy.py", mode=mode)
    answer = bot.exchange("10", 10_000)
    assert (answer.status, answer.line, answer.stderr) == (AnswerStatus.OK, "sum 45", "")
    assert bot.exchange("100", 5000).line == "sum 4950"


@pytest.mark.parametrize("mode", MODES)
def test_the_bot_runtime_check_names_the_bots_python_and_numpy(mode: SandboxMode) -> None:
    check = bot_runtime(mode)
    assert check.ok, check.detail
    assert check.detail.startswith("/usr/bin/python3 3.")
    assert ", numpy " in check.detail


def test_the_bot_runtime_check_fails_and_says_what_to_install_without_numpy(
    tmp_path: Path,
) -> None:
    assert RUNTIME_PROBE.code_dir is not None
    shutil.copy(RUNTIME_PROBE.code_dir / RUNTIME_PROBE.entry, tmp_path / "runtime.py")
    # A sibling module shadows the real numpy: the bot's directory comes first on sys.path.
    (tmp_path / "numpy.py").write_text("raise ImportError('No module named numpy')\n")
    probe = BotProgram(tmp_path, "runtime.py")

    check = bot_runtime(SandboxMode.NONE, probe=probe)

    assert not check.ok
    assert check.detail.endswith("numpy missing: apt-get install python3-numpy")
