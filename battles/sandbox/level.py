"""Which isolation layers a bot process gets on this host, as a typed value."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

from battles.sandbox.cgroups import cgroup_support
from battles.sandbox.launch import SANDBOX_PATH
from battles.sandbox.limits import Limits, SandboxMode
from battles.sandbox.seccomp import seccomp_supported

__all__ = ["SandboxLevel", "sandbox_level"]


@dataclass(frozen=True)
class SandboxLevel:
    """The layers in force for bots started in ``mode`` by this process.

    ``str(level)`` is the short label stored on every match, e.g.
    ``"bwrap+seccomp+rlimits+uid+cgroup(memory,pids,kill)"`` or
    ``"bwrap+seccomp+rlimits+uid, no cgroup: memory by RLIMIT_AS"``.
    """

    mode: SandboxMode
    bwrap_version: str | None  # None: bubblewrap is not installed or does not run
    namespaces: bool  # mount, pid, net, ipc, uts, cgroup and user namespaces (bwrap)
    seccomp: bool  # the deny-list of seccomp.py
    rlimits: bool  # nofile, fsize, core, cpu, nproc
    seat_uid: bool  # runner is root: each bot gets its own unprivileged uid before bwrap
    unprivileged: bool  # the bot's kernel uid is not 0
    nproc: bool  # RLIMIT_NPROC is exact: a dedicated seat uid (rootless: shared, approximate)
    cgroup_memory: bool
    cgroup_pids: bool
    cgroup_kill: bool

    @property
    def usable(self) -> bool:
        """Whether bots can be started at all in this mode."""
        return self.mode is SandboxMode.NONE or self.bwrap_version is not None

    @property
    def memory_limit_by(self) -> str:
        return "cgroup" if self.cgroup_memory else "RLIMIT_AS"

    @property
    def degraded(self) -> tuple[str, ...]:
        """Every missing layer, in words; empty when the full recommended stack is in force."""
        missing = []
        if self.mode is SandboxMode.NONE:
            missing.append("no isolation: bots see the host's files, network and processes")
        elif self.bwrap_version is None:
            missing.append("bubblewrap is not available: bots cannot be started")
        if self.mode is SandboxMode.BWRAP and not self.seccomp:
            missing.append("no seccomp filter for this architecture")
        if not self.unprivileged:
            missing.append("bots keep the runner's uid 0")
        if not self.nproc and not self.cgroup_pids:
            missing.append(
                "approximate process-count limit: RLIMIT_NPROC shared with the "
                "runner's uid (no seat uid, no pids cgroup)"
            )
        if not self.cgroup_memory:
            missing.append("no memory cgroup: memory limited by RLIMIT_AS")
        if not self.cgroup_kill and self.mode is SandboxMode.NONE:
            missing.append("no cgroup.kill: a daemonised bot process can outlive its match")
        return tuple(missing)

    @property
    def label(self) -> str:
        head = ["bwrap" if self.mode is SandboxMode.BWRAP else "none"]
        if self.mode is SandboxMode.BWRAP and self.seccomp:
            head.append("seccomp")
        head.append("rlimits")
        if self.unprivileged:
            head.append("uid")
        cgroups = [
            n
            for n, on in (
                ("memory", self.cgroup_memory),
                ("pids", self.cgroup_pids),
                ("kill", self.cgroup_kill),
            )
            if on
        ]
        if cgroups:
            head.append(f"cgroup({','.join(cgroups)})")
        text = "+".join(head)
        if not self.cgroup_memory:
            text += ", no cgroup: memory by RLIMIT_AS"
        if self.mode is SandboxMode.NONE:
            text += " (UNSAFE: no isolation)"
        return text

    def __str__(self) -> str:
        return self.label


@functools.cache
def _bwrap_version() -> str | None:
    path = shutil.which("bwrap", path=SANDBOX_PATH)
    if path is None:
        return None
    try:
        done = subprocess.run(
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=5,
            env={"PATH": "/usr/bin:/bin"},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def sandbox_level(mode: SandboxMode, limits: Limits | None = None) -> SandboxLevel:
    """What bots started in ``mode`` get here. Cheap after the first call (probes are cached).

    Pass the match's ``limits`` when ``Limits.cgroup_parent`` is set: it decides the cgroups.

    It reports what is *configured*; :func:`~battles.sandbox.self_test` proves it by attacking.
    """
    root = os.geteuid() == 0
    cgroups = cgroup_support((limits or Limits()).cgroup_parent)
    bwrap = mode is SandboxMode.BWRAP
    return SandboxLevel(
        mode=mode,
        bwrap_version=_bwrap_version() if bwrap else None,
        namespaces=bwrap and _bwrap_version() is not None,
        seccomp=bwrap and seccomp_supported(),
        rlimits=True,
        seat_uid=root,
        unprivileged=True,  # root runners switch to a seat uid; others are not uid 0
        nproc=root,
        cgroup_memory=bwrap and cgroups.memory,
        cgroup_pids=bwrap and cgroups.pids,
        cgroup_kill=bwrap and cgroups.kill,
    )
