"""Running a hostile bot process safely and talking to it. No Django import.

Public surface (stable: the match runner is written against it)::

    Limits, SandboxMode, BotProgram  (Limits.wall_backstop_factor: a turn's wall-clock cap)
    BotProcess.start(program, *, limits=None, mode=SandboxMode.BWRAP) -> BotProcess
    BotProcess.exchange(text, timeout_ms) -> Answer ; BotProcess.close() ; context manager
    Answer(status, line, elapsed_ms, stderr, detail, exit_code, signal, cpu_ms), AnswerStatus
    SandboxError(message, *, permanent=False)   infrastructure faults only (never a bot's);
                          .permanent is True when a retry cannot help
    Transport, FakeTransport
    sandbox_level(mode, limits=None) -> SandboxLevel   (str(level): the label stored on a match)
    self_test(mode=SandboxMode.BWRAP) -> SelfTestReport
    bot_runtime(mode=SandboxMode.BWRAP) -> LayerCheck   (the bots' Python and its numpy)

The design is docs/sandbox.md (layers: §3): bubblewrap with every namespace,
a seccomp deny-list, rlimits, a seat uid taken before bwrap, and cgroups where delegated.
"""

from __future__ import annotations

from battles.sandbox.errors import SandboxError
from battles.sandbox.fake import FakeTransport
from battles.sandbox.level import SandboxLevel, sandbox_level
from battles.sandbox.limits import BotProgram, Limits, SandboxMode
from battles.sandbox.process import Answer, AnswerStatus, BotProcess, Transport
from battles.sandbox.selftest import LayerCheck, SelfTestReport, bot_runtime, self_test

__all__ = [
    "Answer",
    "AnswerStatus",
    "BotProcess",
    "BotProgram",
    "FakeTransport",
    "LayerCheck",
    "Limits",
    "SandboxError",
    "SandboxLevel",
    "SandboxMode",
    "SelfTestReport",
    "Transport",
    "bot_runtime",
    "sandbox_level",
    "self_test",
]
