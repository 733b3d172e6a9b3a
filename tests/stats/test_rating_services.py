"""stats.services: ratings move once per rated ladder battle, in its finishing transaction."""

from __future__ import annotations

from typing import Any

import pytest

from battles.models import Battle
from battles.services import battle_create, battle_play, seat_spec_for
from bots.models import Bot
from bots.services import bot_set_active, bot_submit
from stats import services
from stats.models import BotRating, RatingHistory, VersionRating
from stats.ratings import DEFAULT_SIGMA, ELO_K, rank_intervals
from stats.services import (
    leaderboard_refresh_ranks,
    rating_start_version,
    rating_sync_bot,
    stats_record_battle,
)
from tests.stats.ladder import record_finished

pytestmark = pytest.mark.django_db


def ratings(bot: Bot) -> VersionRating:
    return VersionRating.objects.get(pk=bot.versions.get(version_number=bot.version_number).pk)


def test_a_rated_ladder_win_moves_both_versions_elo_and_skill_and_writes_history(
    owner_bot: Bot, opponent_bot: Bot
) -> None:
    battle = record_finished(owner_bot, opponent_bot, winner=0)

    winner, loser = ratings(owner_bot), ratings(opponent_bot)
    assert (winner.elo, loser.elo) == (1200 + ELO_K / 2, 1200 - ELO_K / 2)
    assert winner.mu > 25.0 > loser.mu
    assert winner.sigma < DEFAULT_SIGMA
    assert (winner.rated_battles, winner.battles, winner.wins, loser.losses) == (1, 1, 1, 1)
    history = RatingHistory.objects.filter(battle=battle).order_by("seat")
    assert [(point.result, point.elo_change) for point in history] == [
        ("win", ELO_K / 2),
        ("loss", -ELO_K / 2),
    ]
    owner_bot.refresh_from_db()
    assert owner_bot.elo_rating == winner.elo
    board = BotRating.objects.get(pk=owner_bot.pk)
    assert (board.mu, board.sigma, board.version_id) == (winner.mu, winner.sigma, winner.pk)
    assert board.conservative == pytest.approx(winner.mu - 3 * winner.sigma)


@pytest.mark.parametrize(
    ("reason", "rated"),
    [
        (Battle.Reason.REQUESTED, False),
        (Battle.Reason.LIVE, False),
        (Battle.Reason.DUEL, False),
        (Battle.Reason.QUALIFICATION, False),
        (Battle.Reason.LADDER, False),
        (Battle.Reason.DUEL, True),
    ],
)
def test_battles_other_than_rated_ladder_ones_count_but_never_rate(
    owner_bot: Bot, opponent_bot: Bot, reason: str, rated: bool
) -> None:
    record_finished(owner_bot, opponent_bot, winner=0, reason=reason, rated=rated)

    record = ratings(owner_bot)
    assert (record.battles, record.wins, record.rated_battles) == (1, 1, 0)
    assert (record.mu, record.sigma, record.elo) == (25.0, DEFAULT_SIGMA, 1200.0)
    assert not RatingHistory.objects.exists()


def test_a_draw_and_faults_are_counted_per_version(owner_bot: Bot, opponent_bot: Bot) -> None:
    record_finished(owner_bot, opponent_bot, winner=None, faults=("timeout", "crashed"))
    record_finished(opponent_bot, owner_bot, winner=1, faults=("invalid", "ok"))

    mine, theirs = ratings(owner_bot), ratings(opponent_bot)
    assert (mine.battles, mine.wins, mine.draws, mine.losses, mine.timeouts) == (2, 1, 1, 0, 1)
    assert (theirs.crashes, theirs.invalid_outputs, theirs.losses) == (1, 1, 1)
    assert mine.rated_battles == 2


def test_a_battle_recorded_twice_counts_and_rates_once(owner_bot: Bot, opponent_bot: Bot) -> None:
    battle = record_finished(owner_bot, opponent_bot, winner=0)
    before = VersionRating.objects.get(pk=ratings(owner_bot).pk)

    stats_record_battle(battle=battle, seats=list(battle.seats.order_by("seat")))

    after = ratings(owner_bot)
    assert (after.mu, after.sigma, after.elo, after.battles) == (
        before.mu, before.sigma, before.elo, before.battles,
    )  # fmt: skip
    assert RatingHistory.objects.filter(battle=battle).count() == 2
    owner_bot.refresh_from_db()
    assert (owner_bot.match_count, owner_bot.elo_rating) == (1, before.elo)


