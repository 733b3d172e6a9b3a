"""Per-bot cgroups where the host lets us create them: memory, pids, whole-tree kill, and the
CPU time of the whole tree (the clock that judges a turn, see process.py).

Handles both layouts met in practice:

- cgroup v2 only (``/sys/fs/cgroup`` is cgroup2): one directory under our own cgroup, or under
  ``Limits.cgroup_parent`` when set. Memory and pids limits need those controllers enabled in
  that parent's ``cgroup.subtree_control``; we never enable them ourselves. A cgroup that holds
  processes cannot enable them (v2's "no internal processes" rule), so a systemd service with
  ``Delegate=yes`` moves its own processes into a leaf (e.g. ``…/runner``), writes
  ``+memory +pids`` into its ``cgroup.subtree_control``, creates ``…/bots`` with the same, and
  sets ``cgroup_parent`` to ``…/bots``. ``cgroup.kill`` and the CPU usage in ``cpu.stat`` need
  no controller. (The project's VMs are hybrid, so this v2-parent path is not exercised by the
  test suite there.)
- hybrid (this project's dev and CI VMs): memory and pids in cgroup v1, plus a v2 directory in
  the unified tree for ``cgroup.kill`` and ``cpu.stat``. Without a usable v2 tree, v1
  ``cpuacct`` accounts the CPU instead.

Each bot's directory is created under the runner's *own* cgroup, so whatever limit the host put
on the runner still applies above it. Nothing here raises for a missing controller: a layer
that cannot be had is simply absent, and :func:`cgroup_support` reports what is there.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BotCgroup", "CgroupSupport", "cgroup_support"]

_ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()


@dataclass(frozen=True)
class _Hierarchy:
    path: Path  # the runner's own cgroup directory in this hierarchy
    v2: bool
    controllers: frozenset[str]  # what a child directory created here can limit
    kill: bool = False  # a child directory has cgroup.kill (v2, kernel >= 5.14)
    cpu: bool = False  # a child directory accounts its CPU time (v2 cpu.stat, v1 cpuacct)


@dataclass(frozen=True)
class CgroupSupport:
    memory: bool
    pids: bool
    kill: bool  # v2 cgroup.kill: the whole tree in one write, daemons included
    cpu: bool = False  # the CPU time of the whole tree, children that ended included

    @property
    def any(self) -> bool:
        return self.memory or self.pids or self.kill or self.cpu


def _hierarchies(parent: str) -> list[_Hierarchy]:
    found = []
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        _, controllers, rel = line.split(":", 2)
        rel = rel.lstrip("/")
        if controllers == "":
            base = _ROOT if (_ROOT / "cgroup.controllers").exists() else _ROOT / "unified"
            own = Path(parent) if parent else base / rel
            try:
                enabled = frozenset((own / "cgroup.subtree_control").read_text().split())
            except OSError:
                continue
            found.append(_Hierarchy(own, True, enabled & {"memory", "pids"}))
        else:
            names = frozenset(controllers.split(",")) & {"memory", "pids", "cpuacct"}
            if names:
                found.append(_Hierarchy(_ROOT / controllers / rel, False, names))
    return found


def _probe(hierarchy: _Hierarchy) -> _Hierarchy | None:
    """The hierarchy if we may create child cgroups in it (and whether they have cgroup.kill:
    the root cgroup has none, so only a child can tell)."""
    probe = hierarchy.path / f"gamearena-probe-{os.getpid()}-{next(_counter)}"
    try:
        probe.mkdir()
    except OSError:
        return None
    kill = hierarchy.v2 and (probe / "cgroup.kill").exists()
    cpu = (probe / ("cpu.stat" if hierarchy.v2 else "cpuacct.usage")).exists()
    with contextlib.suppress(OSError):
        probe.rmdir()
    return dataclasses.replace(hierarchy, kill=kill, cpu=cpu)


@functools.cache
def _usable(parent: str) -> tuple[_Hierarchy, ...]:
    usable = [h for h in map(_probe, _hierarchies(parent)) if h is not None]
    if any(h.v2 and h.cpu for h in usable):
        # v2's cpu.stat already counts the tree: a v1 cpuacct directory would only cost a
        # mkdir, a join and an rmdir per bot.
        usable = [h if h.v2 else _without_cpuacct(h) for h in usable]
    return tuple(h for h in usable if h.v2 or h.controllers)


def _without_cpuacct(h: _Hierarchy) -> _Hierarchy:
    return dataclasses.replace(h, controllers=h.controllers - {"cpuacct"}, cpu=False)


def cgroup_support(parent: str = "") -> CgroupSupport:
    """What per-bot cgroups can do on this host, for this process (probed once, cached).

    ``parent`` is ``Limits.cgroup_parent``: a delegated cgroup v2 directory, or "" for the
    runner's own cgroup.
    """
    usable = _usable(parent)
    return CgroupSupport(
        memory=any("memory" in h.controllers for h in usable),
        pids=any("pids" in h.controllers for h in usable),
        kill=any(h.kill for h in usable),
        cpu=any(h.cpu for h in usable),
    )


class BotCgroup:
    """The cgroup directories of one bot process: created, limited, joined before exec (by the
    launch wrapper writing its own pid to :attr:`procs_files`), killed and removed."""

    def __init__(self, *, memory_bytes: int, pids: int, parent: str = "") -> None:
        self.dirs: list[tuple[_Hierarchy, Path]] = []
        self._cpu_fd: int | None = None  # opened on first use; -1: no CPU accounting
        self._cpu_v2 = False
        name = f"gamearena-{os.getpid()}-{next(_counter)}"
        try:
            for hierarchy in _usable(parent):
                directory = hierarchy.path / name
                directory.mkdir()
                self.dirs.append((hierarchy, directory))
                self._limit(hierarchy, directory, memory_bytes, pids)
        except OSError:
            self.remove()
            raise

    @staticmethod
    def _limit(h: _Hierarchy, d: Path, memory_bytes: int, pids: int) -> None:
        if "memory" in h.controllers:
            if h.v2:
                (d / "memory.max").write_text(str(memory_bytes))
                if (d / "memory.swap.max").exists():
                    (d / "memory.swap.max").write_text("0")
            else:
                (d / "memory.limit_in_bytes").write_text(str(memory_bytes))
                if (d / "memory.memsw.limit_in_bytes").exists():
                    (d / "memory.memsw.limit_in_bytes").write_text(str(memory_bytes))
        if "pids" in h.controllers:
            (d / "pids.max").write_text(str(pids))

    @property
    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for _, d in self.dirs]

    def oom_kills(self) -> int:
        """How many processes of this bot the kernel killed for memory (v2 memory.events,
        v1 memory.oom_control): the reliable memory-limit verdict."""
        total = 0
        for h, d in self.dirs:
            if "memory" not in h.controllers:
                continue
            name = "memory.events" if h.v2 else "memory.oom_control"
            with contextlib.suppress(OSError, ValueError):
                for line in (d / name).read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        total += int(value)
        return total

    def cpu_ns(self) -> int | None:
        """CPU time used so far by every process that ever ran in this bot's cgroup, in ns.

        The kernel charges a task's time to its cgroup as it runs and keeps the total after
        the task ends, so a bot's helper processes count even once reaped. None when no
        directory of this bot accounts CPU. Read twice a turn: the file stays open and is
        re-read from offset 0 (a few microseconds, against ~70 for an open and a read).
        """
        if self._cpu_fd is None:
            self._cpu_fd, self._cpu_v2 = self._open_cpu()
        if self._cpu_fd < 0:
            return None
        try:
            text = os.pread(self._cpu_fd, 4096, 0)
            if not self._cpu_v2:
                return int(text)
            for line in text.splitlines():
                key, _, value = line.partition(b" ")
                if key == b"usage_usec":
                    return int(value) * 1000
        except (OSError, ValueError):
            pass
        return None

    def _open_cpu(self) -> tuple[int, bool]:
        for h, d in self.dirs:
            if h.cpu:
                with contextlib.suppress(OSError):
                    name = "cpu.stat" if h.v2 else "cpuacct.usage"
                    return os.open(d / name, os.O_RDONLY | os.O_CLOEXEC), h.v2
        return -1, False

    def pids(self) -> set[int]:
        found: set[int] = set()
        for _, d in self.dirs:
            with contextlib.suppress(OSError, ValueError):
                found.update(int(p) for p in (d / "cgroup.procs").read_text().split())
        return found

    def kill(self) -> None:
        """Kill every process in the bot's cgroups, daemons that left its session included."""
        for h, d in self.dirs:
            if h.kill:
                with contextlib.suppress(OSError):
                    (d / "cgroup.kill").write_text("1")
        # v1 has no cgroup.kill: signal what is listed until nothing is (bounded; pids.max caps
        # how many there can be, and a fork racing us shows up on the next pass).
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)

    def remove(self) -> None:
        """rmdir every directory; a dying process can hold one for a moment, hence the retries."""
        if self._cpu_fd is not None and self._cpu_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._cpu_fd)
        self._cpu_fd = None
        for _, d in reversed(self.dirs):
            for _ in range(100):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.005)
        self.dirs = []
