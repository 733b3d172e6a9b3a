"""The seccomp deny-list given to bwrap (``--seccomp FD``), as classic-BPF bytes built here.

Why a deny-list: an allow-list breaks ordinary runtimes (DMOJ's killed ``time.sleep`` in a
child, docs/sandbox.md §3.6); the namespaces already hide everything a bot could reach, so the
filter only trims the kernel attack surface and backs the namespaces up (docs/sandbox.md §3.6).

Why pure Python: no seccomp binding installs into the project's venv without a C toolchain, and
the program is small. It is built once per process (:func:`seccomp_program`) and only for
x86_64; on any other architecture there is no filter and the sandbox level says so.

Layout of ``struct seccomp_data`` read by the filter: ``nr`` at offset 0, ``arch`` at 4,
``args[i]`` at ``16 + 8*i`` (little endian, so the low 32 bits come first).
"""

from __future__ import annotations

import errno
import functools
import platform
import struct

__all__ = ["SECCOMP_DENIED", "seccomp_program", "seccomp_supported"]

# Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000

# x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) refused with EPERM.
SECCOMP_DENIED: dict[str, int] = {
    "ptrace": 101,
    "syslog": 103,
    "personality": 135,
    "adjtimex": 159,
    "pivot_root": 155,
    "chroot": 161,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "clock_settime": 227,
    "mbind": 237,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "migrate_pages": 256,
    "unshare": 272,
    "move_pages": 279,
    "perf_event_open": 298,
    "fanotify_init": 300,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_getfd": 438,
    "process_madvise": 440,
    "quotactl_fd": 443,
}
_CLONE = 56
_CLONE3 = 435
_SOCKET = 41
_IOCTL = 16
_AF_UNIX = 1
# CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME: no new namespaces.
_CLONE_NEW_MASK = (
    0x00020000
    | 0x02000000
    | 0x04000000
    | 0x08000000
    | 0x10000000
    | 0x20000000
    | 0x40000000
    | 0x00000080
)
_TIOCSTI = 0x5412  # keystroke injection into a terminal (CVE-2017-5226)
_TIOCLINUX = 0x541C  # the same through the Linux console


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def _errno(value: int) -> int:
    return _RET_ERRNO | value


def _deny(nr: int, value: int) -> list[bytes]:
    # if nr == N: return ERRNO(value)   (the accumulator holds nr here)
    return [_insn(_JEQ_K, 0, 1, nr), _insn(_RET_K, 0, 0, _errno(value))]


def _clone_rule() -> list[bytes]:
    # clone(flags, ...): any CLONE_NEW* flag in the low word of args[0] -> EPERM.
    return [
        _insn(_JEQ_K, 0, 4, _CLONE),
        _insn(_LD_W_ABS, 0, 0, 16),
        _insn(_JSET_K, 0, 1, _CLONE_NEW_MASK),
        _insn(_RET_K, 0, 0, _errno(errno.EPERM)),
        _insn(_RET_K, 0, 0, _RET_ALLOW),
    ]


def _socket_rule() -> list[bytes]:
    # socket(domain, ...): only AF_UNIX (socketpair, local IPC in the empty namespace).
    return [
        _insn(_JEQ_K, 0, 4, _SOCKET),
        _insn(_LD_W_ABS, 0, 0, 16),
        _insn(_JEQ_K, 0, 1, _AF_UNIX),
        _insn(_RET_K, 0, 0, _RET_ALLOW),
        _insn(_RET_K, 0, 0, _errno(errno.EACCES)),
    ]


def _ioctl_rule() -> list[bytes]:
    return [
        _insn(_JEQ_K, 0, 5, _IOCTL),
        _insn(_LD_W_ABS, 0, 0, 24),
        _insn(_JEQ_K, 1, 0, _TIOCSTI),
        _insn(_JEQ_K, 0, 1, _TIOCLINUX),
        _insn(_RET_K, 0, 0, _errno(errno.EPERM)),
        _insn(_RET_K, 0, 0, _RET_ALLOW),
    ]


def seccomp_supported() -> bool:
    """Whether this module has a filter for the machine's architecture."""
    return platform.machine() in ("x86_64", "amd64", "AMD64")


@functools.cache
def seccomp_program() -> bytes:
    """The filter as ``struct sock_filter[]`` bytes, ready for bwrap's ``--seccomp FD``.

    A foreign architecture (the 32-bit ``int 0x80`` ABI) kills the process: it would otherwise
    reach syscalls under other numbers. x32 numbers are refused. ``clone3`` gets ENOSYS so glibc
    falls back to ``clone``, whose flags a filter can read (clone3 passes them in memory).
    """
    if not seccomp_supported():
        raise RuntimeError(f"no seccomp filter for architecture {platform.machine()}")
    program = [
        _insn(_LD_W_ABS, 0, 0, 4),
        _insn(_JEQ_K, 1, 0, _AUDIT_ARCH_X86_64),
        _insn(_RET_K, 0, 0, _RET_KILL_PROCESS),
        _insn(_LD_W_ABS, 0, 0, 0),
        _insn(_JGE_K, 0, 1, _X32_SYSCALL_BIT),
        _insn(_RET_K, 0, 0, _errno(errno.EPERM)),
        *_deny(_CLONE3, errno.ENOSYS),
    ]
    for nr in SECCOMP_DENIED.values():
        program += _deny(nr, errno.EPERM)
    program += _clone_rule() + _socket_rule() + _ioctl_rule()
    program.append(_insn(_RET_K, 0, 0, _RET_ALLOW))
    return b"".join(program)
