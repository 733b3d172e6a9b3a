"""Celery tasks of the stats app: thin and idempotent, taking nothing but the clock (STYLE #9)."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from stats import cache_keys
from stats.ladder import ladder_tick
from stats.services import leaderboard_refresh_ranks


@shared_task(name="stats.ladder_tick")  # type: ignore[untyped-decorator]
def schedule_ladder_battles() -> None:
    """Schedules the ladder battles due now (LADDER_BATTLES_PER_MINUTE; 0 schedules none)."""
    ladder_tick()


@shared_task(name="stats.refresh_ranks")  # type: ignore[untyped-decorator]
def refresh_leaderboard_ranks() -> int:
    """Recomputes the leaderboard's rank intervals; running it twice only repeats the work."""
    # Cleared first: a rated battle finishing during the refresh queues the next one.
    cache.delete(cache_keys.RANK_REFRESH_PENDING)
    return leaderboard_refresh_ranks()
