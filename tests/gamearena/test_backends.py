"""DATABASE_URL, REDIS_URL and the storage seed's switches pick the real backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gamearena.backends import (
    cache_backend_name,
    cache_config,
    database_config,
    database_engine_name,
)


def test_no_database_url_means_the_embedded_sqlite_file(tmp_path: Path) -> None:
    config = database_config(tmp_path, environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "gamearena.sqlite3"


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    config = database_config(
        tmp_path, environ={"DATABASE_URL": "postgres://arena:pw@db.internal:5433/arena"}
    )
    assert database_engine_name(config) == "postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        5433,
        "arena",
        "arena",
    )


def test_use_sqlite_forces_the_file_even_with_a_database_url(tmp_path: Path) -> None:
    environ = {
        "DATABASE_URL": "postgres://db/arena",
        "USE_SQLITE": "1",
        "BATTLE_DB_PATH": str(tmp_path / "b.db"),
    }
    config = database_config(tmp_path, environ=environ)
    assert config["NAME"] == tmp_path / "b.db"


def test_use_sqlite_off_without_a_database_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="USE_SQLITE is off but DATABASE_URL is not set"):
        database_config(tmp_path, environ={"USE_SQLITE": "0"})


def test_an_unsupported_database_scheme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="got scheme 'mysql'"):
        database_config(tmp_path, environ={"DATABASE_URL": "mysql://db/arena"})


def test_battle_db_path_naming_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="must name a file"):
        database_config(tmp_path, environ={"BATTLE_DB_PATH": str(tmp_path)})


def test_redis_url_switches_the_cache_to_redis() -> None:
    config = cache_config(environ={"REDIS_URL": "redis://127.0.0.1:6379/2"})
    assert cache_backend_name(config) == "redis"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_a_redis_url_without_a_redis_scheme_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://"):
        cache_config(environ={"REDIS_URL": "127.0.0.1:6379"})


@pytest.mark.parametrize(
    ("environ", "name"), [({}, "local memory"), ({"CACHE_BACKEND": "database"}, "database")]
)
def test_without_redis_the_cache_is_local_memory_or_the_database(
    environ: dict[str, str], name: str
) -> None:
    assert cache_backend_name(cache_config(environ=environ)) == name


def test_the_sqlite_file_directory_is_created_when_missing(tmp_path: Path) -> None:
    config = database_config(tmp_path / "fresh" / "var", environ={})
    assert config["NAME"].parent.is_dir()


def test_sqlite_writers_take_the_write_lock_up_front_and_wait_for_it(tmp_path: Path) -> None:
    options = database_config(tmp_path, environ={})["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
