"""Writes of the stats app. Every write happens inside a battle's finishing transaction
(battles/services.py), so a battle counts once or not at all.

Counters are incremented with F() expressions: concurrent battles of one agent add up instead of
overwriting each other, on every database backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bots.models import Bot, BotVersion
from stats.models import AgentStats

if TYPE_CHECKING:
    from datetime import datetime

    from battles.models import Battle, BattleSeat

FAULT_COUNTERS = {"timeout": "timeouts", "crashed": "crashes", "invalid": "invalid_outputs"}


def record_agent_stats(
    agent_name: str,
    won: bool | None,
    *,
    fault: str = "",
    at: datetime | None = None,
) -> None:
    """Counts one battle for `agent_name`: won True, lost False, drawn None (the seed's call).

    `fault` is the agent's status when it faulted ("timeout", "crashed", "invalid").
    """
    increments = {"total_battles": F("total_battles") + 1}
    result = "draws" if won is None else ("wins" if won else "losses")
    increments[result] = F(result) + 1
    if fault in FAULT_COUNTERS:
        counter = FAULT_COUNTERS[fault]
        increments[counter] = F(counter) + 1
    with transaction.atomic():
        _ensure_row(agent_name)
        AgentStats.objects.filter(agent_name=agent_name).update(
            **increments, last_battle_at=at or timezone.now()
        )


def _ensure_row(agent_name: str) -> None:
    if AgentStats.objects.filter(agent_name=agent_name).exists():
        return
    try:
        with transaction.atomic():  # a savepoint: a racing creator's row is just as good
            AgentStats.objects.create(agent_name=agent_name)
    except IntegrityError:
        pass


def stats_record_battle(*, battle: Battle, seats: Sequence[BattleSeat]) -> None:
    """Counts a finished battle for both seats' agents, bots and versions.

    Each seat counts from its own side: a battle of an agent against itself (two versions of
    one bot, say) is one win and one loss for it.
    """
    for seat in seats:
        won = None if battle.winner_seat is None else battle.winner_seat == seat.seat
        record_agent_stats(seat.agent_name, won, fault=seat.status, at=battle.finished_at)
        if seat.bot_version_id is None or seat.bot_id is None:
            continue
        wins = F("win_count") + (1 if won else 0)
        Bot.objects.filter(pk=seat.bot_id).update(match_count=F("match_count") + 1, win_count=wins)
        BotVersion.objects.filter(pk=seat.bot_version_id).update(
            match_count=F("match_count") + 1, win_count=wins
        )
