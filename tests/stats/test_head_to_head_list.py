"""stats.selectors.head_to_head_list: a bot's record against each bot it played (bot page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from battles.models import Battle
from bots.models import Bot
from bots.services import bot_submit
from stats.selectors import head_to_head_get, head_to_head_list
from tests.battles.conftest import CRASHER
from tests.stats.ladder import record_finished

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger_bot(stranger: User) -> Bot:
    return bot_submit(owner=stranger, name="stranger-bot", code=CRASHER).bot


def test_each_opponent_bot_has_its_record_most_played_first(
    owner_bot: Bot, opponent_bot: Bot, stranger_bot: Bot
) -> None:
    record_finished(owner_bot, opponent_bot, winner=0)
    record_finished(opponent_bot, owner_bot, winner=0)
    record_finished(owner_bot, opponent_bot, winner=None, reason=Battle.Reason.REQUESTED)
    record_finished(stranger_bot, owner_bot, winner=1)
    record_finished(owner_bot, "greedy", winner=0)  # a house bot: no row
    queued = record_finished(owner_bot, stranger_bot, winner=0)
    Battle.objects.filter(pk=queued.pk).update(status=Battle.Status.RUNNING)  # not finished

    records = head_to_head_list(bot_id=owner_bot.pk)

    assert [(r.opponent.name, r.battles, r.wins, r.losses, r.draws) for r in records] == [
        ("ghost", 3, 1, 1, 1),
        ("stranger-bot", 1, 1, 0, 0),
    ]
    pair = head_to_head_get(bot_id=owner_bot.pk, opponent_id=opponent_bot.pk)
    assert (pair.wins, pair.losses, pair.draws) == (1, 1, 1)  # as the pair's own record says


def test_a_battle_of_two_of_its_own_versions_counts_once(owner_bot: Bot) -> None:
    v1, v2 = owner_bot.versions.order_by("version_number")
    record_finished(v2, v1, winner=0)

    (record,) = head_to_head_list(bot_id=owner_bot.pk)

    assert (record.opponent.pk, record.battles, record.wins, record.losses) == (
        owner_bot.pk,
        1,
        1,
        0,
    )
