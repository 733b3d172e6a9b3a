"""GET /api/storage/info reports the backends really in use."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_storage_info_names_the_database_engine_in_use(client: Client) -> None:
    body = client.get("/api/storage/info").json()
    assert body["database"]["engine"] == connection.vendor
    assert body["finished_battles"]["store"] == f"database ({connection.vendor})"


def test_storage_info_reports_local_memory_for_the_embedded_cache(
    client: Client, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    body = client.get("/api/storage/info").json()
    assert body["cache"]["backend"] == "local memory"


def test_storage_info_reports_redis_when_redis_is_the_cache(
    client: Client, settings: Any, redis_url: str
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    }
    cache.set("storage-info-probe", 1)  # proves the configured Redis really answers
    body = client.get("/api/storage/info").json()
    assert body["cache"]["backend"] == "redis"


def test_storage_info_reports_the_live_battle_ttl(client: Client, settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "BATTLE_TTL_SECONDS": 120}
    assert client.get("/api/storage/info").json()["live_battles"]["ttl_seconds"] == 120


def test_storage_info_is_public_and_leaks_no_connection_details(client: Client) -> None:
    content = client.get("/api/storage/info").content.decode()
    assert "PASSWORD" not in content.upper()
    assert "HOST" not in content.upper()


def test_storage_info_names_the_live_store_in_use_and_why_it_is_not_redis(
    client: Client, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    live = client.get("/api/storage/info").json()["live_battles"]
    assert live["store"] == "database"
    assert "REDIS_URL is not set" in live["fallback"]
    assert (live["available"], live["live"], live["running"]) == (True, 0, 0)


def test_storage_info_reports_redis_as_the_live_store_when_redis_is_configured(
    client: Client, settings: Any, redis_url: str
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "live": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url},
    }
    live = client.get("/api/storage/info").json()["live_battles"]
    assert (live["store"], live["fallback"], live["available"]) == ("redis", None, True)


def test_storage_info_counts_the_stored_battles(client: Client) -> None:
    assert client.get("/api/storage/info").json()["finished_battles"]["stored"] == 0
