"""The canary self-test: attack the sandbox for real and report each layer.

``manage.py sandbox_check`` prints its report, and the runner refuses to play in BWRAP mode
when it fails (docs/sandbox.md §6: fail closed, because "nothing detects" a bwrap that quietly does
not work). It starts three sandboxes and takes well under a second on an idle machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from battles.sandbox.errors import SandboxError
from battles.sandbox.launch import BOT_ENV, uid_of
from battles.sandbox.level import SandboxLevel, sandbox_level
from battles.sandbox.limits import BotProgram, Limits, SandboxMode
from battles.sandbox.process import AnswerStatus, BotProcess

__all__ = ["LayerCheck", "SelfTestReport", "bot_runtime", "self_test"]

CANARY = BotProgram(code_dir=Path(__file__).parent / "canary", entry="canary.py")
RUNTIME_PROBE = BotProgram(code_dir=Path(__file__).parent / "canary", entry="runtime.py")
# What CodinGame's Python offered its players and contest bots import: without it such a bot
# crashes on its first turn with ModuleNotFoundError.
BOT_RUNTIME_PACKAGES = {"numpy": "python3-numpy"}


@dataclass(frozen=True)
class LayerCheck:
    name: str  # filesystem, network, unix_socket, environment, pid_namespace, seccomp, ...
    ok: bool
    detail: str


@dataclass(frozen=True)
class SelfTestReport:
    mode: SandboxMode
    level: SandboxLevel
    checks: tuple[LayerCheck, ...]

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failures(self) -> tuple[LayerCheck, ...]:
        return tuple(check for check in self.checks if not check.ok)


@dataclass
class _Fixtures:
    """What a worker host holds that a bot must not reach, made up for the test."""

    directory: Path
    secret_file: Path
    listener: socket.socket
    unix_listener: socket.socket
    daemon_marker: str

    def targets(self, forks: int) -> dict[str, Any]:
        return {
            "file": str(self.secret_file),
            "port": self.listener.getsockname()[1],
            "unix": str(self.directory / "db.sock"),
            "runner_pid": os.getpid(),
            "forks": forks,
            "daemon_marker": self.daemon_marker,
        }

    def connections(self) -> int:
        """How many connections the bot got through to our listeners (must be 0)."""
        count = 0
        for listener in (self.listener, self.unix_listener):
            with contextlib.suppress(BlockingIOError):
                while True:
                    listener.accept()[0].close()
                    count += 1
        return count


@contextlib.contextmanager
def _fixtures() -> Iterator[_Fixtures]:
    directory = Path(tempfile.mkdtemp(prefix="gamearena-canary-"))
    directory.chmod(0o755)  # world-readable on purpose: only the mount namespace hides it
    secret_file = directory / "secret.txt"
    secret_file.write_text("canary secret\n")
    secret_file.chmod(0o644)
    listener = socket.create_server(("127.0.0.1", 0))
    unix_listener = socket.socket(socket.AF_UNIX)
    try:
        unix_listener.bind(str(directory / "db.sock"))
        (directory / "db.sock").chmod(0o777)
        unix_listener.listen()
        for sock in (listener, unix_listener):
            sock.setblocking(False)
        marker = f"3599.{secrets.randbelow(10**6):06d}"
        yield _Fixtures(directory, secret_file, listener, unix_listener, marker)
    finally:
        listener.close()
        unix_listener.close()
        shutil.rmtree(directory, ignore_errors=True)


def _marker_running(marker: str) -> bool:
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker.encode() in Path(entry.path, "cmdline").read_bytes():
                    return True
    return False


def _blocked(result: list[Any]) -> bool:
    return isinstance(result, list) and result[:1] == [False]


def _attack_checks(
    report: dict[str, Any], fx: _Fixtures, limits: Limits, connections: int
) -> list[LayerCheck]:
    pid1_env = report["pid1_env"]
    pid1_keys = (
        {kv.split("=", 1)[0] for kv in str(pid1_env[1]).split("\0") if kv} if pid1_env[0] else set()
    )
    env_ok = set(report["env"]) <= {*BOT_ENV, "PWD"} and pid1_keys <= {"PATH", "PWD"}
    return [
        LayerCheck("filesystem", _blocked(report["file"]), f"host file: {report['file']}"),
        LayerCheck(
            "network",
            _blocked(report["tcp"]) and connections == 0,
            f"TCP to 127.0.0.1: {report['tcp']}; connections seen: {connections}",
        ),
        LayerCheck("unix_socket", _blocked(report["unix"]), f"socket by path: {report['unix']}"),
        LayerCheck(
            "environment", env_ok, f"bot env {report['env']}; pid 1 env keys {sorted(pid1_keys)}"
        ),
        LayerCheck(
            "pid_namespace",
            _blocked(report["runner"]),
            f"signal 0 to the runner: {report['runner']}",
        ),
        LayerCheck(
            "seccomp",
            report["inet_socket"] == [False, "EACCES"] and report["userns"] == [False, "EPERM"],
            f"socket(AF_INET): {report['inet_socket']}; unshare: {report['userns']}",
        ),
        LayerCheck(
            "process_limit",
            report["forks"] < limits.pids,
            f"{report['forks']} forks succeeded (limit {limits.pids})",
        ),
    ]


def _run_attacks(fx: _Fixtures, limits: Limits, mode: SandboxMode) -> list[LayerCheck]:
    checks = []
    with BotProcess.start(CANARY, limits=limits, mode=mode) as bot:
        uids = uid_of(bot.pid, descendants=True)
        answer = bot.exchange(json.dumps(fx.targets(forks=limits.pids + 16)), 5000)
        if answer.status is not AnswerStatus.OK or answer.line is None:
            return [LayerCheck("canary", False, f"canary did not report: {answer}")]
        report = json.loads(answer.line)
        checks += _attack_checks(report, fx, limits, fx.connections())
        timeout = bot.exchange("sleep", 50)
        checks.append(
            LayerCheck(
                "timeout",
                timeout.status is AnswerStatus.TIMEOUT,
                f"sleeping bot at a 50 ms deadline: {timeout.status.value}",
            )
        )
    checks.append(
        LayerCheck(
            "uid",
            bool(uids) and 0 not in uids,
            f"kernel uids of the sandbox processes: {sorted(uids)}",
        )
    )
    checks.append(
        LayerCheck(
            "daemon_kill",
            not _marker_running(fx.daemon_marker),
            "a setsid daemon is gone after close",
        )
    )
    return checks


def _memory_check(level: SandboxLevel, mode: SandboxMode, base: Limits) -> LayerCheck:
    limits = dataclasses.replace(base, memory_mb=32)
    # Without a memory cgroup the limit is RLIMIT_AS (Limits.address_space_fallback_mb).
    size = 64 if level.cgroup_memory else limits.address_space_fallback_mb + 64
    with BotProcess.start(CANARY, limits=limits, mode=mode) as bot:
        answer = bot.exchange(json.dumps({"memory_mb": size}), 5000)
    return LayerCheck(
        "memory",
        answer.status is AnswerStatus.MEMORY_LIMIT,
        f"{size} MiB hog: {answer.status.value} ({answer.detail}), "
        f"limit by {level.memory_limit_by}",
    )


def self_test(
    mode: SandboxMode = SandboxMode.BWRAP, limits: Limits | None = None
) -> SelfTestReport:
    """Runs the canary attacks in ``mode`` and returns one :class:`LayerCheck` per layer.

    Never raises for a broken sandbox: a sandbox that cannot start is the failed check "start".
    """
    limits = limits or Limits()
    level = sandbox_level(mode, limits)
    try:
        with _fixtures() as fx:
            checks = _run_attacks(fx, limits, mode)
        checks.append(_memory_check(level, mode, limits))
    except SandboxError as exc:
        checks = [LayerCheck("start", False, str(exc))]
    return SelfTestReport(mode, level, tuple(checks))


def bot_runtime(
    mode: SandboxMode = SandboxMode.BWRAP,
    limits: Limits | None = None,
    probe: BotProgram = RUNTIME_PROBE,
) -> LayerCheck:
    """Which Python bots get in ``mode`` and whether it has numpy, asked of a bot in the sandbox
    (so it is the interpreter and the /usr a bot really sees). Fails when numpy is missing."""
    packages = " ".join(BOT_RUNTIME_PACKAGES.values())
    try:
        with BotProcess.start(probe, limits=limits, mode=mode) as bot:
            answer = bot.exchange("which", 10_000)
    except SandboxError as exc:
        return LayerCheck("bot_runtime", False, f"the probe bot could not start: {exc}")
    try:
        found = json.loads(answer.line or "")
        python, numpy = str(found["python"]), found["numpy"]
    except (ValueError, KeyError, TypeError):
        return LayerCheck(
            "bot_runtime", False, f"the probe bot did not answer: {answer.status.value}"
        )
    interpreter = probe.interpreter
    if numpy is None:
        return LayerCheck(
            "bot_runtime",
            False,
            f"{interpreter} {python}, numpy missing: apt-get install {packages}",
        )
    return LayerCheck("bot_runtime", True, f"{interpreter} {python}, numpy {numpy}")
