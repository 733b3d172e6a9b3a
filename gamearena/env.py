"""Typed readers for settings that come from the environment.

Every reader raises ImproperlyConfigured with the variable's name and the value it
got, so a typo in a deployment fails at start-up with a message that says what to fix,
instead of surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypedDict

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS - {''})}, got {raw!r}"
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return value


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] = os.environ
) -> list[str]:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] = os.environ
) -> str:
    value = environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


class ArenaSettings(TypedDict):
    """settings.GAMEARENA: the arena's own knobs, typed so every reader knows what it gets."""

    BATTLE_TTL_SECONDS: int
    SANDBOX_MODE: str  # "bwrap" | "none"
    ALLOW_UNSAFE_SANDBOX: bool
    BOT_PYTHON: str
    FIRST_TURN_TIMEOUT_MS: int
    TURN_TIMEOUT_MS: int
    BATTLE_LEASE_SECONDS: int
    BATTLE_MAX_ATTEMPTS: int
    BATTLE_TIME_LIMIT_SECONDS: int
    BATTLE_SWEEP_SECONDS: int
    BATTLE_QUEUE_EXPIRY_SECONDS: int
    MAX_OPEN_REQUESTED_BATTLES: int
    LIVE_STORE: str  # "auto" | "redis" | "database" | "memory"
    LIVE_TURN_SECONDS: int
    LIVE_MAX_BATTLES: int
    LIVE_MAX_PER_USER: int
    LIVE_QUEUE: str
    LIVE_TURN_WAIT_SECONDS: int
    BATTLE_ARCHIVE_DAYS: int
    QUALIFICATION: bool
    QUALIFICATION_HOUSE_BOT: str
    LADDER_BATTLES_PER_MINUTE: int
    LADDER_MAX_QUEUED: int
    LADDER_PLACEMENT_BATTLES: int
    LADDER_TICK_SECONDS: int
    DUEL_MAX_GAMES: int
    RANK_REFRESH_SECONDS: int
    METRICS_PUBLIC: bool
    METRICS_TOKEN: str


def arena_settings() -> ArenaSettings:
    """settings.GAMEARENA with its type: read it through here, not through settings directly."""
    from django.conf import settings

    return settings.GAMEARENA
