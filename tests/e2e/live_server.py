"""A real GameArena server process on a temporary SQLite file, for tests over real sockets.

It is the run command's server (uvicorn, two worker processes, gamearena.asgi) on a fresh,
migrated database, with users and API tokens made beforehand, so tests see exactly what a
client of `bash .ci/serve` sees, contention between processes included.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVED_SETTINGS = "tests.e2e.served_settings"

MAKE_USERS = """
import json, sys
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
tokens = {}
for name in sys.argv[1:]:
    user = get_user_model().objects.create_user(name, password=name + "-long-passphrase")
    tokens[name] = Token.objects.create(user=user).key
print(json.dumps(tokens))
"""


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int
    tokens: dict[str, str]

    def get_raw(self, path: str) -> tuple[int, str, bytes]:
        """GET on its own connection: (status, Content-Type, body bytes)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()

    def request(
        self, method: str, path: str, body: Any = None, *, token: str | None = None
    ) -> tuple[int, Any]:
        """One request on its own connection: (status, decoded JSON body or None)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            headers = {"Content-Type": "application/json"}
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
            data = None if body is None else json.dumps(body).encode()
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(directory: Path, settings_module: str, *, debug: bool) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        # The embedded default on a file of its own: no PostgreSQL, Redis or shared cache.
        if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_BACKEND", "SECRET_KEY"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DEBUG="1" if debug else "0",
        USE_SQLITE="1",
        GAMEARENA_VAR_DIR=str(directory),
        BATTLE_DB_PATH=str(directory / "gamearena.sqlite3"),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if not debug:
        environ["SECRET_KEY"] = "live-server-tests-only-" + "k" * 40
    return environ


def prepare_database(environ: dict[str, str], usernames: Sequence[str]) -> dict[str, str]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput", "--skip-checks"],
        env=environ, cwd=ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    # The shared rate-limit counters live in a cache table on the embedded default, made by
    # the run command as it is here.
    subprocess.run(
        [*manage, "createcachetable"],
        env=environ, cwd=ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    made = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{MAKE_USERS}", *usernames],
        env=environ, cwd=ROOT, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return dict(json.loads(made.stdout))


def serve_command(host: str, port: int) -> list[str]:
    """The run command's server: uvicorn with two worker processes."""
    return [
        sys.executable, "-m", "uvicorn", "gamearena.asgi:application",
        "--host", host, "--port", str(port), "--workers", "2", "--no-access-log",
    ]  # fmt: skip


def wait_until_answering(host: str, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise RuntimeError("the server did not answer /health within 60 s")


@contextmanager
def live_server(
    directory: Path,
    usernames: Sequence[str],
    *,
    settings_module: str = SERVED_SETTINGS,
    debug: bool = True,
) -> Iterator[LiveServer]:
    environ = server_environment(directory, settings_module, debug=debug)
    tokens = prepare_database(environ, usernames)
    host, port = "127.0.0.1", free_port()
    log = (directory / "server.log").open("wb")
    process = subprocess.Popen(
        serve_command(host, port), env=environ, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    # The run command's live battle worker too (.ci/serve): live battles are played by it.
    worker = subprocess.Popen(
        live_worker_command(), env=environ, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_answering(host, port, process)
        yield LiveServer(host, port, tokens)
    finally:
        for started in (process, worker):
            started.terminate()
            try:
                started.wait(timeout=20)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait()
        log.close()


def live_worker_command() -> list[str]:
    """The run command's live battle worker: threads on the live queue."""
    return [
        sys.executable, "-m", "celery", "-A", "gamearena", "worker", "-P", "threads",
        "-c", "4", "--queues", "live", "--loglevel", "WARNING",
    ]  # fmt: skip
