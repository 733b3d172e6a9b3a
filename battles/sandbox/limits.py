"""What a bot may use, how it is launched, and how it is described: plain typed values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BotProgram", "Limits", "SandboxMode"]

MIB = 1024 * 1024


class SandboxMode(enum.Enum):
    """How bots are isolated. There is no "auto": the caller chooses, and a result always says
    which mode it ran under, so a weaker run can never pass for a sandboxed one."""

    BWRAP = "bwrap"  # namespaces + seccomp + rlimits + seat uid + cgroups where delegated
    NONE = "none"  # plain process + rlimits + seat uid + cleared env; a developer's own bots only


@dataclass(frozen=True)
class Limits:
    """Every limit and knob of one bot process. Defaults and reasons: docs/sandbox.md §4."""

    first_answer_ms: int = 1000  # counted from the moment the first input has been written
    answer_ms: int = 50  # every later answer
    # A turn is judged by the CPU time the bot's process tree used, not by the host's clock;
    # past this many times the turn's budget in wall time it times out whatever its CPU says,
    # so that a bot that sleeps or blocks cannot hold the match.
    wall_backstop_factor: float = 8.0
    max_line_bytes: int = 64 * 1024  # one output line, newline excluded
    stderr_bytes_per_turn: int = 16 * 1024  # kept per exchange; the rest is drained and dropped
    memory_mb: int = 256  # cgroup memory.max (swap 0); RLIMIT_AS fallback without a cgroup
    address_space_fallback_mb: int = 1024  # RLIMIT_AS when no memory cgroup: loose (threads)
    pids: int = 64  # cgroup pids.max, and RLIMIT_NPROC of the seat uid when running as root
    open_files: int = 256  # RLIMIT_NOFILE
    file_size_mb: int = 16  # RLIMIT_FSIZE: per file; the tmpfs sizes bound the total
    cpu_seconds: int = 16  # RLIMIT_CPU soft limit (SIGXCPU); hard = soft + 1 (SIGKILL)
    tmp_mb: int = 32  # size of the private /tmp tmpfs (also the bot's cwd)
    shm_mb: int = 1  # size of the private /dev/shm tmpfs
    wall_seconds: float = 120.0  # whole process lifetime; checked at every exchange
    write_timeout_ms: int = 1000  # how long a bot that does not read its stdin can stall us
    cgroup_parent: str = ""  # cgroup v2 only: a delegated dir for bot cgroups ("" = our own)
    seat_uid_first: int = 61000  # seat uids used when the runner is root: an unused range
    seat_uid_count: int = 1000

    def __post_init__(self) -> None:
        for name in (
            "first_answer_ms",
            "answer_ms",
            "max_line_bytes",
            "memory_mb",
            "pids",
            "open_files",
            "file_size_mb",
            "cpu_seconds",
            "tmp_mb",
            "shm_mb",
            "write_timeout_ms",
            "seat_uid_count",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive")
        if self.wall_backstop_factor < 1:
            raise ValueError("Limits.wall_backstop_factor must be at least 1")
        if self.stderr_bytes_per_turn < 0 or self.wall_seconds <= 0:
            raise ValueError("Limits.stderr_bytes_per_turn and wall_seconds must be >= 0 / > 0")
        if self.seat_uid_first < 1000:
            raise ValueError("Limits.seat_uid_first must be an unprivileged uid (>= 1000)")


@dataclass(frozen=True)
class BotProgram:
    """A bot: a directory of code, the entry file in it, and the runtime that runs it.

    The whole directory is visible (read-only) to the bot, so multi-file bots import their
    sibling modules. Python bots run as ``<interpreter> -E -s -u <entry>``: ``-E -s`` ignore
    PYTHON* variables and user site-packages, ``-u`` unbuffers stdout so a bot that forgets to
    flush still answers. ``-I`` is not used: it drops the script's directory from ``sys.path``.
    The interpreter must live under ``/usr``: only ``/usr`` is mounted in the sandbox.
    """

    code_dir: Path | None
    entry: str = "main.py"
    interpreter: Path = Path("/usr/bin/python3")
    interpreter_args: tuple[str, ...] = field(default=("-E", "-s", "-u"))
    # A one-file bot given as text (stored code, or a file given alone): staged straight into
    # the sandbox as the entry file, with nothing beside it. Exactly one of code_dir / source.
    source: str | None = None

    def __post_init__(self) -> None:
        entry = Path(self.entry)
        if entry.is_absolute() or ".." in entry.parts or (len(entry.parts) != 1 and self.source):
            raise ValueError(f"entry must be a relative path inside code_dir, not {self.entry!r}")
        if not entry.parts:
            raise ValueError("entry must name a file")
        if (self.code_dir is None) == (self.source is None):
            raise ValueError("a BotProgram has either a code_dir or a source, not both")

    @classmethod
    def from_source(
        cls, source: str, *, entry: str = "bot.py", interpreter: Path | None = None
    ) -> BotProgram:
        """A one-file bot from its text: only that file is visible to the bot."""
        if interpreter is None:
            return cls(code_dir=None, entry=entry, source=source)
        return cls(code_dir=None, entry=entry, interpreter=interpreter, source=source)

    @classmethod
    def from_file(cls, path: Path | str) -> BotProgram:
        """A bot made of one file and whatever sits beside it in its directory."""
        path = Path(path).resolve()
        return cls(code_dir=path.parent, entry=path.name)
