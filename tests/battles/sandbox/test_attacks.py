"""The attack catalogue of docs/sandbox.md §2.3, run for real in BWRAP mode.

Each test starts ``attacks/catalogue.py`` with one attack and asserts containment: nothing read,
nothing reached, nothing left running (the ``start_bot`` fixture checks every test for leftover
processes, staged code and cgroups), the host intact. Catalogue IDs map to tests as follows:

- F1 files, F2 /proc/1, F3 environment, F4 inherited fds, F5 writes, F6 links, F7 path edge cases
- N1 TCP to PostgreSQL/Redis/our listener, N2 UDP, N3 external/DNS, N4 abstract unix socket,
  N5 unix socket by path, N6 raw socket syscalls, N7 io_uring and AF_VSOCK
- P1 fork bomb, P2 thread bomb, P3 memory bomb, P4 disk fill, P5 fd bomb, P6 core dumps,
  P7 CPU burn (RLIMIT_CPU)
- T1 busy loop, T2 sleep, T3 SIGTERM ignored, T5 slow start: ``test_protocol.py``; T4 daemon: here
- O1-O8: ``test_protocol.py`` (O9, parser bombs in a move, is the engine's: the sandbox hands over
  a capped string and never parses it; a 10 MB number is O3's OUTPUT_TOO_LONG)
- X1 signals, X2 kill(-1), X3 ptrace/process_vm_readv, X4 /proc/PID/fd/1, X5 SysV IPC
- E1 new namespaces, E2 setuid binaries and privileges, E3 TIOCSTI, E4 kernel surface,
  E5 the 32-bit syscall ABI; E6 (Python-level bypasses) is moot: every attack here already uses
  raw syscalls through ctypes, and no layer relies on Python.
- X6 (flock on a shared read-only inode as a covert channel) is accepted, not tested:
  docs/sandbox.md §9 rates it low value for a game; blocking flock would break ordinary runtimes.

The controls at the end run some of the same attacks in NONE mode and assert that they *do*
reach their targets there: proof that the attacks are real and the BWRAP results mean something.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from battles.sandbox import AnswerStatus, BotProcess, Limits, SandboxMode, sandbox_level
from battles.sandbox.launch import uid_of

pytestmark = pytest.mark.bwrap

StartBot = Callable[..., BotProcess]
Probes = dict[str, list[Any]]
ATTACKS = Path(__file__).parent / "attacks"
PROJECT_SETTINGS = Path(__file__).resolve().parents[3] / "gamearena" / "settings.py"
IPC_CREAT, IPC_RMID = 0o1000, 0


@dataclass
class Host:
    """What a worker host holds that a bot must not reach (docs/sandbox.md §2.2)."""

    directory: Path
    db: Path  # root-owned 0600, like a database file
    dotenv: Path
    other_bot: Path  # another user's bot code, world-readable
    unix_path: Path
    abstract_name: str
    tcp: socket.socket
    udp: socket.socket
    ipc_key: int
    sleeper: subprocess.Popen[bytes]  # a plain host process (the referee's neighbour)

    @property
    def tcp_port(self) -> int:
        return int(self.tcp.getsockname()[1])

    def contacts(self) -> int:
        """Connections or datagrams that reached the host's listeners (must stay 0)."""
        count = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                self.tcp.accept()[0].close()
                count += 1
        with contextlib.suppress(BlockingIOError):
            while True:
                self.udp.recv(100)
                count += 1
        return count


