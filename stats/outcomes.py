"""What a finished (or abandoned) battle means beyond its result, by why it was played.

Called by the battles app inside a battle's finishing transaction (battles/services.py), so
a qualification concludes and a duel game counts exactly when the result is recorded: once.
Imports are inside the functions: the modules they reach create battles themselves, and
battles/services.py imports this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from battles.models import Battle, BattleSeat

RECONCILE_BATCH = 200


def battle_outcome_record(*, battle: Battle, seats: Sequence[BattleSeat]) -> None:
    """A finished battle: concludes its qualification, or counts its game in its duel."""
    from battles.models import Battle

    if battle.reason == Battle.Reason.QUALIFICATION:
        from bots.qualification import qualification_conclude

        qualification_conclude(battle=battle, seats=seats)
    elif battle.reason == Battle.Reason.DUEL:
        from stats.duels import duel_record_battle

        duel_record_battle(battle=battle, seats=seats)


def battle_abandon_record(*, battle: Battle) -> None:
    """A battle that failed for good (platform faults): what waited for it must not wait on."""
    from battles.models import Battle

    if battle.reason == Battle.Reason.QUALIFICATION:
        from bots.qualification import qualification_abandon

        qualification_abandon(battle=battle)
    elif battle.reason == Battle.Reason.DUEL:
        from stats.duels import duel_abandon_battle

        duel_abandon_battle(battle=battle)


def abandoned_battles_reconcile() -> int:
    """Periodic: what waits on a battle that ended without a result by another path than a
    worker giving up (the sweep failing a battle whose worker died, expiry in the queue, a
    cancellation) is released as if the battle had been abandoned. Returns how many."""
    from battles.models import Battle
    from bots.models import BotVersion
    from stats.models import DuelGame

    over = (Battle.Status.FAILED, Battle.Status.EXPIRED, Battle.Status.CANCELLED)
    stuck = list(
        Battle.objects.filter(status__in=over, reason=Battle.Reason.QUALIFICATION)
        .filter(
            pk__in=BotVersion.objects.filter(
                qualification_status=BotVersion.Qualification.PENDING
            ).values("qualification_battle")
        )
        .order_by("pk")[:RECONCILE_BATCH]
    )
    stuck += list(
        Battle.objects.filter(
            status__in=over,
            pk__in=DuelGame.objects.filter(counted=False).values("battle"),
        ).order_by("pk")[:RECONCILE_BATCH]
    )
    for battle in stuck:
        with transaction.atomic():
            battle_abandon_record(battle=battle)
    return len(stuck)
