"""Rating writes under contention, with real threads and connections on PostgreSQL (SQLite
serialises whole-database writes, so the row locks this is about exist only there)."""

from __future__ import annotations

from typing import Any

import pytest

from battles.models import Battle
from bots.models import Bot
from stats.models import RatingHistory, VersionRating
from tests.bots.test_version_concurrency import run_together
from tests.stats.ladder import finish, seat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAIRINGS = 6


def test_seat_swapped_battles_finishing_together_are_each_rated_once_without_deadlock(
    owner_bot: Bot, opponent_bot: Bot
) -> None:
    from battles.services import battle_create

    def create(first: Any, second: Any) -> Battle:
        return battle_create(
            seats=(seat(first), seat(second)),
            reason=Battle.Reason.LADDER, rated=True, seed=1, enqueue=False,
        )  # fmt: skip

    battles = [create(owner_bot, opponent_bot) for _ in range(PAIRINGS)]
    battles += [create(opponent_bot, owner_bot) for _ in range(PAIRINGS)]
    # Every battle finished twice at once as well: a redelivered task racing the first.
    jobs = battles + battles

    run_together(len(jobs), lambda i: finish(jobs[i], winner=i % 2))

    for bot in (owner_bot, opponent_bot):
        record = VersionRating.objects.get(
            version__bot=bot, version__version_number=bot.version_number
        )
        assert (record.battles, record.rated_battles) == (2 * PAIRINGS, 2 * PAIRINGS)
        assert record.wins + record.losses == 2 * PAIRINGS
    assert RatingHistory.objects.count() == 4 * PAIRINGS
    # The versions that played (a bot's older versions keep their ratings and never played).
    elos = VersionRating.objects.filter(rated_battles__gt=0).values_list("elo", flat=True)
    # No update was lost: Elo moves are zero-sum.
    assert sum(elos) == pytest.approx(2 * 1200.0)
