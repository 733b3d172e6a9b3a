"""Celery tasks of the stats app: thin, taking nothing but the clock (STYLE #9)."""

from __future__ import annotations

from celery import shared_task

from stats.ladder import ladder_tick


@shared_task(name="stats.ladder_tick")  # type: ignore[untyped-decorator]
def schedule_ladder_battles() -> None:
    """Schedules the ladder battles due now (LADDER_BATTLES_PER_MINUTE; 0 schedules none)."""
    ladder_tick()
