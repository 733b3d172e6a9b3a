"""Reads about battles and where they are kept."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings

from gamearena.backends import cache_backend_name, database_engine_name
from gamearena.env import arena_settings


class StorageInfo(TypedDict):
    database: dict[str, str]
    cache: dict[str, str]
    live_battles: dict[str, str | int]
    finished_battles: dict[str, str]


def storage_info_get() -> StorageInfo:
    """Which backends are really in use, read from the live settings (never from a guess)."""
    database = database_engine_name(settings.DATABASES["default"])
    cache = cache_backend_name(settings.CACHES["default"])
    return {
        "database": {"engine": database},
        "cache": {"backend": cache},
        "live_battles": {
            "store": f"cache ({cache})",
            "ttl_seconds": arena_settings()["BATTLE_TTL_SECONDS"],
        },
        "finished_battles": {"store": f"database ({database})"},
    }
