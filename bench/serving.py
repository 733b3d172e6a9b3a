"""HTTP serving: Django's development server against the run command's uvicorn, in one run.

    .venv/bin/python bench/serving.py [--requests 300] [--rounds 5] [--clients 30]

Each server is started on a fresh, migrated SQLite file in a temporary folder (127.0.0.1
only) and asked for GET /api/bots/public, an anonymous read of the database:

- kept alive: one connection sending --requests requests one after the other: requests per
  second and the median latency;
- simultaneous connections: --clients threads released together, each opening its own
  connection for one request, --rounds times: how many connections were reset or refused;
- concurrent kept-alive load: --clients connections of --requests / 10 requests each,
  together: requests per second overall, and how many requests failed.

Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where bench/battles.py would
# hide the battles package: put the project root there instead.
if str(Path(__file__).resolve().parent) in sys.path:
    sys.path.remove(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.live_server import (
    ROOT,
    free_port,
    prepare_database,
    serve_command,
    server_environment,
    wait_until_answering,
)

PATH = "/api/bots/public"
HOST = "127.0.0.1"


def runserver_command(host: str, port: int) -> list[str]:
    """The README's server before: Django's development server, as .ci/serve ran it."""
    return [sys.executable, str(ROOT / "manage.py"), "runserver", f"{host}:{port}", "--noreload"]


SERVERS: dict[str, Callable[[str, int], list[str]]] = {
    "runserver": runserver_command,
    "uvicorn (2 workers)": serve_command,
}


@dataclass(frozen=True)
class Figures:
    kept_alive_rps: float
    kept_alive_median_ms: float
    resets: int
    connections: int
    load_rps: float
    load_failures: int
    load_requests: int


def kept_alive(port: int, count: int) -> tuple[float, list[float]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies = []
    started = time.perf_counter()
    for _ in range(count):
        sent = time.perf_counter()
        connection.request("GET", PATH)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {PATH} answered {response.status}")
        latencies.append(time.perf_counter() - sent)
    elapsed = time.perf_counter() - started
    connection.close()
    return count / elapsed, latencies


def one_fresh_connection(port: int) -> bool:
    """True when a new connection got its answer; False when it was reset or refused."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", PATH)
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except (ConnectionError, http.client.HTTPException, OSError):
        return False
    finally:
        connection.close()


def together[T](count: int, work: Callable[[int], T]) -> list[T]:
    barrier = threading.Barrier(count)

    def worker(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def load(port: int, clients: int, per_client: int) -> tuple[float, int]:
    def client(_: int) -> int:
        failures = 0
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        for _ in range(per_client):
            try:
                connection.request("GET", PATH)
                response = connection.getresponse()
                response.read()
                failures += response.status != 200
            except (ConnectionError, http.client.HTTPException, OSError):
                failures += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.close()
        return failures

    started = time.perf_counter()
    failures = together(clients, client)
    return clients * per_client / (time.perf_counter() - started), sum(failures)


def measure(
    name: str, make_command: Callable[[str, int], list[str]], environ: dict[str, str], args: Any
) -> Figures:
    port = free_port()
    process = subprocess.Popen(
        make_command(HOST, port), env=environ, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_answering(HOST, port, process)
        kept_alive(port, 20)  # warm-up: imports, first queries
        print(f"{name}: kept-alive requests", file=sys.stderr)
        rps, latencies = kept_alive(port, args.requests)
        print(f"{name}: {args.clients} simultaneous connections x {args.rounds}", file=sys.stderr)
        answered = [
            ok
            for _ in range(args.rounds)
            for ok in together(args.clients, lambda _: one_fresh_connection(port))
        ]
        print(f"{name}: concurrent kept-alive load", file=sys.stderr)
        per_client = max(1, args.requests // 10)
        load_rps, load_failures = load(port, args.clients, per_client)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return Figures(
        kept_alive_rps=rps,
        kept_alive_median_ms=statistics.median(latencies) * 1000,
        resets=answered.count(False),
        connections=len(answered),
        load_rps=load_rps,
        load_failures=load_failures,
        load_requests=args.clients * per_client,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=30)
    args = parser.parse_args()
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as directory:
        environ = server_environment(Path(directory), "gamearena.settings", debug=True)
        environ["LOG_LEVEL"] = "ERROR"
        print("migrating a fresh SQLite file", file=sys.stderr)
        prepare_database(environ, [])
        for name, make_command in SERVERS.items():
            results[name] = measure(name, make_command, environ, args)
    print(f"GET {PATH} on SQLite, DEBUG on, 127.0.0.1")
    print(
        f"{'server':<22}{'kept-alive req/s':>18}{'median ms':>11}{'resets':>12}"
        f"{'load req/s':>12}{'load failed':>13}"
    )
    for name, figures in results.items():
        print(
            f"{name:<22}{figures.kept_alive_rps:>18.1f}{figures.kept_alive_median_ms:>11.2f}"
            f"{f'{figures.resets}/{figures.connections}':>12}{figures.load_rps:>12.1f}"
            f"{f'{figures.load_failures}/{figures.load_requests}':>13}"
        )


if __name__ == "__main__":
    main()
