"""Choose the database and cache from the environment.

The embedded default (SQLite file, local-memory cache) needs no server, so the
product runs on a laptop; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
USE_SQLITE and BATTLE_DB_PATH are the storage seed's switches, kept so that old
deployments keep working: USE_SQLITE=1 forces the SQLite file even when
DATABASE_URL is set, BATTLE_DB_PATH names that file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gamearena.env import env_bool, env_choice, env_str

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def database_config(var_dir: Path, *, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    url = env_str("DATABASE_URL", environ=environ)
    use_sqlite = env_bool("USE_SQLITE", default=not url, environ=environ)
    if use_sqlite:
        return sqlite_config(var_dir, environ=environ)
    if not url:
        raise ImproperlyConfigured("USE_SQLITE is off but DATABASE_URL is not set")
    scheme = url.split(":", 1)[0].lower()
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite://, got scheme {scheme!r}"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {error}") from None
    return config


# How SQLite writers take turns. A transaction SQLite starts as a read ("BEGIN", the
# default) and later upgrades to a write cannot wait for the lock: when another writer holds
# it, the upgrade fails at once with "database is locked", whatever the busy timeout, because
# waiting could deadlock two readers that both want to write. BEGIN IMMEDIATE takes the write
# lock when the transaction starts, where the busy timeout does apply, so concurrent writers
# queue instead of failing. WAL lets readers go on while one writes; synchronous=NORMAL is
# WAL's usual pairing (durable across a process crash, it syncs at checkpoints rather than
# on every commit).
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def sqlite_config(var_dir: Path, *, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    path = Path(env_str("BATTLE_DB_PATH", environ=environ) or var_dir / "gamearena.sqlite3")
    if path.is_dir():
        raise ImproperlyConfigured(f"BATTLE_DB_PATH must name a file, {path} is a directory")
    # SQLite creates the file but not its directory: a fresh checkout has no var/ yet.
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


def cache_config(*, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    redis_url = env_str("REDIS_URL", environ=environ)
    if redis_url:
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(
                f"REDIS_URL must start with redis://, rediss:// or unix://, got {redis_url!r}"
            )
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gamearena", environ=environ),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # Fail fast when Redis is down so /health can say so instead of hanging.
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    backend = env_choice("CACHE_BACKEND", "locmem", ("locmem", "database"), environ=environ)
    if backend == "database":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gamearena_cache",
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gamearena"}


def throttle_cache_config(*, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The rate limits' cache: shared between processes on every backend.

    Redis (under its own key prefix) when REDIS_URL is set, else a database table
    (`manage.py createcachetable` makes it), never a per-process memory cache: with one,
    each worker would let the whole limit through.
    """
    if env_str("REDIS_URL", environ=environ):
        config = cache_config(environ=environ)
        config["KEY_PREFIX"] = f"{config['KEY_PREFIX']}-throttle"
        return config
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gamearena_throttle",
    }


def cache_backend_name(cache: Mapping[str, Any]) -> str:
    """The name /api/storage/info and /health report: redis, database or local memory."""
    backend = str(cache.get("BACKEND", ""))
    if "redis" in backend.lower():
        return "redis"
    if backend.endswith("DatabaseCache"):
        return "database"
    if backend.endswith("LocMemCache"):
        return "local memory"
    return backend


def database_engine_name(database: Mapping[str, Any]) -> str:
    engine = str(database.get("ENGINE", ""))
    return {
        "django.db.backends.sqlite3": "sqlite",
        "django.db.backends.postgresql": "postgresql",
    }.get(engine, engine)