def _sysv(libc: ctypes.CDLL, key: int, create: bool) -> None:
    flags = IPC_CREAT | 0o666
    ids = (libc.shmget(key, 4096, flags), libc.semget(key, 1, flags), libc.msgget(key, flags))
    if not create:
        libc.shmctl(ids[0], IPC_RMID, None)
        libc.semctl(ids[1], 0, IPC_RMID)
        libc.msgctl(ids[2], IPC_RMID, None)


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    directory = Path(tempfile.mkdtemp(prefix="sandbox-host-"))
    directory.chmod(0o755)
    (directory / "db.sqlite3").write_text("DB-SECRET\n")
    (directory / "db.sqlite3").chmod(0o600)
    (directory / ".env").write_text("SECRET_KEY=env-secret\n")
    (directory / "other_bot.py").write_text("print('OTHER-USERS-CODE')\n")
    for name in (".env", "other_bot.py"):
        (directory / name).chmod(0o644)
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(directory / "db.sock"))
    (directory / "db.sock").chmod(0o777)
    unix.listen()
    abstract_name = f"gamearena-test-{secrets.token_hex(4)}"
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0" + abstract_name)
    abstract.listen()
    tcp = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    for sock in (tcp, udp):
        sock.setblocking(False)
    libc = ctypes.CDLL(None, use_errno=True)
    key = 0x6A000000 + secrets.randbelow(0xFFFFFF)
    _sysv(libc, key, create=True)
    sleeper = subprocess.Popen(["sleep", "300"])
    try:
        yield Host(
            directory,
            directory / "db.sqlite3",
            directory / ".env",
            directory / "other_bot.py",
            directory / "db.sock",
            abstract_name,
            tcp,
            udp,
            key,
            sleeper,
        )
    finally:
        sleeper.kill()
        sleeper.wait()
        _sysv(libc, key, create=False)
        for sock in (unix, abstract, tcp, udp):
            sock.close()
        shutil.rmtree(directory, ignore_errors=True)


def attack(
    start_bot: StartBot,
    name: str,
    *,
    limits: Limits | None = None,
    mode: SandboxMode = SandboxMode.BWRAP,
    **config: Any,
) -> Probes:
    bot = start_bot("catalogue.py", limits=limits, mode=mode)
    answer = bot.exchange(json.dumps({"attack": name, **config}), 10_000)
    assert answer.status is AnswerStatus.OK, f"{name}: {answer}"
    assert answer.line is not None
    probes: Probes = json.loads(answer.line)
    return probes


def assert_blocked(probes: Probes, *allowed_errors: str) -> None:
    for probe, (reached, value) in probes.items():
        assert not reached, f"{probe} reached: {value!r}"
        if allowed_errors:
            assert value in allowed_errors, f"{probe}: {value}"


def host_files(host: Host) -> list[str]:
    return [
        str(p)
        for p in (
            host.db,
            host.dotenv,
            host.other_bot,
            PROJECT_SETTINGS,
            ATTACKS / "catalogue.py",
            Path("/etc/passwd"),
            Path("/etc/shadow"),
            Path("/root/.bashrc"),
            Path("/var/lib/postgresql"),
        )
    ]


# -- F: files and what the process inherits -----------------------------------------------


def test_f1_host_files_db_settings_and_other_users_code_do_not_exist(
    start_bot: StartBot, host: Host
) -> None:
    assert_blocked(attack(start_bot, "files", paths=host_files(host)), "ENOENT")


