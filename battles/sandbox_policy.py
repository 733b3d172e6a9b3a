"""Which sandbox may run bots here, with which limits: the arena's settings as sandbox values.

It turns settings into the sandbox's mode and `Limits`, and gates every match on the sandbox's
self-test. The sandbox mode is explicit and never silently weaker (docs/sandbox.md): the
unsafe "none" mode is refused unless DEBUG or GAMEARENA_ALLOW_UNSAFE_SANDBOX allows it,
and announced with a warning at every match; the bwrap mode refuses to play while the
sandbox self-test fails, naming what failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from battles.sandbox import Limits, SandboxMode, SelfTestReport, self_test
from gamearena.env import arena_settings

logger = logging.getLogger(__name__)

UNSAFE_WARNING = (
    "UNSAFE SANDBOX: bots run as plain processes (GAMEARENA_SANDBOX=none), isolated only by "
    "rlimits; use it for your own bots only"
)


class SandboxRefusedError(Exception):
    """The configured sandbox may not or cannot run bots; the message says why and what to do."""


def sandbox_mode() -> SandboxMode:
    arena = arena_settings()
    mode = SandboxMode(arena["SANDBOX_MODE"])
    if mode is SandboxMode.NONE and not (settings.DEBUG or arena["ALLOW_UNSAFE_SANDBOX"]):
        raise SandboxRefusedError(
            "GAMEARENA_SANDBOX=none is refused without DEBUG or GAMEARENA_ALLOW_UNSAFE_SANDBOX=1"
        )
    return mode


def bot_interpreter() -> Path:
    return Path(arena_settings()["BOT_PYTHON"])


def match_limits(
    *, first_turn_timeout_ms: int | None = None, turn_timeout_ms: int | None = None
) -> Limits:
    arena = arena_settings()
    return Limits(
        first_answer_ms=first_turn_timeout_ms or arena["FIRST_TURN_TIMEOUT_MS"],
        answer_ms=turn_timeout_ms or arena["TURN_TIMEOUT_MS"],
    )


_self_test_lock = threading.Lock()
_passed_self_test: set[SandboxMode] = set()


def ensure_sandbox_ready(
    mode: SandboxMode, *, announce: Callable[[str], object] = logger.warning
) -> None:
    """Gate every match: bwrap must pass its self-test (once per process); none is announced
    (to the log, or to whatever `announce` writes to: a command's stderr, say)."""
    if mode is SandboxMode.NONE:
        announce(UNSAFE_WARNING)
        return
    with _self_test_lock:
        if mode in _passed_self_test:
            return
        report = self_test(mode)
        if not report.ok:
            raise SandboxRefusedError(refusal_message(report))
        _passed_self_test.add(mode)


def refusal_message(report: SelfTestReport) -> str:
    failed = "; ".join(f"{check.name}: {check.detail}" for check in report.failures)
    return (
        f"the bwrap sandbox failed its self-test, so no match is played ({failed}). "
        "Run `python manage.py sandbox_check` for the full report."
    )
