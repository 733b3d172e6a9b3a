"""Celery tasks of the battles app: thin, idempotent, taking ids (STYLE #9).

Retries and time limits are not set here: platform faults are retried by the service through
the queue (it knows a bot's fault from the platform's), and time limits live in settings.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from battles.services import battle_play, battle_sweep


@shared_task(name="battles.play")  # type: ignore[untyped-decorator]
def play_battle(battle_id: int) -> None:
    """Plays and records battle `battle_id`; a no-op when another attempt holds or ended it."""
    battle_play(battle_id=battle_id)


@shared_task(name="battles.sweep")  # type: ignore[untyped-decorator]
def sweep_battles() -> None:
    """Re-queues battles whose worker died, re-sends lost messages, expires stale ones."""
    battle_sweep()


@shared_task(name="battles.play_live")  # type: ignore[untyped-decorator]
def play_live_battle(battle_id: int) -> None:
    """Plays live battle `battle_id` against its remote seat (the live queue's threads pool:
    it mostly waits for a person); a no-op when another attempt holds or ended it."""
    from battles.live import live_battle_play

    live_battle_play(battle_id=battle_id)


@shared_task(name="battles.prune_live")  # type: ignore[untyped-decorator]
def prune_live_battles() -> None:
    """Removes live entries and events past their TTL and marks their battles expired."""
    from battles.archive import live_entries_prune

    live_entries_prune(dry_run=False)


@worker_ready.connect  # type: ignore[untyped-decorator]
def say_which_live_store(**_: Any) -> None:
    """A worker says at start-up where live battles are kept, loudly if Redis is down."""
    from battles.live_store import live_store_startup_check

    live_store_startup_check("worker")
