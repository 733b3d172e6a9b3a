"""Battles recorded without being played, for the ratings tests: a real game takes a second,
and the stats only read a finished battle's rows. One test per path plays for real."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from battles.models import Battle
from battles.services import SeatSpec, battle_create, seat_spec_for
from bots.models import Bot, BotVersion
from stats.services import stats_record_battle

TIMING = {
    "turns": 10,
    "wall_ms": {"p50": 4.0, "p95": 9.0, "max": 30.0},
    "cpu_ms": {"p50": 3.0, "p95": 8.0, "max": 25.0},
    "slowest_turns": [],
}


def seat(entrant: Bot | BotVersion | str) -> SeatSpec:
    if isinstance(entrant, str):
        return seat_spec_for(house=entrant)
    if isinstance(entrant, Bot):
        return seat_spec_for(bot=entrant)
    return SeatSpec(version=entrant)


def record_finished(
    first: Bot | BotVersion | str,
    second: Bot | BotVersion | str,
    *,
    winner: int | None,
    reason: str = Battle.Reason.LADDER,
    rated: bool = True,
    faults: tuple[str, str] = ("ok", "ok"),
) -> Battle:
    """A battle between `first` (seat 0) and `second` (seat 1) that ended with `winner`,
    recorded in the stats as its finishing transaction would."""
    battle = battle_create(
        seats=(seat(first), seat(second)), reason=reason, rated=rated, seed=1, enqueue=False
    )
    return finish(battle, winner=winner, faults=faults)


def finish(battle: Battle, *, winner: int | None, faults: tuple[str, str] = ("ok", "ok")) -> Battle:
    """Ends a queued `battle` with `winner` as the finishing transaction would, stats included."""
    with transaction.atomic():
        Battle.objects.filter(pk=battle.pk).update(
            status=Battle.Status.FINISHED, winner_seat=winner, finished_at=timezone.now(), turns=10
        )
        seats = list(battle.seats.select_related("bot_version").order_by("seat"))
        for row, fault in zip(seats, faults, strict=True):
            row.status, row.score, row.timing = fault, 3, TIMING
            row.save(update_fields=["status", "score", "timing"])
        battle.refresh_from_db()
        stats_record_battle(battle=battle, seats=seats)
    return battle
