"""GET /health tells whether the database and the cache answer, and names what is down."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

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
    assert response.json()["failing"] == ["database"]
    assert "refused" not in response.content.decode()  # driver messages stay in the log


def test_health_accepts_only_get(client: Client) -> None:
    assert client.post("/health").status_code == 405
