"""A running bot and the referee's side of its line protocol.

No threads and no blocking reads: the pipes are non-blocking and one ``poll`` waits on the
bot's stdout, its stderr, its stdin (while input is pending) and a pidfd that becomes readable
when the process ends. EOF on stdout is not used to detect death: under bwrap, bwrap's own
processes hold the pipe open, so death is the process exit, seen through the pidfd.

A turn is judged by the bot's own time, not the host's: on a loaded host a bot that needs 10 ms
of CPU can wait 50 to 100 ms in the run queue, and judging that by wall time made games depend
on what else the host was doing. So a turn times out only when the bot is over its budget on
both clocks, the CPU time its whole process tree used since its input was written and the wall
time, or when the wall time reaches a backstop of ``Limits.wall_backstop_factor`` times the
budget (a bot that sleeps or blocks uses no CPU). Within the budget in wall time a bot is never
late, whatever its threads used. The CPU clock is the bot's cgroup where it has one, else the
schedstat sum of its live process tree (see cputime.py).
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from battles.sandbox.cgroups import BotCgroup, cgroup_support
from battles.sandbox.cputime import tree_cpu_ns
from battles.sandbox.errors import SandboxError
from battles.sandbox.launch import (
    BOT_ENV,
    CGROUP_ATTACH,
    LAUNCH_ENV,
    SeatUid,
    bwrap_argv,
    kill_uid,
    nproc_budget,
    prlimit_argv,
    stage_code,
)
from battles.sandbox.level import SandboxLevel, sandbox_level
from battles.sandbox.limits import MIB, BotProgram, Limits, SandboxMode
from battles.sandbox.seccomp import seccomp_program

__all__ = ["Answer", "AnswerStatus", "BotProcess", "Transport"]

_CHUNK = 65536
_START_TIMEOUT_S = 10.0  # bwrap sets a sandbox up in ~10 ms; this only bounds a hung launch
_REAP_TIMEOUT_S = 10.0


class AnswerStatus(enum.Enum):
    """What became of one turn. Every bot fault is one of these, never an exception."""

    OK = "ok"
    TIMEOUT = "timeout"  # no complete line before the deadline (or input never read)
    CRASHED = "crashed"  # the process ended (exit code or signal in the Answer)
    OUTPUT_TOO_LONG = "output_too_long"  # a line longer than Limits.max_line_bytes
    NOT_UTF8 = "not_utf8"  # a line that is not valid UTF-8
    MEMORY_LIMIT = "memory_limit"  # the process ended for memory (``detail`` says how we know)


@dataclass(frozen=True)
class Answer:
    """One turn's result. ``line`` is set only for OK (no newline, no trailing CR).

    ``elapsed_ms`` is the wall time from the moment the turn's input was fully written;
    ``cpu_ms`` the CPU time the bot's process tree used over the same span (None where it
    cannot be measured, e.g. a scripted transport). ``stderr`` is what
    the bot wrote to stderr during this exchange, capped (bot-controlled text: escape it before
    showing it). After a fault the process has been stopped; later exchanges repeat the status.
    """

    status: AnswerStatus
    line: str | None = None
    elapsed_ms: float = 0.0
    stderr: str = ""
    detail: str = ""
    exit_code: int | None = None
    signal: int | None = None
    cpu_ms: float | None = None


class Transport(Protocol):
    """What a referee loop talks to: a real :class:`BotProcess` or a scripted fake."""

    def exchange(self, text: str, timeout_ms: int) -> Answer: ...

    def close(self) -> None: ...


@dataclass
class _Resources:
    """Everything a launch holds, released in one place whatever happened."""

    staging: Path | None = None
    seat: SeatUid | None = None
    cgroup: BotCgroup | None = None
    fds: list[int] | None = None

    def release(self) -> None:
        for fd in self.fds or []:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = []
        if self.cgroup is not None:
            self.cgroup.kill()
            self.cgroup.remove()
        if self.seat is not None:
            _kill_seat(self.seat.uid)
            self.seat.release()
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging = self.seat = self.cgroup = None


def _kill_seat(uid: int) -> None:
    # A dying process can fork once more between scans; a few passes settle it.
    for _ in range(50):
        if kill_uid(uid) == 0:
            return
        time.sleep(0.002)


class BotProcess:
    """One bot for one match: started once, asked once per turn, killed and reaped at the end.

    Use it as a context manager (or call :meth:`close` in a ``finally``): close kills the whole
    process tree, reaps it, and removes its cgroups, seat uid lock and staged code.

    One thread drives one BotProcess (the referee loop); it starts no threads of its own. The
    wall-clock cap (``Limits.wall_seconds``) is checked at each exchange, so a referee that
    stops asking must still close the process, which the context manager guarantees.
    """

    def __init__(
        self,
        popen: subprocess.Popen[bytes],
        *,
        limits: Limits,
        level: SandboxLevel,
        resources: _Resources,
        status_fd: int | None,
    ) -> None:
        self.level = level
        self._popen = popen
        self._limits = limits
        self._resources = resources
        self._status_fd = status_fd
        self._status_data = b""
        self._sandbox_pidfd: int | None = None
        self._started_at = time.monotonic()
        cgroup = resources.cgroup
        self._cgroup_clock = cgroup is not None and cgroup.cpu_ns() is not None
        assert popen.stdin is not None
        assert popen.stdout is not None
        assert popen.stderr is not None
        self._in, self._out, self._err = (
            popen.stdin.fileno(),
            popen.stdout.fileno(),
            popen.stderr.fileno(),
        )
        for fd in (self._in, self._out, self._err):
            os.set_blocking(fd, False)
        self._pidfd = os.pidfd_open(popen.pid)
        self._poll = select.poll()
        self._watched: set[int] = set()
        self._watch(self._err, select.POLLIN, True)
        self._watch(self._pidfd, select.POLLIN, True)
        self._stdin_open = True
        self._stdout_open = True
        self._outbox = bytearray()
        self._buffer = bytearray()
        self._stderr = bytearray()
        self._stderr_dropped = 0
        self._ended: Answer | None = None
        self._closed = False

    # -- starting ---------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        program: BotProgram,
        *,
        limits: Limits | None = None,
        mode: SandboxMode = SandboxMode.BWRAP,
    ) -> BotProcess:
        """Launches ``program`` in ``mode``; raises :class:`SandboxError` if that cannot be done.

        Returns once bwrap reports the sandbox set up (BWRAP mode), so a bwrap that cannot
        create namespaces on this host is an infrastructure error here, never a bot "crash".
        """
        limits = limits or Limits()
        # The program's own faults first: they hold on any host, with or without bubblewrap.
        if not program.interpreter.is_file():
            raise SandboxError(
                f"bot interpreter {program.interpreter} does not exist", permanent=True
            )
        if mode is SandboxMode.BWRAP and not str(program.interpreter).startswith("/usr/"):
            raise SandboxError(
                f"bot interpreter {program.interpreter} is not under /usr, the only "
                "host directory mounted in the sandbox",
                permanent=True,
            )
        level = sandbox_level(mode, limits)
        if not level.usable:
            raise SandboxError(
                "bubblewrap (bwrap) is not installed or does not run here; install "
                "the 'bubblewrap' package, or choose SandboxMode.NONE explicitly",
                permanent=True,
            )
        resources = _Resources(fds=[])
        try:
            resources.staging = stage_code(program)
            if os.geteuid() == 0:
                resources.seat = SeatUid(limits)
            if mode is SandboxMode.BWRAP:
                return cls._start_bwrap(program, limits, level, resources)
            return cls._start_plain(program, limits, level, resources)
        except BaseException:
            resources.release()
            raise

    @classmethod
    def _start_bwrap(
        cls, program: BotProgram, limits: Limits, level: SandboxLevel, resources: _Resources
    ) -> BotProcess:
        assert resources.staging is not None
        assert resources.fds is not None
        if cgroup_support(limits.cgroup_parent).any:
            try:
                resources.cgroup = BotCgroup(
                    memory_bytes=limits.memory_mb * MIB,
                    pids=limits.pids,
                    parent=limits.cgroup_parent,
                )
            except OSError as exc:
                raise SandboxError(f"cannot create the bot's cgroup: {exc}") from exc
        seccomp_fd = None
        if level.seccomp:
            # bwrap reads the program to EOF, so every launch gets a fresh, rewound copy.
            seccomp_fd = os.memfd_create("gamearena-seccomp", 0)
            resources.fds.append(seccomp_fd)
            os.write(seccomp_fd, seccomp_program())
            os.lseek(seccomp_fd, 0, os.SEEK_SET)
        status_read, status_write = os.pipe()
        resources.fds += [status_read, status_write]
        argv = cls._wrappers(limits, resources, bwrap=True)
        argv += bwrap_argv(program, resources.staging, limits, seccomp_fd)
        at = argv.index("bwrap") + 1
        argv[at:at] = ["--json-status-fd", str(status_write)]
        passed = tuple(fd for fd in (seccomp_fd, status_write) if fd is not None)
        # cwd "/": a shell in the chain exports PWD, which the bot can read in /proc/1/environ.
        popen = cls._spawn(argv, Path("/"), passed, LAUNCH_ENV)
        resources.fds.remove(status_read)
        for fd in passed:  # the child has its copies; ours would keep the status pipe open
            resources.fds.remove(fd)
            os.close(fd)
        process = cls(popen, limits=limits, level=level, resources=resources, status_fd=status_read)
        process._await_sandbox()
        return process

    @classmethod
    def _start_plain(
        cls, program: BotProgram, limits: Limits, level: SandboxLevel, resources: _Resources
    ) -> BotProcess:
        assert resources.staging is not None
        work = resources.staging / "work"
        work.mkdir(mode=0o700)
        if resources.seat is not None:
            os.chown(work, resources.seat.uid, resources.seat.uid)
        argv = cls._wrappers(limits, resources, bwrap=False)
        argv += [
            str(program.interpreter),
            *program.interpreter_args,
            str(resources.staging / "bot" / program.entry),
        ]
        env = {**BOT_ENV, "HOME": str(work)}
        popen = cls._spawn(argv, work, (), env)
        return cls(popen, limits=limits, level=level, resources=resources, status_fd=None)

    @staticmethod
    def _wrappers(limits: Limits, resources: _Resources, *, bwrap: bool) -> list[str]:
        argv: list[str] = []
        if resources.cgroup is not None and resources.cgroup.procs_files:
            argv += ["/bin/sh", "-c", CGROUP_ATTACH, "sh", *resources.cgroup.procs_files, "--"]
        if resources.seat is not None:
            uid = str(resources.seat.uid)
            argv += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
        memory_cgroup = bwrap and cgroup_support(limits.cgroup_parent).memory
        argv += prlimit_argv(
            limits,
            nproc=nproc_budget(limits, seat=resources.seat is not None),
            address_space=not memory_cgroup,
        )
        return argv

    @staticmethod
    def _spawn(
        argv: list[str], cwd: Path, pass_fds: tuple[int, ...], env: dict[str, str]
    ) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=cwd,
                close_fds=True,
                pass_fds=pass_fds,
                process_group=0,  # killpg reaches every wrapper and bwrap's monitor
            )
        except OSError as exc:
            raise SandboxError(f"cannot launch the bot ({argv[0]}): {exc}") from exc

    def _await_sandbox(self) -> None:
        """Waits for bwrap's ``child-pid`` status line, proof that the namespaces exist."""
        assert self._status_fd is not None
        deadline = time.monotonic() + _START_TIMEOUT_S
        data = b""
        # The first status line, {"child-pid": N, ...}\n, is written once the namespaces exist.
        while b"child-pid" not in data or b"\n" not in data[data.find(b"child-pid") :]:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._status_fd], [], [], max(remaining, 0))
            chunk = os.read(self._status_fd, _CHUNK) if ready else b""
            if not chunk:
                error = self._launch_error(timed_out=not ready)
                self.close()
                raise SandboxError(error)
            data += chunk
        os.set_blocking(self._status_fd, False)
        self._status_data = data
        self._sandbox_pidfd = self._open_sandbox_init(data)

    @staticmethod
    def _open_sandbox_init(status: bytes) -> int | None:
        """A pidfd on the sandbox's pid 1 (bwrap's init), whose exit ends the pid namespace.

        Killing bwrap's monitor only reaches pid 1 through --die-with-parent, asynchronously;
        holding pid 1 itself lets close() kill it directly and wait until the namespace, and so
        every process in it (setsid daemons included), is gone, with or without cgroups.
        """
        for line in status.splitlines():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                child = int(json.loads(line)["child-pid"])
                with contextlib.suppress(ProcessLookupError):
                    return os.pidfd_open(child)
        return None

    def _launch_error(self, *, timed_out: bool) -> str:
        if timed_out:
            return f"bwrap did not set the sandbox up within {_START_TIMEOUT_S:.0f} s"
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._popen.wait(timeout=1)
        self._drain(self._err, self._keep_stderr)
        message = bytes(self._stderr).decode(errors="replace").strip()
        return f"bwrap could not start the sandbox: {message or 'no message'}"

    # -- talking ----------------------------------------------------------------------------

    @property
    def pid(self) -> int:
        """The host pid of the launch chain (bwrap's monitor in BWRAP mode)."""
        return self._popen.pid

    def exchange(self, text: str, timeout_ms: int) -> Answer:
        """Writes ``text`` (a newline is added if missing) and reads exactly one line.

        ``timeout_ms`` is the turn's budget, counted from the moment the input has been fully
        written and judged on both clocks (see the module's docstring); a bot that does not
        read its input gets ``Limits.write_timeout_ms`` of wall time to do so. Lines the bot
        wrote ahead stay buffered for later turns, as on CodinGame.
        """
        if self._ended is not None:
            return replace(
                self._ended,
                line=None,
                elapsed_ms=0.0,
                cpu_ms=None,
                stderr="",
                detail=f"process already stopped: {self._ended.detail}",
            )
        started = time.monotonic()
        self._stderr.clear()
        self._stderr_dropped = 0
        if started - self._started_at > self._limits.wall_seconds:
            return self._fault(
                AnswerStatus.TIMEOUT,
                0.0,
                f"process wall-clock cap of {self._limits.wall_seconds:g} s reached",
            )
        data = text.encode()
        self._outbox += data if data.endswith(b"\n") else data + b"\n"
        return self._await_answer(started, timeout_ms)

    def _cpu_ns(self) -> int | None:
        """The bot's CPU clock: its cgroup's usage, else its live process tree's schedstat."""
        cgroup = self._resources.cgroup
        if self._cgroup_clock and cgroup is not None:
            return cgroup.cpu_ns()
        return tree_cpu_ns(self._popen.pid)

    def _await_answer(self, started: float, timeout_ms: int) -> Answer:
        written_at: float | None = None
        cpu_at_write: int | None = None
        backstop_ms = timeout_ms * self._limits.wall_backstop_factor
        exited = False
        while True:
            if written_at is None:
                # Both clocks are read *before* the write that empties the outbox: on a busy
                # machine that write can wake the bot, which may answer before os.write even
                # returns; reading them after it would under-count the bot's time.
                before_write = time.monotonic()
                cpu_before = self._cpu_ns()
                self._write()
                if not self._outbox:
                    written_at, cpu_at_write = before_write, cpu_before
            now = time.monotonic()
            if written_at is None:
                elapsed_ms, cpu_ms = (now - started) * 1000, None
            else:
                elapsed_ms = (now - written_at) * 1000
                cpu_ms = self._cpu_ms_since(cpu_at_write)
                answer = self._take_line(elapsed_ms, cpu_ms)
                if answer is not None:
                    return self._judged(answer, timeout_ms, backstop_ms)
            if exited:
                return self._death(elapsed_ms, cpu_ms)
            if written_at is None:
                if elapsed_ms >= self._limits.write_timeout_ms:
                    what = f"input not read within {self._limits.write_timeout_ms} ms"
                    return self._fault(AnswerStatus.TIMEOUT, elapsed_ms, what)
                wait_ms = self._limits.write_timeout_ms - elapsed_ms
            else:
                late = self._lateness(elapsed_ms, cpu_ms, timeout_ms, backstop_ms)
                if late is not None:
                    return self._fault(AnswerStatus.TIMEOUT, elapsed_ms, late, cpu_ms=cpu_ms)
                wait_ms = self._wait_ms(elapsed_ms, cpu_ms, timeout_ms, backstop_ms)
            exited = self._wait_events(wait_ms / 1000)

    def _cpu_ms_since(self, baseline: int | None) -> float | None:
        if baseline is None:
            return None
        now = self._cpu_ns()
        # The schedstat fallback can go down when a thread ends: never a negative figure.
        return None if now is None else max(now - baseline, 0) / 1e6

    @staticmethod
    def _lateness(
        elapsed_ms: float, cpu_ms: float | None, timeout_ms: int, backstop_ms: float
    ) -> str | None:
        """Why the turn is over, or None while the bot may still answer."""
        if elapsed_ms >= backstop_ms:
            used = "" if cpu_ms is None else f", with {cpu_ms:.0f} ms of CPU used"
            return f"wall-clock backstop of {backstop_ms:.0f} ms ran out{used}"
        if elapsed_ms < timeout_ms:
            return None
        if cpu_ms is None:
            return f"wall clock ran out (CPU time not measurable) after {elapsed_ms:.0f} ms"
        if cpu_ms >= timeout_ms:
            return f"CPU budget ran out: {cpu_ms:.0f} ms of CPU in {elapsed_ms:.0f} ms"
        return None

    @staticmethod
    def _wait_ms(
        elapsed_ms: float, cpu_ms: float | None, timeout_ms: int, backstop_ms: float
    ) -> float:
        """How long the next poll may sleep without missing the end of the turn."""
        if elapsed_ms < timeout_ms:
            return timeout_ms - elapsed_ms
        # Past the wall budget only the CPU budget and the backstop are left. A thread gains
        # CPU time no faster than wall time, so the CPU left is a safe wait for a one-threaded
        # bot; a bot running threads on several cores is noticed that much later at worst, and
        # its answer is still judged by the CPU it used (see _judged).
        left = backstop_ms - elapsed_ms
        if cpu_ms is not None:
            left = min(left, timeout_ms - cpu_ms)
        return max(left, 1.0)

    def _judged(self, answer: Answer, timeout_ms: int, backstop_ms: float) -> Answer:
        """An answer read from the pipe, or a timeout if it came too late on both clocks."""
        if answer.status is not AnswerStatus.OK:
            return answer
        late = self._lateness(answer.elapsed_ms, answer.cpu_ms, timeout_ms, backstop_ms)
        if late is None:
            return answer
        return self._fault(
            AnswerStatus.TIMEOUT,
            answer.elapsed_ms,
            f"answered too late: {late}",
            cpu_ms=answer.cpu_ms,
        )

    def _wait_events(self, seconds: float) -> bool:
        """One poll; returns True once the process has ended (all its output drained)."""
        self._watch(self._in, select.POLLOUT, bool(self._outbox) and self._stdin_open)
        # A full buffer is not read further: either it holds a line (taken once the input is
        # written) or it is already too long. This bounds our memory against any flood.
        room = len(self._buffer) <= self._limits.max_line_bytes + 1
        self._watch(self._out, select.POLLIN, self._stdout_open and room)
        # Round up: poll's timeout is whole milliseconds and a 0 would spin until the deadline.
        events = self._poll.poll(max(1, int(seconds * 1000 + 0.999)))
        exited = False
        for fd, mask in events:
            if fd == self._out:
                self._read_stdout()
            elif fd == self._err and self._drain(self._err, self._keep_stderr):
                self._watch(self._err, select.POLLIN, False)  # closed: stop polling, no spin
            elif fd == self._in and mask & (select.POLLERR | select.POLLHUP):
                self._stdin_closed()
            elif fd == self._pidfd:
                exited = True
        if exited:
            self._drain(self._out, self._buffer.extend)
            self._drain(self._err, self._keep_stderr)
        return exited

    def _watch(self, fd: int, events: int, wanted: bool) -> None:
        """(Un)registers ``fd`` with the poll object, only when that changes."""
        if wanted and fd not in self._watched:
            self._poll.register(fd, events)
            self._watched.add(fd)
        elif not wanted and fd in self._watched:
            self._poll.unregister(fd)
            self._watched.discard(fd)

    def _write(self) -> None:
        if not self._stdin_open:
            self._outbox.clear()  # nobody will ever read it; the bot may still answer
            return
        try:
            while self._outbox:
                written = os.write(self._in, self._outbox[:_CHUNK])
                del self._outbox[:written]
        except BlockingIOError:
            pass  # the pipe is full: poll for POLLOUT
        except BrokenPipeError:
            self._stdin_closed()

    def _stdin_closed(self) -> None:
        self._stdin_open = False
        self._outbox.clear()
        self._watch(self._in, select.POLLOUT, False)

    def _read_stdout(self) -> None:
        try:
            chunk = os.read(self._out, _CHUNK)
        except BlockingIOError:
            return
        if chunk:
            self._buffer += chunk
        else:  # EOF: only possible outside bwrap; the pidfd will tell when it has ended
            self._stdout_open = False
            self._watch(self._out, select.POLLIN, False)

    def _drain(self, fd: int, sink: _Sink) -> bool:
        """Reads what ``fd`` holds into ``sink``; True at EOF."""
        with contextlib.suppress(OSError):
            for _ in range(256):  # bounded: a bot can write as fast as we read
                chunk = os.read(fd, _CHUNK)
                if not chunk:
                    return True
                sink(chunk)
        return False

    def _keep_stderr(self, chunk: bytes) -> None:
        room = self._limits.stderr_bytes_per_turn - len(self._stderr)
        self._stderr += chunk[: max(room, 0)]
        self._stderr_dropped += max(len(chunk) - max(room, 0), 0)

    def _stderr_text(self) -> str:
        text = bytes(self._stderr).decode("utf-8", errors="replace")
        if self._stderr_dropped:
            text += f"\n[... {self._stderr_dropped} more bytes of stderr dropped]"
        return text

    def _take_line(self, elapsed_ms: float, cpu_ms: float | None) -> Answer | None:
        cap = self._limits.max_line_bytes
        end = self._buffer.find(b"\n", 0, cap + 2)  # a CR before the newline is allowed
        if end < 0:
            if len(self._buffer) > cap + 1:
                return self._fault(
                    AnswerStatus.OUTPUT_TOO_LONG,
                    elapsed_ms,
                    f"more than {cap} bytes without a newline",
                    cpu_ms=cpu_ms,
                )
            return None
        raw = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        raw = raw.removesuffix(b"\r")
        if len(raw) > cap:
            return self._fault(
                AnswerStatus.OUTPUT_TOO_LONG,
                elapsed_ms,
                f"a line of {len(raw)} bytes (cap {cap})",
                cpu_ms=cpu_ms,
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self._fault(
                AnswerStatus.NOT_UTF8, elapsed_ms, f"invalid UTF-8: {exc.reason}", cpu_ms=cpu_ms
            )
        return Answer(AnswerStatus.OK, line, elapsed_ms, self._stderr_text(), cpu_ms=cpu_ms)

    # -- ending -----------------------------------------------------------------------------

    def _death(self, elapsed_ms: float, cpu_ms: float | None) -> Answer:
        code = self._popen.wait()
        exit_code, sig = self._decode_exit(code)
        how = f"killed by signal {sig}" if sig is not None else f"exit status {exit_code}"
        oom = self._resources.cgroup.oom_kills() if self._resources.cgroup is not None else 0
        if oom:
            status, detail = AnswerStatus.MEMORY_LIMIT, f"cgroup oom_kill count {oom} ({how})"
        elif b"MemoryError" in self._stderr:
            status = AnswerStatus.MEMORY_LIMIT
            detail = f"heuristic: MemoryError in stderr under RLIMIT_AS ({how})"
        else:
            status, detail = AnswerStatus.CRASHED, how
        return self._fault(status, elapsed_ms, detail, exit_code=exit_code, sig=sig, cpu_ms=cpu_ms)

    def _decode_exit(self, code: int) -> tuple[int | None, int | None]:
        if code < 0:
            return None, -code
        if self._status_fd is not None:
            # bwrap exits with the bot's status, a signal death as 128 + signal number (its
            # --json-status-fd says the same); so does a shell. A bot exiting 137 on purpose is
            # indistinguishable from SIGKILL, and it is its own fault either way.
            status = self._bwrap_exit_code()
            code = status if status is not None else code
            if code > 128:
                return None, code - 128
        return code, None

    def _bwrap_exit_code(self) -> int | None:
        assert self._status_fd is not None
        data = self._status_data
        with contextlib.suppress(OSError):
            data += os.read(self._status_fd, _CHUNK)
        for line in data.splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and isinstance(record.get("exit-code"), int):
                    return int(record["exit-code"])
        return None

    def _fault(
        self,
        status: AnswerStatus,
        elapsed_ms: float,
        detail: str,
        *,
        exit_code: int | None = None,
        sig: int | None = None,
        cpu_ms: float | None = None,
    ) -> Answer:
        """A bot fault: the answer, and the process stopped (a faulted bot plays no more)."""
        answer = Answer(
            status, None, elapsed_ms, self._stderr_text(), detail, exit_code, sig, cpu_ms
        )
        self._ended = answer
        self._stop()
        return answer

    def _stop(self) -> None:
        """Kills the whole tree and reaps it. Idempotent."""
        popen = self._popen
        if popen.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(popen.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                popen.kill()
        if self._sandbox_pidfd is not None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._sandbox_pidfd, signal.SIGKILL)
        if self._resources.cgroup is not None:
            self._resources.cgroup.kill()
        try:
            popen.wait(timeout=_REAP_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise SandboxError(f"bot process {popen.pid} survived SIGKILL") from exc
        if self._sandbox_pidfd is not None:
            # pid 1 exits only after the kernel has killed everything else in its namespace.
            ready, _, _ = select.select([self._sandbox_pidfd], [], [], _REAP_TIMEOUT_S)
            if not ready:
                raise SandboxError("the sandbox's pid namespace survived SIGKILL")
        if self._resources.seat is not None:
            _kill_seat(self._resources.seat.uid)

    def close(self) -> None:
        """Kills and reaps the whole process tree and frees everything. Always safe to call."""
        if self._closed:
            return
        self._closed = True
        if self._ended is None:  # later exchanges answer like a stopped bot, never touch fds
            self._ended = Answer(AnswerStatus.CRASHED, detail="closed by the referee")
        try:
            self._stop()
        finally:
            for fd in (self._pidfd, self._status_fd, self._sandbox_pidfd):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            for stream in (self._popen.stdin, self._popen.stdout, self._popen.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            self._resources.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _Sink(Protocol):
    def __call__(self, chunk: bytes, /) -> object: ...