def test_f2_proc_1_shows_no_secret_no_host_path_and_the_referee_is_invisible(
    start_bot: StartBot, host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAMEARENA_TEST_SECRET", "s3cr3t-value")
    probes = attack(start_bot, "proc_one", runner_pid=os.getpid())
    environ, cmdline = probes["environ"][1], probes["cmdline"][1]
    assert {kv.split("=")[0] for kv in environ.split("\0") if kv} <= {"PATH", "PWD"}
    assert "s3cr3t" not in environ + cmdline
    assert str(ATTACKS) not in cmdline  # the code is staged under a neutral name
    assert probes["runner_environ"] == [False, "ENOENT"]
    assert len(probes["visible_pids"][1]) <= 3  # bwrap's pid 1, the bot, nothing else


def test_f3_the_environment_holds_nothing_of_the_host(
    start_bot: StartBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAMEARENA_TEST_SECRET", "s3cr3t-value")
    environ = attack(start_bot, "environment")["environ"][1]
    assert set(environ) <= {
        "PATH",
        "LANG",
        "HOME",
        "PWD",
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
    }
    assert "s3cr3t-value" not in json.dumps(environ)


def test_f4_only_stdin_stdout_and_stderr_are_open(start_bot: StartBot) -> None:
    read_end, write_end = os.pipe()  # an inheritable fd in the parent, like a DB connection
    os.set_inheritable(read_end, True)
    try:
        assert attack(start_bot, "fds")["fds"] == [True, [0, 1, 2]]
    finally:
        os.close(read_end)
        os.close(write_end)


def test_f5_writes_outside_fail_and_tmp_writes_die_with_the_sandbox(
    start_bot: StartBot, host: Host
) -> None:
    first, second = (f"gamearena-marker-{secrets.token_hex(4)}" for _ in range(2))
    outside = [
        "/usr/" + first,
        "/bot/" + first,
        "/" + first,
        "/etc/" + first,
        "/dev/" + first,
        "/proc/" + first,
        str(host.directory / first),
    ]
    probes = attack(start_bot, "writes", paths=outside, marker=first, earlier="none")
    assert probes.pop("tmp") == [True, "written"]  # a private tmpfs: allowed
    assert probes.pop("shm") == [True, "written"]
    assert_blocked(probes)
    assert not Path("/tmp", first).exists()
    assert not Path("/dev/shm", first).exists()
    assert not (host.directory / first).exists()
    later = attack(start_bot, "writes", paths=[], marker=second, earlier=first)
    assert later["earlier_tmp"] == [False, "ENOENT"]  # the next match sees nothing of it


def test_f6_links_to_host_paths_lead_nowhere(start_bot: StartBot, host: Host) -> None:
    paths = [str(host.db), str(PROJECT_SETTINGS), "/etc/shadow"]
    assert_blocked(attack(start_bot, "links", paths=paths), "ENOENT")


def test_f7_path_edge_cases_give_plain_errors_and_the_bot_keeps_running(
    start_bot: StartBot,
) -> None:
    probes = attack(start_bot, "path_edges")
    assert probes["null"] == [False, "EFAULT"]
    assert probes["too_long"] == [False, "ENAMETOOLONG"]
    assert_blocked(probes)


# -- N: network -----------------------------------------------------------------------------


def test_n1_n2_tcp_and_udp_to_postgresql_redis_and_our_listeners_are_refused(
    start_bot: StartBot, host: Host
) -> None:
    probes = attack(
        start_bot,
        "network",
        ports=[5432, 6379, 8000, host.tcp_port],
        udp_port=host.udp.getsockname()[1],
    )
    assert_blocked(probes, "EACCES")
    assert host.contacts() == 0


def test_n3_external_addresses_and_dns_are_unreachable(start_bot: StartBot) -> None:
    probes = attack(start_bot, "external")
    assert probes.pop("interfaces")[1] in ([], ["lo"])
    assert_blocked(probes)


def test_n4_n5_unix_sockets_abstract_or_by_path_are_unreachable(
    start_bot: StartBot, host: Host
) -> None:
    paths = [
        str(host.unix_path),
        "/var/run/postgresql/.s.PGSQL.5432",
        "/run/postgresql/.s.PGSQL.5432",
        "/run/redis/redis-server.sock",
        "/var/run/docker.sock",
        "/run/systemd/private",
    ]
    probes = attack(start_bot, "unix_sockets", paths=paths, abstract=host.abstract_name)
    assert probes.pop("abstract") == [False, "ECONNREFUSED"]  # abstract names are per netns
    assert_blocked(probes, "ENOENT")


def test_n6_raw_socket_syscalls_are_refused_but_socketpair_works(start_bot: StartBot) -> None:
    probes = attack(start_bot, "raw_sockets")
    assert probes.pop("socketpair(AF_UNIX) still works") == [True, 2]
    assert_blocked(probes, "EACCES")


def test_n7_io_uring_and_vsock_are_refused(start_bot: StartBot) -> None:
    probes = attack(start_bot, "io_uring_vsock")
    assert probes == {"io_uring_setup": [False, "EPERM"], "socket(AF_VSOCK)": [False, "EACCES"]}


# -- P: processes and resources ---------------------------------------------------------------


def test_p1_a_fork_bomb_stops_at_the_process_limit_and_the_host_still_forks(
    start_bot: StartBot,
) -> None:
    ((count, error),) = [
        value
        for reached, value in attack(start_bot, "fork_bomb", bound=3000).values()
        if not reached
    ]
    assert count < Limits().pids
    assert error == "EAGAIN"
    assert subprocess.run(["true"], check=False).returncode == 0


def test_p2_a_thread_bomb_stops_at_the_process_limit(start_bot: StartBot) -> None:
    ((reached, (count, _)),) = attack(start_bot, "thread_bomb", bound=3000).values()
    assert not reached
    assert count < Limits().pids


def test_p3_a_memory_bomb_ends_as_memory_limit(start_bot: StartBot) -> None:
    level = sandbox_level(SandboxMode.BWRAP)
    limits = Limits(memory_mb=64, address_space_fallback_mb=128)
    bot = start_bot("catalogue.py", limits=limits)
    answer = bot.exchange(json.dumps({"attack": "memory_bomb", "mb": 512}), 10_000)
    assert answer.status is AnswerStatus.MEMORY_LIMIT
    assert ("cgroup oom_kill" if level.cgroup_memory else "heuristic") in answer.detail


def test_p4_disk_fill_stops_at_the_file_size_limit_and_the_tmpfs_sizes(
    start_bot: StartBot,
) -> None:
    probes = attack(start_bot, "disk_fill")
    assert probes == {
        "one_file": [False, "EFBIG"],
        "many_files": [False, "ENOSPC"],
        "shm": [False, "ENOSPC"],
    }


def test_p5_an_fd_bomb_stops_at_the_open_files_limit(start_bot: StartBot) -> None:
    ((reached, (count, error)),) = attack(start_bot, "fd_bomb", bound=5000).values()
    assert not reached
    assert count < Limits().open_files
    assert error == "EMFILE"


def test_p6_p7_rlimits_are_set_hard_and_no_core_is_dumped(start_bot: StartBot) -> None:
    limits = Limits()
    probes = attack(start_bot, "rlimits")
    assert probes["CORE"] == [True, [0, 0]]
    assert probes["CPU"] == [True, [limits.cpu_seconds, limits.cpu_seconds + 1]]
    assert probes["NOFILE"] == [True, [limits.open_files, limits.open_files]]
    assert probes["FSIZE"] == [True, [limits.file_size_mb << 20] * 2]
    if os.geteuid() == 0:  # a seat uid of its own: NPROC is the bot's alone
        assert probes["NPROC"] == [True, [limits.pids, limits.pids]]
    aborted = start_bot("catalogue.py").exchange('{"attack": "abort"}', 10_000)
    assert (aborted.status, aborted.signal) == (AnswerStatus.CRASHED, signal.SIGABRT)


def test_p7_cpu_time_beyond_rlimit_cpu_kills_the_bot(start_bot: StartBot) -> None:
    bot = start_bot("catalogue.py", limits=Limits(cpu_seconds=1))
    answer = bot.exchange(json.dumps({"attack": "cpu_burn", "seconds": 20}), 30_000)
    assert answer.status is AnswerStatus.CRASHED
    assert answer.signal in (signal.SIGXCPU, signal.SIGKILL)


# -- T4: leftovers -----------------------------------------------------------------------------


def _running(marker: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker.encode() in Path(entry.path, "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def test_t4_a_setsid_daemon_does_not_outlive_close(start_bot: StartBot) -> None:
    marker = f"3598.{secrets.randbelow(10**6):06d}"
    bot = start_bot("catalogue.py")
    answer = bot.exchange(json.dumps({"attack": "daemon", "marker": marker}), 10_000)
    assert answer.status is AnswerStatus.OK
    assert _running(marker)  # it did start
    bot.close()
    assert _running(marker) == []


def test_the_bot_runs_under_an_unprivileged_kernel_uid(start_bot: StartBot) -> None:
    bot = start_bot("echo.py")
    assert bot.exchange("hi", 10_000).status is AnswerStatus.OK
    uids = uid_of(bot.pid, descendants=True)
    assert uids
    assert 0 not in uids
    if os.geteuid() == 0:
        assert all(uid >= Limits().seat_uid_first for uid in uids)


# -- X: other processes ---------------------------------------------------------------------------


def _opponent(start_bot: StartBot) -> tuple[BotProcess, list[int]]:
    opponent = start_bot("echo.py")
    assert opponent.exchange("hi", 10_000).status is AnswerStatus.OK
    return opponent, sorted(_descendants(opponent.pid))


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(
                    int(entry.name)
                )
    found, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def test_x1_the_referee_the_host_and_the_opponent_cannot_be_signalled(
    start_bot: StartBot, host: Host
) -> None:
    opponent, pids = _opponent(start_bot)
    targets = [os.getpid(), host.sleeper.pid, *pids]
    assert_blocked(attack(start_bot, "signals", pids=targets), "ESRCH", "EPERM")
    assert host.sleeper.poll() is None
    assert opponent.exchange("still there", 10_000).line == "echo still there"


def test_x2_kill_minus_one_only_reaches_the_bots_own_sandbox(
    start_bot: StartBot, host: Host
) -> None:
    opponent, _ = _opponent(start_bot)
    bot = start_bot("catalogue.py")
    bot.exchange('{"attack": "kill_everything"}', 10_000)
    assert host.sleeper.poll() is None
    assert opponent.exchange("still there", 10_000).line == "echo still there"


def test_x3_ptrace_and_process_vm_readv_are_refused(start_bot: StartBot) -> None:
    _, pids = _opponent(start_bot)
    assert_blocked(attack(start_bot, "ptrace", pids=[os.getpid(), *pids]), "EPERM")


def test_x4_the_opponents_stdout_cannot_be_written_through_proc(start_bot: StartBot) -> None:
    _, pids = _opponent(start_bot)
    assert_blocked(attack(start_bot, "proc_fd_write", pids=pids), "ENOENT")


def test_x5_sysv_ipc_objects_of_the_host_are_invisible(start_bot: StartBot, host: Host) -> None:
    assert_blocked(attack(start_bot, "sysv_ipc", key=host.ipc_key), "ENOENT")


# -- E: privileges and the kernel -----------------------------------------------------------------


def test_e1_no_new_namespaces_can_be_created(start_bot: StartBot) -> None:
    probes = attack(start_bot, "new_namespaces")
    assert probes.pop("clone3") == [False, "ENOSYS"]  # so glibc falls back to a readable clone
    assert_blocked(probes, "EPERM")


def test_e2_no_new_privileges_no_capabilities_and_setuid_binaries_do_not_help(
    start_bot: StartBot,
) -> None:
    probes = attack(start_bot, "privileges")
    assert probes["NoNewPrivs"] == [True, "1"]
    assert probes["Seccomp"] == [True, "2"]
    for caps in ("CapBnd", "CapEff", "CapPrm"):
        assert probes[caps] == [True, "0000000000000000"]
    assert probes["still uid"] == [True, 65534]


def test_e3_there_is_no_terminal_to_inject_keystrokes_into(start_bot: StartBot) -> None:
    probes = attack(start_bot, "terminal")
    assert probes["TIOCSTI"] == [False, "EPERM"]
    assert probes["TIOCLINUX"] == [False, "EPERM"]
    assert_blocked(probes)


def test_e4_kernel_attack_surface_syscalls_are_refused(start_bot: StartBot) -> None:
    assert_blocked(attack(start_bot, "kernel_surface"), "EPERM")


def test_e5_a_32_bit_syscall_kills_the_bot(start_bot: StartBot) -> None:
    answer = start_bot("catalogue.py").exchange('{"attack": "i386_abi"}', 10_000)
    assert (answer.status, answer.signal) == (AnswerStatus.CRASHED, signal.SIGSYS)


# -- controls: the same attacks succeed without the sandbox ------------------------------------


@pytest.mark.parametrize(
    ("name", "config", "probe"),
    [
        ("files", lambda h: {"paths": [str(h.other_bot)]}, lambda h: str(h.other_bot)),
        (
            "network",
            lambda h: {"ports": [h.tcp_port], "udp_port": 9},
            lambda h: f"tcp {h.tcp_port}",
        ),
        (
            "unix_sockets",
            lambda h: {"paths": [str(h.unix_path)], "abstract": h.abstract_name},
            lambda h: "abstract",
        ),
        ("raw_sockets", lambda h: {}, lambda h: "syscall socket(AF_INET)"),
        ("new_namespaces", lambda h: {}, lambda h: "unshare(CLONE_NEWUSER)"),
    ],
)
def test_control_without_the_sandbox_the_same_attack_reaches_its_target(
    start_bot: StartBot,
    host: Host,
    name: str,
    config: Callable[[Host], dict[str, Any]],
    probe: Callable[[Host], str],
) -> None:
    probes = attack(start_bot, name, mode=SandboxMode.NONE, **config(host))
    assert probes[probe(host)][0] is True, probes
    host.contacts()  # drain what the control connected
