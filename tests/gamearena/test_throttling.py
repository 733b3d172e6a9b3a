"""Rate limits: who a client is, and counts that every worker process shares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from gamearena.auth import limits
from gamearena.backends import throttle_cache_config
from gamearena.throttling import SharedScopedRateThrottle, client_address

ROOT = Path(__file__).resolve().parents[2]
_rate, _ = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES["auth"])
assert _rate is not None
AUTH_RATE: int = _rate


def address(settings: Any, trusted: int, forwarded: str | None) -> str:
    settings.GAMEARENA_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_with_no_trusted_proxy_the_socket_address_is_the_client(settings: Any) -> None:
    assert address(settings, 0, None) == "10.0.0.1"
    assert address(settings, 0, "203.0.113.5") == "10.0.0.1"


def test_with_trusted_proxies_the_outermost_trusted_hop_is_the_client(settings: Any) -> None:
    # The client wrote "1.2.3.4" itself; the one trusted proxy appended what it saw.
    assert address(settings, 1, "1.2.3.4, 203.0.113.5") == "203.0.113.5"
    assert address(settings, 2, "1.2.3.4, 203.0.113.5, 10.0.0.9") == "203.0.113.5"
    assert address(settings, 3, "203.0.113.5") == "203.0.113.5"
    assert address(settings, 1, " , ") == "10.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/auth/register", "/api/auth/token"])
def test_a_new_x_forwarded_for_on_each_request_does_not_escape_the_limit(url: str) -> None:
    api = APIClient()
    statuses = [
        api.post(
            url,
            {"username": f"user{n}", "password": "a long passphrase 42"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(AUTH_RATE + 1)
    ]

    assert 429 not in statuses[:AUTH_RATE]
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings: Any) -> None:
    settings.GAMEARENA_TRUSTED_PROXIES = 1
    api = APIClient()

    def attempt(client_ip: str, n: int) -> int:
        return api.post(
            "/api/auth/token",
            {"username": f"user{n}", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"spoofed-{n}, {client_ip}",
        ).status_code

    first = [attempt("203.0.113.1", n) for n in range(AUTH_RATE + 1)]
    assert first[-1] == 429
    assert attempt("203.0.113.2", 0) == 401


@pytest.mark.parametrize("environ", [{}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}])
def test_the_throttle_cache_is_never_a_per_process_memory_cache(environ: dict[str, str]) -> None:
    backend = throttle_cache_config(environ=environ)["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django_redis.cache.RedisCache",
    }


# One process: the register view's throttle, asked as often as argv says; prints 429 count.
WORKER = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("createcachetable")
from rest_framework.test import APIRequestFactory
from gamearena.auth.apis import RegisterApi
view = RegisterApi.as_view()
factory = APIRequestFactory()
codes = [view(factory.post("/api/auth/register", {}, format="json")).status_code
         for _ in range(int(sys.argv[1]))]
print(json.dumps({"throttled": codes.count(429), "passed": len(codes) - codes.count(429)}))
"""


def run_worker(env: dict[str, str], attempts: int) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(attempts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def worker_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CACHE_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        USE_SQLITE="1",
        BATTLE_DB_PATH=str(tmp_path / "shared.sqlite3"),
        GAMEARENA_VAR_DIR=str(tmp_path),
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex[:12]}",
        **extra,
    )
    return env


def assert_two_processes_share_one_limit(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    attempts = AUTH_RATE * 3 // 4
    first = run_worker(env, attempts)
    second = run_worker(env, attempts)

    # Each process alone stays under the rate; together they pass it exactly once.
    assert first == {"throttled": 0, "passed": attempts}
    assert second["passed"] == AUTH_RATE - attempts
    assert second["throttled"] == 2 * attempts - AUTH_RATE


def test_two_processes_share_one_limit_on_the_embedded_default(tmp_path: Path) -> None:
    assert_two_processes_share_one_limit(worker_environment(tmp_path))


@pytest.mark.redis
def test_two_processes_share_one_limit_on_redis(tmp_path: Path, redis_url: str) -> None:
    assert_two_processes_share_one_limit(worker_environment(tmp_path, REDIS_URL=redis_url))


@pytest.fixture
def slow_memory_throttle_cache(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A throttle cache whose reads take 20 ms, so concurrent updates surely interleave."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"slow-{uuid.uuid4().hex}",
        },
    }
    real_get = LocMemCache.get

    def slow_get(self: LocMemCache, *args: Any, **kwargs: Any) -> Any:
        value = real_get(self, *args, **kwargs)
        time.sleep(0.02)
        return value

    monkeypatch.setattr(LocMemCache, "get", slow_get)


def run_at_once(work: Callable[[], Any], times: int) -> list[Any]:
    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(lambda _: work(), range(times)))


@pytest.mark.usefixtures("slow_memory_throttle_cache")
def test_concurrent_requests_never_pass_a_throttle_together() -> None:
    view = SimpleNamespace(throttle_scope="auth")

    def attempt() -> bool:
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
        request.user = AnonymousUser()
        return SharedScopedRateThrottle().allow_request(request, view)

    answers = run_at_once(attempt, AUTH_RATE + 5)

    assert answers.count(True) == AUTH_RATE


@pytest.mark.usefixtures("slow_memory_throttle_cache")
def test_concurrent_failed_logins_are_each_counted() -> None:
    run_at_once(
        lambda: limits.login_failure_record(username="boss", address="10.0.0.1"),
        limits.ACCOUNT_FAILURE_LIMIT,
    )

    assert limits.login_lockout_seconds(username="boss", address="10.0.0.2") > 0


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path: Path) -> None:
    # The database cache reads then writes inside one transaction and swallows errors; a
    # deferred SQLite transaction there fails at once when another writer got in between,
    # silently losing the count. IMMEDIATE makes it wait for the lock instead.
    from gamearena.backends import sqlite_config

    assert sqlite_config(tmp_path, environ={})["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
