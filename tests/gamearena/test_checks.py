"""System checks report unsafe or broken arena configuration with stable ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks

# The deployment checks include one that reads accounts (gamearena.E006).
pytestmark = pytest.mark.django_db


def check_ids(include_deployment_checks: bool = False) -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=include_deployment_checks)
        if message.id
    }


def test_embedded_backends_are_flagged_for_deployment(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ids = check_ids(include_deployment_checks=True)
    assert "gamearena.W003" in ids


def test_a_redis_that_does_not_answer_is_an_error_under_check_deploy(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    assert "gamearena.E005" in check_ids(include_deployment_checks=True)


def test_a_redis_that_answers_raises_no_error(settings: Any, redis_url: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    }
    assert "gamearena.E005" not in check_ids(include_deployment_checks=True)
