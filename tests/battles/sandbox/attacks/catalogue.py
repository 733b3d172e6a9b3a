# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
"""Attack bot for the sandbox tests: one bounded function per catalogue entry
(docs/sandbox.md §2.3).

Protocol: the first input line is JSON ``{"attack": NAME, ...targets}``; the bot runs the attack
and prints one JSON line ``{probe: [reached, value-or-errno-name], ...}``. Then it answers "alive"
to every further line, so a test can check it still runs (or that it does not).
Runs under the system python3 inside the sandbox; every loop has a bound.
"""

import ctypes
import errno
import json
import mmap
import os
import resource
import signal
import socket
import sys
import threading
import time

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long


def attempt(action):
    try:
        value = action()
    except OSError as exc:
        return [False, errno.errorcode.get(exc.errno or 0, str(exc))]
    except ValueError as exc:
        return [False, "ValueError: " + str(exc)[:60]]
    return [True, value if isinstance(value, (int, str, list)) else repr(value)[:200]]


def raw_syscall(nr, *args):
    result = LIBC.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    if result < 0:
        raise OSError(ctypes.get_errno(), f"syscall {nr}")
    return result


def read(path):
    with open(path, "rb") as handle:
        return handle.read(200).decode(errors="replace")


# -- files (F) -------------------------------------------------------------------------------


def files(cfg):
    return {path: attempt(lambda p=path: read(p)) for path in cfg["paths"]}


def proc_one(cfg):
    return {
        "environ": attempt(lambda: read("/proc/1/environ")),
        "cmdline": attempt(lambda: read("/proc/1/cmdline")),
        "runner_environ": attempt(lambda: read("/proc/{}/environ".format(cfg["runner_pid"]))),
        "visible_pids": [True, sorted(int(p) for p in os.listdir("/proc") if p.isdigit())],
    }


def environment(cfg):
    return {"environ": [True, dict(os.environ)]}


def fds(cfg):
    listed = []
    for fd in os.listdir("/proc/self/fd"):
        try:  # the directory listing's own fd is gone by now: readlink fails for it
            os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue
        listed.append(int(fd))
    return {"fds": [True, sorted(listed)]}


def write_to(path):
    with open(path, "w") as handle:
        handle.write("left behind\n")
    return "written"


def writes(cfg):
    marker = cfg["marker"]
    found = {path: attempt(lambda p=path: write_to(p)) for path in cfg["paths"]}
    found["tmp"] = attempt(lambda: write_to("/tmp/" + marker))
    found["shm"] = attempt(lambda: write_to("/dev/shm/" + marker))
    found["earlier_tmp"] = attempt(lambda: read("/tmp/" + cfg["earlier"]))
    return found


def links(cfg):
    found = {}
    for i, target in enumerate(cfg["paths"]):
        link = f"/tmp/link{i}"
        os.symlink(target, link)
        found["symlink " + target] = attempt(lambda lk=link: read(lk))
        found["hardlink " + target] = attempt(lambda t=target, i=i: os.link(t, f"/tmp/hard{i}"))
    return found


def path_edges(cfg):
    libc_open = LIBC.open
    libc_open.argtypes = [ctypes.c_char_p, ctypes.c_int]

    def c_open(path):
        fd = libc_open(path, 0)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "open")
        return fd

    return {
        "null": attempt(lambda: c_open(None)),
        "format": attempt(lambda: read("%s%s%n%n")),
        "too_long": attempt(lambda: read("/tmp/" + "a" * 4096)),
        "bad_utf8": attempt(lambda: read(b"/tmp/\xff\xfe")),
        "nul_byte": attempt(lambda: read("/tmp/a\0b")),
    }


# -- network (N) -----------------------------------------------------------------------------


def tcp(host, port):
    with socket.create_connection((host, port), timeout=0.5):
        return "connected"


def network(cfg):
    found = {f"tcp {port}": attempt(lambda p=port: tcp("127.0.0.1", p)) for port in cfg["ports"]}

    def udp():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            return sock.sendto(b"leak", ("127.0.0.1", cfg["udp_port"]))

    found["udp"] = attempt(udp)
    return found


NET = "/sys/class/net"


def external(cfg):
    return {
        "tcp 1.1.1.1": attempt(lambda: tcp("1.1.1.1", 53)),
        "dns": attempt(lambda: socket.getaddrinfo("example.com", 80)),
        "interfaces": [True, sorted(os.listdir(NET)) if os.path.isdir(NET) else []],
    }


def unix_connect(address):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(0.5)
        sock.connect(address)
        return "connected"


def unix_sockets(cfg):
    found = {path: attempt(lambda p=path: unix_connect(p)) for path in cfg["paths"]}
    found["abstract"] = attempt(lambda: unix_connect("\0" + cfg["abstract"]))
    return found


