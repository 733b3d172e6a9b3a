"""A real GameArena server process on a fresh database, for tests over real sockets.

It is the run command's server (uvicorn, two worker processes, gamearena.asgi) on a fresh,
migrated database, with users and API tokens made beforehand, so tests see exactly what a
client of `bash .ci/serve` sees, contention between processes included.

By default the database is a temporary SQLite file (the embedded default). With
`on_the_suites_servers`, when the suite itself runs on PostgreSQL (DATABASE_URL), the server
gets a database of its own on that same PostgreSQL server, `<name>_served_<pid>`, created and
migrated before it starts and dropped after it stops, and the suite's Redis (REDIS_URL) under
a key prefix of its own: the pages are then tested on the production backends too.
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
from urllib.parse import urlsplit, urlunsplit

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


@dataclass(frozen=True)
class Backends:
    """Where a served process keeps its data when it is not the embedded default."""

    database_url: str
    redis_url: str = ""


def server_environment(
    directory: Path, settings_module: str, *, debug: bool, backends: Backends | None = None
) -> dict[str, str]:
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
    if backends is not None:
        environ.update(USE_SQLITE="0", DATABASE_URL=backends.database_url)
        if backends.redis_url:
            # The suite's Redis, under a prefix no test process uses.
            environ.update(REDIS_URL=backends.redis_url, CACHE_KEY_PREFIX=f"served-{os.getpid()}")
    return environ


def _is_postgres(url: str) -> bool:
    return url.split(":", 1)[0].lower() in {"postgres", "postgresql", "pgsql"}


def _on_the_server(url: str, statement: str) -> None:
    """Runs one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    import psycopg

    # psycopg speaks libpq's URLs, whose scheme is postgresql://.
    with psycopg.connect("postgresql:" + url.split(":", 1)[1], autocommit=True) as connection:
        connection.execute(statement)


@contextmanager
def database_of_its_own(url: str) -> Iterator[str]:
    """A fresh, empty database beside the one `url` names, on the same server: its URL.

    Named after that database and this process (`test_served_1234`), so runs side by side
    never meet; one a killed run left behind is dropped first."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_served_{os.getpid()}"
    _on_the_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _on_the_server(url, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        _on_the_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def suites_backends() -> Iterator[Backends | None]:
    """The suite's PostgreSQL and Redis for a served process (a database of its own), or
    None when the suite runs on the embedded default (then the server does too)."""
    url = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(url):
        yield None
        return
    with database_of_its_own(url) as database_url:
        yield Backends(database_url, os.environ.get("REDIS_URL", ""))


def prepare_database(
    environ: dict[str, str], usernames: Sequence[str], seed: str = ""
) -> dict[str, str]:
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
    if seed:  # the test's own data, written by the app's code in the served environment
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{seed}"],
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
    on_the_suites_servers: bool = False,
    seed: str = "",
) -> Iterator[LiveServer]:
    """The server, once it answers. `seed` is Python run with Django set up in the served
    environment, after the users are made and before the server starts."""
    if not on_the_suites_servers:
        with _served(directory, usernames, settings_module, debug, None, seed) as running:
            yield running
        return
    with (
        suites_backends() as backends,
        _served(directory, usernames, settings_module, debug, backends, seed) as running,
    ):
        yield running


@contextmanager
def _served(
    directory: Path,
    usernames: Sequence[str],
    settings_module: str,
    debug: bool,
    backends: Backends | None,
    seed: str,
) -> Iterator[LiveServer]:
    environ = server_environment(directory, settings_module, debug=debug, backends=backends)
    tokens = prepare_database(environ, usernames, seed)
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
