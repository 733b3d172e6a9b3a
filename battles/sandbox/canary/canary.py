"""The self-test's canary: a bot that attacks the sandbox and reports what it reached.

Runs under the bots' interpreter (the system python3), never imported by the arena. Input: one
JSON line of targets; output: one JSON line, each attack as [reached, value-or-errno-name].
Every loop is bounded; nothing here is harmful outside a sandbox except the bounded fork test.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from typing import Any


def attempt(action: Callable[[], object]) -> list[object]:
    try:
        return [True, action()]
    except OSError as exc:
        return [False, errno.errorcode.get(exc.errno or 0, str(exc))]


def read(path: str) -> str:
    with open(path, "rb") as handle:
        return handle.read().decode(errors="replace")


def tcp(port: int) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return "connected"


def unix(path: str) -> str:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(0.5)
        sock.connect(path)
        return "connected"


def inet_socket() -> str:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    return "created"


def new_userns() -> str:
    libc = ctypes.CDLL(None, use_errno=True)
    if int(libc.unshare(0x10000000)) != 0:  # CLONE_NEWUSER
        raise OSError(ctypes.get_errno(), "unshare")
    return "unshared"


def forks(limit: int) -> int:
    read_end, write_end = os.pipe()
    children: list[int] = []
    for _ in range(limit):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:  # wait for the parent to close the pipe, then leave
            os.close(write_end)
            os.read(read_end, 1)
            os._exit(0)
        children.append(pid)
    os.close(write_end)
    for pid in children:
        os.waitpid(pid, 0)
    return len(children)


def daemon(marker: str) -> str:
    # The pipe's write end is close-on-exec: EOF on the read end means the daemon has exec'd,
    # so the check after close() cannot pass merely because the daemon was not there yet.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/usr/bin/sleep", ["sleep", marker])  # noqa: S606 (the daemon itself)
        os._exit(0)
    os.close(write_end)
    os.read(read_end, 1)
    os.waitpid(pid, 0)
    return "started"


def main() -> None:
    cfg: dict[str, Any] = json.loads(sys.stdin.readline())
    if "memory_mb" in cfg:
        hog = b"x" * (cfg["memory_mb"] << 20)  # every page written, so every page counts
        print(len(hog))
        return
    result = {
        "file": attempt(lambda: read(cfg["file"])),
        "tcp": attempt(lambda: tcp(cfg["port"])),
        "unix": attempt(lambda: unix(cfg["unix"])),
        "env": sorted(os.environ),
        "pid1_env": attempt(lambda: read("/proc/1/environ")),
        "runner": attempt(lambda: os.kill(cfg["runner_pid"], 0)),
        "inet_socket": attempt(inet_socket),
        "userns": attempt(new_userns),
        "forks": forks(cfg["forks"]),
        "daemon": attempt(lambda: daemon(cfg["daemon_marker"])),
    }
    print(json.dumps(result), flush=True)
    sys.stdin.readline()
    time.sleep(5)  # the timeout check: must be cut off at the deadline, not waited for


main()
