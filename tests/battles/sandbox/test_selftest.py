"""The canary self-test that ``manage.py sandbox_check`` prints and the runner relies on."""

from __future__ import annotations

import pytest

from battles.sandbox import SandboxMode, self_test

LAYERS = {
    "filesystem",
    "network",
    "unix_socket",
    "environment",
    "pid_namespace",
    "seccomp",
    "process_limit",
    "timeout",
    "uid",
    "daemon_kill",
    "memory",
}


@pytest.mark.bwrap
def test_the_self_test_passes_every_layer_in_bwrap_mode() -> None:
    report = self_test(SandboxMode.BWRAP)
    assert {check.name for check in report.checks} == LAYERS
    assert report.failures == ()
    assert report.ok
    assert report.level.mode is SandboxMode.BWRAP


def test_the_self_test_fails_in_none_mode_and_names_the_open_layers() -> None:
    report = self_test(SandboxMode.NONE)
    assert not report.ok
    failed = {check.name for check in report.failures}
    assert {"filesystem", "network", "unix_socket", "seccomp"} <= failed