def raw_sockets(cfg):
    return {
        "syscall socket(AF_INET)": attempt(lambda: raw_syscall(41, 2, 1, 0)),
        "syscall socket(AF_INET6)": attempt(lambda: raw_syscall(41, 10, 2, 0)),
        "socket(AF_PACKET)": attempt(lambda: raw_syscall(41, 17, 3, 0)),
        "socket(AF_NETLINK)": attempt(lambda: raw_syscall(41, 16, 3, 0)),
        "socketpair(AF_UNIX) still works": attempt(lambda: len(socket.socketpair())),
    }


def io_uring_vsock(cfg):
    params = ctypes.create_string_buffer(120)
    return {
        "io_uring_setup": attempt(lambda: raw_syscall(425, 8, ctypes.addressof(params))),
        "socket(AF_VSOCK)": attempt(lambda: raw_syscall(41, 40, 1, 0)),
    }


# -- processes and resources (P) ------------------------------------------------------------


def fork_bomb(cfg):
    read_end, write_end = os.pipe()
    children = []
    error = "bound reached"
    for _ in range(cfg["bound"]):
        try:
            pid = os.fork()
        except OSError as exc:
            error = errno.errorcode.get(exc.errno, str(exc))
            break
        if pid == 0:
            os.close(write_end)
            os.read(read_end, 1)
            os._exit(0)
        children.append(pid)
    os.close(write_end)
    for pid in children:
        os.waitpid(pid, 0)
    return {"forks": [len(children) >= cfg["bound"], [len(children), error]]}


def thread_bomb(cfg):
    stop = threading.Event()
    threads = []
    error = "bound reached"
    for _ in range(cfg["bound"]):
        thread = threading.Thread(target=stop.wait)
        try:
            thread.start()
        except RuntimeError as exc:
            error = str(exc)
            break
        threads.append(thread)
    stop.set()
    for thread in threads:
        thread.join()
    return {"threads": [len(threads) >= cfg["bound"], [len(threads), error]]}


def memory_bomb(cfg):
    hog = b"x" * (cfg["mb"] << 20)  # every page written
    return {"memory": [True, len(hog)]}


def disk_fill(cfg):
    def one_file():
        written = 0
        with open("/tmp/big", "wb") as handle:
            for _ in range(64):
                handle.write(b"x" * (1 << 20))
                handle.flush()
                written += 1
        return written

    def many_files(directory, count):
        written = 0
        try:
            for i in range(count):
                with open(f"{directory}/f{i}", "wb") as handle:
                    handle.write(b"x" * (4 << 20))
                written += 4
        except OSError as exc:
            raise OSError(exc.errno, f"after {written} MB") from None
        return written

    found = {"one_file": attempt(one_file)}
    os.unlink("/tmp/big")
    found["many_files"] = attempt(lambda: many_files("/tmp", 75))
    found["shm"] = attempt(lambda: many_files("/dev/shm", 10))
    return found


def fd_bomb(cfg):
    opened = []
    error = "bound reached"
    for _ in range(cfg["bound"]):
        try:
            opened.append(os.open("/dev/null", os.O_RDONLY))
        except OSError as exc:
            error = errno.errorcode.get(exc.errno, str(exc))
            break
    for fd in opened:
        os.close(fd)
    return {"fds": [len(opened) >= cfg["bound"], [len(opened), error]]}


def rlimits(cfg):
    names = ("CORE", "CPU", "FSIZE", "NOFILE", "NPROC", "AS")
    return {
        name: [True, list(resource.getrlimit(getattr(resource, "RLIMIT_" + name)))]
        for name in names
    }


def abort(cfg):
    os.abort()


def cpu_burn(cfg):
    deadline = time.monotonic() + cfg["seconds"]
    while time.monotonic() < deadline:
        pass
    return {"burned": [True, cfg["seconds"]]}


def daemon(cfg):
    read_end, write_end = os.pipe()  # close-on-exec: EOF once the daemon has exec'd
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.execv("/usr/bin/sleep", ["sleep", cfg["marker"]])  # noqa: S606
        os._exit(0)
    os.close(write_end)
    os.read(read_end, 1)
    os.waitpid(pid, 0)
    return {"daemon": [True, "started"]}


# -- other processes (X) and privilege (E) --------------------------------------------------


def signals(cfg):
    found = {f"kill {pid}": attempt(lambda p=pid: os.kill(p, 0)) for pid in cfg["pids"]}
    found.update(
        {f"tgkill {pid}": attempt(lambda p=pid: raw_syscall(234, p, p, 0)) for pid in cfg["pids"]}
    )
    return found


def kill_everything(cfg):
    os.kill(-1, signal.SIGKILL)  # kills every process it may signal: only its own sandbox
    return {"kill -1": [True, "survived"]}


