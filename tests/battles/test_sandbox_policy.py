"""The arena's settings become sandbox values; bwrap refuses to play while its self-test fails."""

from __future__ import annotations

from typing import Any

import pytest

from battles import sandbox_policy
from battles.sandbox import LayerCheck, SandboxMode, SelfTestReport, sandbox_level


@pytest.fixture(autouse=True)
def forget_passed_self_tests() -> None:
    sandbox_policy._passed_self_test.clear()


def failing_report(mode: SandboxMode) -> SelfTestReport:
    checks = (
        LayerCheck("filesystem", True, "host file: blocked"),
        LayerCheck("network", False, "TCP to 127.0.0.1: connected"),
    )
    return SelfTestReport(mode=mode, level=sandbox_level(mode), checks=checks)


def test_bwrap_refuses_to_play_when_its_self_test_fails_and_names_the_layer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sandbox_policy, "self_test", failing_report)
    with pytest.raises(
        sandbox_policy.SandboxRefusedError, match=r"network: TCP to 127.0.0.1: connected"
    ):
        sandbox_policy.ensure_sandbox_ready(SandboxMode.BWRAP)


def test_a_passed_self_test_is_not_repeated_for_every_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[SandboxMode] = []

    def passing(mode: SandboxMode) -> SelfTestReport:
        calls.append(mode)
        return SelfTestReport(
            mode=mode, level=sandbox_level(mode), checks=(LayerCheck("uid", True, "61000"),)
        )

    monkeypatch.setattr(sandbox_policy, "self_test", passing)
    sandbox_policy.ensure_sandbox_ready(SandboxMode.BWRAP)
    sandbox_policy.ensure_sandbox_ready(SandboxMode.BWRAP)
    assert calls == [SandboxMode.BWRAP]


def test_the_unsafe_mode_is_announced_at_every_match(caplog: pytest.LogCaptureFixture) -> None:
    sandbox_policy.ensure_sandbox_ready(SandboxMode.NONE)
    sandbox_policy.ensure_sandbox_ready(SandboxMode.NONE)
    assert [record.message for record in caplog.records].count(sandbox_policy.UNSAFE_WARNING) == 2


@pytest.mark.parametrize(
    ("debug", "flag", "allowed"), [(True, False, True), (False, True, True), (False, False, False)]
)
def test_the_unsafe_mode_needs_debug_or_the_explicit_flag(
    settings: Any, debug: bool, flag: bool, allowed: bool
) -> None:
    settings.DEBUG = debug
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": flag,
    }
    if allowed:
        assert sandbox_policy.sandbox_mode() is SandboxMode.NONE
    else:
        with pytest.raises(sandbox_policy.SandboxRefusedError):
            sandbox_policy.sandbox_mode()


def test_match_limits_come_from_settings_unless_overridden(settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "FIRST_TURN_TIMEOUT_MS": 900, "TURN_TIMEOUT_MS": 45}
    assert (
        sandbox_policy.match_limits().first_answer_ms,
        sandbox_policy.match_limits().answer_ms,
    ) == (900, 45)
    overridden = sandbox_policy.match_limits(first_turn_timeout_ms=2000, turn_timeout_ms=100)
    assert (overridden.first_answer_ms, overridden.answer_ms) == (2000, 100)
