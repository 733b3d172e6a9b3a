"""/health latency while clients flood the token login with wrong passwords.

    .venv/bin/python bench/auth_flood.py [--clients 4] [--seconds 20] [--workers 1]
                                         [--root DIR] [--spoof | --no-spoof]

Starts a real server process on 127.0.0.1 (uvicorn when installed, else runserver) with the
production settings (gamearena.settings: PBKDF2, not the tests' MD5 hasher) on a fresh SQLite
file, creates one account, then for a bounded time runs `--clients` threads that POST
/api/auth/token with that username and a new wrong password each time, each request with a
new random X-Forwarded-For (`--spoof`, the default: the limit bypass of old). Meanwhile one
more thread times GET /health every 50 ms. Printed: /health median and p90 with no load and
under the flood, and what the flood got back (status counts, requests per second).

`--root` runs the same measurement against another checkout (e.g. an older commit exported
with `git archive`), using this interpreter; everything it writes goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import importlib.util
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1]
USERNAME = "victim"
PASSWORD = "the real passphrase 0451"  # noqa: S105 - a throwaway account in a temporary db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_BACKEND", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="gamearena.settings",
        SECRET_KEY="bench-only-secret-key-0123456789abcdef-0123456789abcdef",  # noqa: S106
        GAMEARENA_VAR_DIR=str(var_dir),
        USE_SQLITE="1",
        BATTLE_DB_PATH=str(var_dir / "bench.sqlite3"),
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="ERROR",
    )
    return env


def prepare(root: Path, env: dict[str, str]) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run([*manage, *command], cwd=root, env=env, check=True, capture_output=True)
    create = (
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})"
    )
    subprocess.run([*manage, "shell", "-c", create], cwd=root, env=env, check=True)


def start_server(
    root: Path, env: dict[str, str], port: int, workers: int
) -> subprocess.Popen[bytes]:
    if importlib.util.find_spec("uvicorn") is not None:
        command = [sys.executable, "-m", "uvicorn", "gamearena.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; the flooding clients
        # stand for remote ones here, whose header it would not believe.
        command += ["--log-level", "warning", "--no-access-log", "--no-proxy-headers"]
    else:
        if workers != 1:
            raise SystemExit("--workers needs uvicorn (runserver is one process)")
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get_health(http.client.HTTPConnection("127.0.0.1", port, timeout=5)) > 0:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not answer /health within 60 s")


def get_health(conn: http.client.HTTPConnection) -> float:
    started = time.perf_counter()
    conn.request("GET", "/health")
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise OSError(f"/health answered {response.status}")
    return (time.perf_counter() - started) * 1000


def probe(port: int, stop: threading.Event, limit: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times: list[float] = []
    while not stop.is_set() and len(times) < limit:
        times.append(get_health(conn))
        time.sleep(0.05)
    conn.close()
    return times


def flood(port: int, stop: threading.Event, spoof: bool, counts: collections.Counter[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        headers = {"Content-Type": "application/json"}
        if spoof:
            headers["X-Forwarded-For"] = ".".join(str(random.randint(1, 254)) for _ in range(4))
        body = json.dumps({"username": USERNAME, "password": f"wrong guess {n}"})
        try:
            conn.request("POST", "/api/auth/token", body, headers)
            response = conn.getresponse()
            response.read()
            counts[response.status] += 1
        except (OSError, http.client.HTTPException):
            counts[0] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()


def summary(name: str, times: list[float]) -> str:
    if not times:
        return f"{name}: no sample"
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (
        f"{name}: median {statistics.median(ordered):.1f} ms, p90 {p90:.1f} ms "
        f"({len(ordered)} requests)"
    )


def measure(args: argparse.Namespace) -> None:
    root = Path(args.root).resolve()
    with tempfile.TemporaryDirectory(prefix="gamearena-bench-") as directory:
        env = environment(Path(directory))
        prepare(root, env)
        port = free_port()
        server = start_server(root, env, port, args.workers)
        try:
            idle = probe(port, threading.Event(), 40)
            stop = threading.Event()
            counts: collections.Counter[int] = collections.Counter()
            clients = [
                threading.Thread(target=flood, args=(port, stop, args.spoof, counts))
                for _ in range(args.clients)
            ]
            for client in clients:
                client.start()
            time.sleep(1)  # let the flood reach its steady state before timing
            started = time.monotonic()
            loaded = probe(port, threading.Event(), int(args.seconds / 0.05))
            elapsed = time.monotonic() - started
            stop.set()
            for client in clients:
                client.join(timeout=60)
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(counts.values())
    print(
        f"root {root}, {args.workers} worker(s), {args.clients} flooding clients, "
        f"X-Forwarded-For {'random per request' if args.spoof else 'not sent'}"
    )
    print(summary("/health idle", idle))
    print(summary("/health under the flood", loaded))
    statuses = ", ".join(f"{status or 'error'}: {n}" for status, n in sorted(counts.items()))
    print(
        f"flood: {total} logins in {elapsed + 1:.1f} s ({total / (elapsed + 1):.0f}/s); {statuses}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0, help="flood duration (bounded)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--root", default=str(DEFAULT_ROOT), help="checkout to serve")
    parser.add_argument("--spoof", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    if not 1 <= args.clients <= 16 or not 1 <= args.seconds <= 120:
        raise SystemExit("keep it bounded: 1-16 clients, 1-120 seconds")
    measure(args)


if __name__ == "__main__":
    main()