def ptrace(cfg):
    iov = (ctypes.c_char * 16)()
    local = (ctypes.c_void_p * 2)(ctypes.addressof(iov), 16)
    found = {}
    for pid in cfg["pids"] + [1]:
        found[f"ptrace attach {pid}"] = attempt(lambda p=pid: raw_syscall(101, 16, p, 0, 0))
        found[f"process_vm_readv {pid}"] = attempt(
            lambda p=pid: raw_syscall(
                310, p, ctypes.addressof(local), 1, ctypes.addressof(local), 1, 0
            )
        )
    found["ptrace traceme"] = attempt(lambda: raw_syscall(101, 0, 0, 0, 0))
    return found


def proc_fd_write(cfg):
    return {f"pid {pid}": attempt(lambda p=pid: write_to(f"/proc/{p}/fd/1")) for pid in cfg["pids"]}


def sysv_ipc(cfg):
    key = cfg["key"]
    return {
        "shmget": attempt(lambda: raw_syscall(29, key, 0, 0)),
        "semget": attempt(lambda: raw_syscall(64, key, 0, 0)),
        "msgget": attempt(lambda: raw_syscall(68, key, 0)),
    }


def new_namespaces(cfg):
    return {
        "unshare(CLONE_NEWUSER)": attempt(lambda: raw_syscall(272, 0x10000000)),
        "unshare(CLONE_NEWNS)": attempt(lambda: raw_syscall(272, 0x00020000)),
        "clone(CLONE_NEWUSER)": attempt(lambda: raw_syscall(56, 0x10000000 | 17, 0, 0, 0, 0)),
        "clone3": attempt(lambda: raw_syscall(435, 0, 0)),
        "setns": attempt(lambda: raw_syscall(308, 0, 0)),
    }


def status_fields():
    with open("/proc/self/status") as handle:
        return dict(line.rstrip("\n").split(":\t", 1) for line in handle if ":\t" in line)


def privileges(cfg):
    fields = status_fields()
    found = {
        key: [True, fields.get(key, "?").strip()]
        for key in ("NoNewPrivs", "CapBnd", "CapEff", "CapPrm", "Seccomp", "Uid")
    }
    setuid = [p for p in ("/usr/bin/su", "/usr/bin/passwd", "/usr/bin/mount") if os.path.exists(p)]
    for path in setuid:
        pid = os.fork()
        if pid == 0:  # its output must not pass for the bot's answer
            devnull = os.open("/dev/null", os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.execv(path, [path, "--version"] if path.endswith("mount") else [path])  # noqa: S606
        os.waitpid(pid, 0)
    found["setuid binaries tried"] = [True, setuid]
    found["still uid"] = [True, os.geteuid()]
    return found


def terminal(cfg):
    char = ctypes.c_char(b"x")
    return {
        "/dev/tty": attempt(lambda: os.open("/dev/tty", os.O_RDWR)),
        "TIOCSTI": attempt(lambda: raw_syscall(16, 0, 0x5412, ctypes.addressof(char))),
        "TIOCLINUX": attempt(lambda: raw_syscall(16, 0, 0x541C, ctypes.addressof(char))),
    }


def kernel_surface(cfg):
    numbers = {
        "keyctl": (250, 0),
        "bpf": (321, 0, 0, 0),
        "perf_event_open": (298, 0, 0, 0, -1, 0),
        "userfaultfd": (323, 0),
        "mount": (165, 0, 0, 0, 0, 0),
        "kexec_load": (246, 0, 0, 0, 0),
        "init_module": (175, 0, 0, 0),
        "pivot_root": (155, 0, 0),
        "chroot": (161, 0),
        "add_key": (248, 0, 0, 0, 0, 0),
        "syslog": (103, 3, 0, 0),
        "acct": (163, 0),
        "x32 getpid": (0x40000000 + 39,),
        "personality": (135, 0xFFFFFFFF),
    }
    return {name: attempt(lambda a=args: raw_syscall(*a)) for name, args in numbers.items()}


def i386_abi(cfg):
    # mov eax, 20 (getpid in the 32-bit table); int 0x80; ret -- a foreign-architecture syscall.
    code = b"\xb8\x14\x00\x00\x00\xcd\x80\xc3"
    page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    result = ctypes.CFUNCTYPE(ctypes.c_int)(address)()
    return {"int 0x80": [True, result]}


ATTACKS = {name: fn for name, fn in globals().items() if callable(fn) and not name.startswith("_")}


def main():
    cfg = json.loads(sys.stdin.readline())
    result = ATTACKS[cfg["attack"]](cfg)
    print(json.dumps(result))
    for _ in sys.stdin:
        print("alive")


main()
