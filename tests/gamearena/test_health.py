"""GET /health tells whether the database and the cache answer, and names what is down."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from battles.live_store import live_store_choice

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


def test_health_is_ok_when_database_and_cache_answer(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["database"] == {"ok": True, "engine": connection.vendor}


def test_health_answers_503_naming_the_cache_when_it_is_down(client: Client, settings: Any) -> None:
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["cache"]["backend"] == "redis"
    assert body["database"]["ok"] is True


def test_health_answers_503_naming_the_database_when_it_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health")
    assert response.status_code == 503
    # Without Redis the live battles are kept in that database: they are down with it.
    live_in_database = live_store_choice()[0] == "database"
    expected = ["database", "live_store"] if live_in_database else ["database"]
    assert response.json()["failing"] == expected
    assert "refused" not in response.content.decode()  # driver messages stay in the log


def test_health_accepts_only_get(client: Client) -> None:
    assert client.post("/health").status_code == 405


def test_health_names_the_live_store_when_its_redis_is_down(client: Client, settings: Any) -> None:
    settings.CACHES = {**settings.CACHES, "live": UNREACHABLE_REDIS["default"]}
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["failing"] == ["live_store"]
    assert response.json()["live_store"] == {
        "ok": False,
        "backend": "redis",
        "error": "LiveStoreUnavailableError",
    }