@pytest.mark.usefixtures("unsafe_sandbox")
def test_a_played_ladder_battle_finished_twice_is_rated_once(
    owner_bot: Bot, opponent_bot: Bot
) -> None:
    battle = battle_create(
        seats=(seat_spec_for(bot=owner_bot), seat_spec_for(bot=opponent_bot)),
        reason=Battle.Reason.LADDER,
        rated=True,
        seed=4,
        enqueue=False,
    )
    assert battle_play(battle_id=battle.pk) is not None
    assert battle_play(battle_id=battle.pk) is None

    assert ratings(owner_bot).rated_battles == 1
    assert ratings(opponent_bot).elo == 1200 - ELO_K / 2  # it crashed on turn 1
    assert RatingHistory.objects.filter(battle=battle).count() == 2


def test_a_version_against_itself_is_not_rated(owner_bot: Bot) -> None:
    record_finished(owner_bot, owner_bot, winner=0)

    record = ratings(owner_bot)
    assert (record.battles, record.wins, record.losses, record.rated_battles) == (2, 1, 1, 0)


def test_a_new_version_starts_from_its_parents_estimate_with_a_wider_sigma(
    owner: Any, owner_bot: Bot, opponent_bot: Bot
) -> None:
    for _ in range(3):
        record_finished(owner_bot, opponent_bot, winner=0)
    parent = ratings(owner_bot)

    version = bot_submit(owner=owner, name="pacman", code="print('new')\n").version
    child = rating_start_version(version=version)

    assert child.parent_id == parent.pk
    assert (child.mu, child.elo) == (parent.mu, parent.elo)
    assert parent.sigma < child.sigma <= DEFAULT_SIGMA
    assert rating_start_version(version=version).pk == child.pk
    assert VersionRating.objects.filter(pk=version.pk).count() == 1


def test_a_bots_rating_is_its_active_versions(
    owner: Any, owner_bot: Bot, opponent_bot: Bot
) -> None:
    record_finished(owner_bot, opponent_bot, winner=0)
    bot_submit(owner=owner, name="pacman", code="print('new')\n")
    owner_bot.refresh_from_db()

    board = rating_sync_bot(bot=owner_bot)

    assert board.version is not None
    assert board.version.version_number == owner_bot.version_number == 3
    assert (board.mu, board.sigma) == (ratings(owner_bot).mu, ratings(owner_bot).sigma)
    assert board.sigma > VersionRating.objects.get(version__version_number=2).sigma


def test_rank_intervals_are_refreshed_for_active_bots_only(
    owner_bot: Bot, opponent_bot: Bot
) -> None:
    for _ in range(2):
        record_finished(owner_bot, opponent_bot, winner=0)
    bot_set_active(bot=opponent_bot, is_active=False)

    assert leaderboard_refresh_ranks() == 1

    assert BotRating.objects.values_list("rank_low", "rank_high").get(pk=owner_bot.pk) == (1, 1)
    assert BotRating.objects.get(pk=opponent_bot.pk).rank_low is None
    assert leaderboard_refresh_ranks() == 0


def test_an_interval_computed_from_a_rating_that_moved_meanwhile_is_not_written(
    owner_bot: Bot, opponent_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_finished(owner_bot, opponent_bot, winner=0)
    real = rank_intervals

    def a_battle_finishes_meanwhile(skills: list[Any]) -> list[tuple[int, int]]:
        BotRating.objects.filter(pk=owner_bot.pk).update(mu=99.0)
        return real(skills)

    monkeypatch.setattr(services, "rank_intervals", a_battle_finishes_meanwhile)
    leaderboard_refresh_ranks()

    assert BotRating.objects.get(pk=owner_bot.pk).rank_low is None
    assert BotRating.objects.get(pk=opponent_bot.pk).rank_low is not None
