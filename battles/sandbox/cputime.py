"""The CPU time a bot's process tree used, read without cgroups: the fallback clock of a turn.

Where the bot has a cgroup, :meth:`~battles.sandbox.cgroups.BotCgroup.cpu_ns` is the clock:
the kernel charges every task of the tree to it, those that ended included. Where none can be
had (a rootless runner, plain mode) this module sums, over the *live* process tree, the first
field of every thread's ``/proc/<pid>/task/<tid>/schedstat``: the nanoseconds that thread has
run. ``/proc/<pid>/stat`` is not used: its ticks (10 ms) are too coarse for a 50 ms budget.

What the fallback misses: threads and child processes that ended (and were reaped) during the
turn take their time out of the sum, so a bot that computes in short-lived helpers looks
cheaper than it is. The turn's wall-clock backstop (``Limits.wall_backstop_factor``) still
bounds such a bot, and the sandboxed mode has a cgroup wherever the runner is root.
"""

from __future__ import annotations

import os

__all__ = ["tree_cpu_ns"]

# Bounds the walk against a bot that forks as fast as we read (pids.max or RLIMIT_NPROC bound
# the tree anyway; this only keeps one reading cheap).
_MAX_TASKS = 4096


def tree_cpu_ns(pid: int) -> int | None:
    """CPU nanoseconds run so far by ``pid``'s live threads and descendants; None if ``pid``
    cannot be read at all (gone, or /proc hides it)."""
    total = 0
    readable = False
    seen: set[int] = set()
    todo = [pid]
    tasks = 0
    while todo and tasks < _MAX_TASKS:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            threads = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in threads:
            tasks += 1
            base = f"/proc/{current}/task/{tid}"
            try:
                with open(f"{base}/schedstat", "rb") as stat:
                    total += int(stat.read().split(maxsplit=1)[0])
                readable = True
                with open(f"{base}/children", "rb") as children:
                    todo.extend(int(child) for child in children.read().split())
            except (OSError, ValueError, IndexError):
                continue  # a thread that ended while we read: its time is gone anyway
    return total if readable else None
