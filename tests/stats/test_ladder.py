"""The ladder's scheduling (stats/ladder.py): who is paired, how a pairing is played, the pace
and the queue bound. No game is played: battles wait in the queue (their enqueue waits for a
commit the test's transaction never makes)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from battles.models import Battle
from bots.models import Bot
from bots.services import bot_submit, bot_update
from stats.ladder import ladder_due, ladder_schedule, ladder_tick, ladder_versions
from stats.tasks import schedule_ladder_battles
from tests.battles.conftest import STILL

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(owner: User, opponent: User, stranger: User) -> list[Bot]:
    """Three bots whose active versions are qualified (qualification is off here)."""
    return [
        bot_submit(owner=user, name=name, code=STILL).bot
        for user, name in ((owner, "alpha"), (opponent, "beta"), (stranger, "gamma"))
    ]


@pytest.fixture
def pace(settings: Any) -> Any:
    def set_pace(per_minute: int, max_queued: int = 100) -> None:
        settings.GAMEARENA = {
            **settings.GAMEARENA,
            "LADDER_BATTLES_PER_MINUTE": per_minute,
            "LADDER_MAX_QUEUED": max_queued,
        }

    return set_pace


def seats_of(battle: Battle) -> list[int | None]:
    return [seat.bot_version_id for seat in battle.seats.order_by("seat")]


def test_a_pairing_is_two_rated_ladder_battles_on_one_seed_with_the_seats_swapped(
    field: list[Bot],
) -> None:
    first, second = ladder_schedule(battles=2)

    assert first.seed == second.seed
    assert seats_of(first) == seats_of(second)[::-1]
    for battle in (first, second):
        assert (battle.reason, battle.rated, battle.status) == ("ladder", True, "queued")
        assert battle.schedule_reason == "placement"  # new versions place first


def test_an_odd_number_of_battles_is_rounded_up_to_whole_pairings(field: list[Bot]) -> None:
    assert len(ladder_schedule(battles=3)) == 4


def test_only_the_qualified_active_versions_of_active_bots_play(
    field: list[Bot], owner: User, settings: Any
) -> None:
    alpha, beta, gamma = field
    bot_update(bot=gamma, is_active=False)
    settings.GAMEARENA = {**settings.GAMEARENA, "QUALIFICATION": True}
    bot_submit(owner=owner, name="alpha", code=STILL + "# pending\n")
    bot_submit(owner=owner, name="newcomer", code=STILL)  # its first version: pending

    playing = {version.bot_id: version.version_number for version in ladder_versions()}

    assert playing == {alpha.pk: 1, beta.pk: 1}
    battles = ladder_schedule(battles=4)
    assert {seat for battle in battles for seat in seats_of(battle)} == {
        alpha.versions.get(version_number=1).pk,
        beta.versions.get(version_number=1).pk,
    }


def test_a_single_bot_has_nobody_to_play(owner: User) -> None:
    bot_submit(owner=owner, name="alone", code=STILL)

    assert ladder_schedule(battles=2) == []


def test_a_pace_of_zero_turns_the_ladder_off(field: list[Bot], pace: Any) -> None:
    pace(0)

    assert ladder_due(now=timezone.now()) == 0
    assert ladder_tick() == 0


def test_the_tick_schedules_the_minutes_battles_once(field: list[Bot], pace: Any) -> None:
    pace(6)

    assert ladder_tick() == 6
    assert ladder_tick() == 0  # a second tick in the same minute finds nothing due
    later = timezone.now() + timedelta(seconds=61)
    assert ladder_due(now=later) == 6


def test_no_battle_is_scheduled_while_the_queue_is_full(field: list[Bot], pace: Any) -> None:
    pace(60, max_queued=4)

    assert ladder_tick() == 4
    assert ladder_due(now=timezone.now() + timedelta(minutes=5)) == 0


def test_the_beat_runs_the_ladder_task(field: list[Bot], pace: Any) -> None:
    pace(2)
    entry = django_settings.CELERY_BEAT_SCHEDULE["ladder-tick"]

    schedule_ladder_battles.apply()

    assert entry["task"] == schedule_ladder_battles.name
    assert Battle.objects.filter(reason=Battle.Reason.LADDER).count() == 2


def test_the_battles_api_says_why_a_battle_was_scheduled(
    field: list[Bot], anonymous_api: APIClient
) -> None:
    battle = ladder_schedule(battles=2)[0]

    shown = anonymous_api.get(f"/api/battles/{battle.public_id}").json()["battle"]

    assert shown["schedule_reason"] == "placement"
    assert shown["rated"] is True


def test_once_placed_a_version_plays_for_close_ratings(field: list[Bot]) -> None:
    placement = ladder_schedule(battles=12)  # every version plays at least its 4 battles

    after = ladder_schedule(battles=2)

    assert placement[0].schedule_reason == "placement"
    assert {battle.schedule_reason for battle in after} <= {"close_rating", "coverage"}
