"""Building the command line of a sandboxed bot, its code staging and its seat uid.

The launch chain (no ``preexec_fn``: it is unsafe in threaded parents such as Django's dev
server, see docs/sandbox.md §3.8) is a series of exec'ing wrappers, each doing one thing
while it still has the right to::

    sh -c 'echo $$ > cgroup.procs...; exec "$@"'   # join the bot's cgroups, still as the runner
    setpriv --reuid U --regid U --clear-groups       # only when the runner is root: a seat uid
    prlimit --nofile ... --core 0 --cpu ...          # rlimits, hard = soft so the bot cannot raise
    bwrap ... -- /usr/bin/python3 -E -s -u /bot/main.py

The uid switch must come before bwrap: bwrap started as root leaves the bot kernel-uid 0, which
ignores RLIMIT_NPROC and owns root's 0600 files (docs/sandbox.md §3.4).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import signal
import stat
import tempfile
from pathlib import Path

from battles.sandbox.errors import SandboxError
from battles.sandbox.limits import MIB, BotProgram, Limits

__all__ = [
    "MAX_CODE_BYTES",
    "MAX_CODE_FILES",
    "SeatUid",
    "bwrap_argv",
    "kill_uid",
    "nproc_budget",
    "prlimit_argv",
    "stage_code",
    "uid_of",
]

MAX_CODE_FILES = 2000
_ALTERNATIVES = "/etc/alternatives"
MAX_CODE_BYTES = 64 * MIB
SANDBOX_PATH = "/usr/bin:/bin"
# The bot's whole environment: nothing of the host's. numpy's BLAS would start a thread per
# host core: one thread, as a bot had on CodinGame, keeps a bot's CPU time its own turn's work
# (and many-core hosts under the pids limit).
BOT_ENV = {
    "PATH": SANDBOX_PATH,
    "LANG": "C.UTF-8",
    "HOME": "/tmp",  # noqa: S108 (its own tmpfs)
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}
# The wrappers' (and so bwrap's own pid 1's) environment, which the bot can read in
# /proc/1/environ: only PATH, so no secret of the runner reaches it (docs/sandbox.md §2.3, F2).
LAUNCH_ENV = {"PATH": SANDBOX_PATH}
# Joins every cgroup named before "--", then becomes the rest of the command line.
CGROUP_ATTACH = (
    'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'
)


def stage_code(program: BotProgram) -> Path:
    """Copies the bot's code into a fresh, neutrally named directory that the seat uid can read.

    Why copy: the stored code may sit under a path the seat uid cannot traverse (pytest's 0700
    temp dirs, a user's home) or whose name says something (the owner); bwrap's argv, readable
    in the sandbox as /proc/1/cmdline, then shows only ``/tmp/gamearena-XXXX/bot``. Only regular
    files and directories are copied: a symlink in uploaded code is never followed by root.
    """
    source = program.code_dir
    if source is not None and not (source / program.entry).is_file():
        raise SandboxError(
            f"bot entry file {program.entry!r} not found in {source}", permanent=True
        )
    if program.source is not None and len(program.source.encode()) > MAX_CODE_BYTES:
        raise SandboxError(
            f"bot code is too large to stage (> {MAX_CODE_BYTES} bytes)", permanent=True
        )
    staging = Path(tempfile.mkdtemp(prefix="gamearena-"))
    try:
        staging.chmod(0o711)
        target = staging / "bot"
        target.mkdir(mode=0o755)
        if source is not None:
            _copy_tree(source, target)
        else:
            assert program.source is not None  # BotProgram holds one of the two
            (target / program.entry).write_text(program.source, encoding="utf-8")
            (target / program.entry).chmod(0o644)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _copy_tree(source: Path, target: Path) -> None:
    files = 0
    size = 0
    for root, dirs, names in os.walk(source, followlinks=False):
        rel = Path(root).relative_to(source)
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for d in dirs:
            if not (Path(root) / d).is_symlink():
                (target / rel / d).mkdir(mode=0o755)
        for name in names:
            path = Path(root) / name
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            files += 1
            size += info.st_size
            if files > MAX_CODE_FILES or size > MAX_CODE_BYTES:
                raise SandboxError(
                    f"bot code in {source} is too large to stage "
                    f"(> {MAX_CODE_FILES} files or {MAX_CODE_BYTES} bytes)",
                    permanent=True,
                )
            shutil.copyfile(path, target / rel / name, follow_symlinks=False)
            (target / rel / name).chmod(0o644)


def bwrap_argv(
    program: BotProgram, staging: Path, limits: Limits, seccomp_fd: int | None
) -> list[str]:
    """bwrap's command line: all namespaces, nothing of the host but /usr (and the links into
    it that its libraries need, see :func:`_alternatives`)."""
    options: list[tuple[str, ...]] = [
        ("--unshare-all", "--unshare-user", "--disable-userns"),
        ("--die-with-parent", "--new-session", "--cap-drop", "ALL"),
        ("--uid", "65534", "--gid", "65534", "--hostname", "bot"),
        ("--ro-bind", "/usr", "/usr"),
    ]
    options += [
        ("--symlink", f"usr/{name}", f"/{name}")
        for name in ("bin", "lib", "lib64", "sbin")
        if Path("/usr", name).is_dir()
    ]
    options += _alternatives()
    # These /tmp and /dev/shm are inside the sandbox: its own private, sized tmpfs mounts.
    options += [
        ("--proc", "/proc", "--dev", "/dev"),
        ("--size", str(limits.tmp_mb * MIB), "--tmpfs", "/tmp"),  # noqa: S108
        ("--size", str(limits.shm_mb * MIB), "--tmpfs", "/dev/shm"),  # noqa: S108
        ("--ro-bind", str(staging / "bot"), "/bot"),
        # bwrap's root and its --dev are unsized tmpfs mounts the bot could fill: read-only,
        # so that only the sized /tmp and /dev/shm take writes.
        ("--remount-ro", "/dev", "--remount-ro", "/"),
        ("--chdir", "/tmp", "--clearenv"),  # noqa: S108
    ]
    options += [("--setenv", key, value) for key, value in BOT_ENV.items()]
    if seccomp_fd is not None:
        options.append(("--seccomp", str(seccomp_fd)))
    command = [str(program.interpreter), *program.interpreter_args, f"/bot/{program.entry}"]
    return ["bwrap", *(arg for option in options for arg in option), "--", *command]


def _alternatives() -> list[tuple[str, ...]]:
    """Debian's /etc/alternatives links that lead back into /usr, recreated in the sandbox.

    Libraries under /usr reach each other through them: numpy's C extension loads
    ``libblas.so.3``, a link to ``/etc/alternatives/libblas.so.3-<arch>``, which points at the
    BLAS build chosen on the host. Without the link numpy cannot be imported. Only links are
    made, and only those into /usr: no file of the host's /etc is visible. Read at every launch,
    so a library installed while the runner runs is seen by the next bot.
    """
    links = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(_ALTERNATIVES):
            with contextlib.suppress(OSError):
                target = os.readlink(entry.path)
                if target.startswith("/usr/") and entry.is_symlink():
                    links.append(("--symlink", target, f"{_ALTERNATIVES}/{entry.name}"))
    return sorted(links)


def prlimit_argv(limits: Limits, *, nproc: int | None, address_space: bool) -> list[str]:
    """rlimits, hard = soft (the bot cannot raise them). CPU gets one more hard second so the
    soft limit's SIGXCPU comes first. NPROC only applies with a dedicated (seat) uid: a shared
    uid would share the budget with every process of that user."""
    argv = [
        "prlimit",
        f"--nofile={limits.open_files}:{limits.open_files}",
        f"--fsize={limits.file_size_mb * MIB}:{limits.file_size_mb * MIB}",
        "--core=0:0",
        f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 1}",
    ]
    if nproc is not None:
        argv.append(f"--nproc={nproc}:{nproc}")
    if address_space:
        size = limits.address_space_fallback_mb * MIB
        argv.append(f"--as={size}:{size}")
    return [*argv, "--"]


def kill_uid(uid: int) -> int:
    """SIGKILLs every process whose real uid is ``uid``; returns how many were signalled.

    Only ever called for a seat uid this process holds the lock of, so nothing else runs as it.
    It catches whatever a pid namespace or cgroup missed, as Halite's ``killall -9 -u`` did.
    """
    killed = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = _status_fields(entry.name)
            # Zombies are already dead (their parent reaps them); signalling them is useless.
            if fields.get("State", "Z")[:1] in ("Z", "X") or int(fields["Uid"].split()[0]) != uid:
                continue
            os.kill(int(entry.name), signal.SIGKILL)
            killed += 1
        except (OSError, ValueError, KeyError):
            continue
    return killed


def nproc_budget(limits: Limits, *, seat: bool) -> int:
    """RLIMIT_NPROC for a bot. It counts every task (threads too) of the real uid host-wide.

    With a seat uid the bot is alone under its uid: exactly ``limits.pids``. Rootless, the bot
    shares the runner's uid, so the budget is what that uid runs now plus ``limits.pids``: an
    approximate bound (the runner's own growth eats into it), but a bound on fork bombs where
    no pids cgroup is to be had.
    """
    if seat:
        return limits.pids
    uid = os.getuid()
    tasks = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, KeyError):
                fields = _status_fields(entry.name)
                if int(fields["Uid"].split()[0]) == uid:
                    tasks += int(fields["Threads"])
    return tasks + limits.pids


def _status_fields(pid: str) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as status:
        return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)


class SeatUid:
    """An unprivileged uid held for the lifetime of one bot, so no two live bots share one.

    Uniqueness across runner processes comes from an flock on a per-uid file in a root-only
    directory; the lock dies with its holder, so a crashed runner frees its uids.
    """

    def __init__(self, limits: Limits) -> None:
        # Only root takes seat uids, and /run is root's: no other user can pre-create the dir.
        lock_dir = Path("/run/gamearena-seat-uids")
        try:
            lock_dir.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise SandboxError(f"cannot create {lock_dir} for seat uid locks: {exc}") from exc
        if lock_dir.stat().st_uid != os.geteuid():
            raise SandboxError(
                f"{lock_dir} is not owned by the runner: refusing to use it", permanent=True
            )
        start = random.randrange(limits.seat_uid_count)  # noqa: S311 (spreads, not a secret)
        for i in range(limits.seat_uid_count):
            uid = limits.seat_uid_first + (start + i) % limits.seat_uid_count
            fd = os.open(lock_dir / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.uid = uid
            self._fd = fd
            kill_uid(uid)  # leftovers of a runner that died without cleaning up
            return
        raise SandboxError("no free seat uid: every uid of the configured range is in use")

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def uid_of(pid: int, *, descendants: bool = False) -> set[int]:
    """The real uids of ``pid`` (and of all its descendants): the kernel's view, not the one a
    user namespace shows inside."""
    parents: dict[int, list[int]] = {}
    uids: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, KeyError):
            fields = _status_fields(entry.name)
            uids[int(entry.name)] = int(fields["Uid"].split()[0])
            parents.setdefault(int(fields["PPid"]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        if current in uids:
            found.add(uids[current])
        if descendants:
            todo += parents.get(current, [])
    return found
