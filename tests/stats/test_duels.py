"""A/B duels of two versions (stats/duels.py and its API): paired, seat-swapped, unrated
battles counted once each until the sequential test decides. Results are scripted: a battle
is marked finished with the winner the script says, then counted as its finishing
transaction would count it; no game is played."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.db import transaction

from battles.models import Battle
from bots.models import Bot
from bots.services import bot_submit
from stats.duels import duel_create
from stats.ladder import ladder_tick
from stats.models import Duel, DuelGame
from stats.outcomes import battle_abandon_record, battle_outcome_record
from tests.battles.conftest import STILL

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(owner: User) -> Bot:
    bot_submit(owner=owner, name="pacman", code=STILL)
    return bot_submit(owner=owner, name="pacman", code=STILL + "# v2\n").bot


def start(api: APIClient, bot: Bot, **body: Any) -> Any:
    return api.post(f"/api/bots/{bot.pk}/duel", {"a": 2, "b": 1, **body}, format="json")


def finish(battle: Battle, a_score: float) -> None:
    """Records the battle as finished with A scoring `a_score`, then counts it."""
    a_seat = DuelGame.objects.get(battle=battle).a_seat
    winner = None if a_score == 0.5 else (a_seat if a_score == 1 else 1 - a_seat)
    with transaction.atomic():
        Battle.objects.filter(pk=battle.pk).update(
            status=Battle.Status.FINISHED, winner_seat=winner
        )
        battle.refresh_from_db()
        battle_outcome_record(battle=battle, seats=list(battle.seats.all()))


def play_out(duel: Duel, script: Iterator[float]) -> Duel:
    """Finishes the duel's queued battles one by one, oldest first, until none is left."""
    while True:
        waiting = Battle.objects.filter(duel_game__duel=duel, status=Battle.Status.QUEUED).order_by(
            "pk"
        )
        battle = waiting.first()
        if battle is None:
            duel.refresh_from_db()
            return duel
        finish(battle, next(script))


def test_a_duel_starts_with_pairs_of_unrated_seat_swapped_battles(
    two_versions: Bot, owner_api: APIClient
) -> None:
    answer = start(owner_api, two_versions)

    assert answer.status_code == 201, answer.json()
    shown = answer.json()["duel"]
    assert (shown["a"], shown["b"], shown["status"], shown["games"]) == (2, 1, "running", 0)
    assert shown["sprt"]["upper_bound"] == pytest.approx(2.944, abs=1e-3)
    battles = list(Battle.objects.filter(reason=Battle.Reason.DUEL).order_by("pk"))
    assert len(battles) == 4
    assert all(not b.rated and b.schedule_reason == "duel" for b in battles)
    first, second = battles[:2]
    assert first.seed == second.seed
    names = [[s.display_name for s in b.seats.order_by("seat")] for b in (first, second)]
    assert names == [["owner/pacman v2", "owner/pacman v1"], ["owner/pacman v1", "owner/pacman v2"]]


def test_only_the_owner_may_start_or_read_a_duel(
    two_versions: Bot, owner: User, stranger_api: APIClient, anonymous_api: APIClient
) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=2, version_b=1)

    assert start(stranger_api, two_versions).status_code == 404
    assert start(anonymous_api, two_versions).status_code == 401
    assert stranger_api.get(f"/api/bots/{two_versions.pk}/duel/{duel.pk}").status_code == 404
    assert stranger_api.get(f"/api/bots/{two_versions.pk}/duels").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"b": 2}, "b"),
        ({"elo0": 10, "elo1": 5}, "elo1"),
        ({"alpha": 0.7}, "alpha"),
        ({"max_games": 1}, "max_games"),
        ({"max_games": 100_000}, "max_games"),
        ({"a": True}, "a"),
        ({"elo1": "20"}, "elo1"),
        ({"games": 3}, "games"),
    ],
)
def test_parameters_that_make_no_test_are_refused(
    two_versions: Bot, owner_api: APIClient, body: dict[str, Any], field: str
) -> None:
    answer = start(owner_api, two_versions, **body)

    assert answer.status_code == 400
    assert field in answer.json()["error"]["details"]["fields"]
    assert not Duel.objects.exists()


def test_an_odd_cap_is_rounded_down_to_whole_pairs(two_versions: Bot, owner_api: APIClient) -> None:
    answer = start(owner_api, two_versions, max_games=7)

    assert answer.json()["duel"]["max_games"] == 6


def test_a_version_the_bot_does_not_have_is_not_found(
    two_versions: Bot, owner_api: APIClient
) -> None:
    answer = start(owner_api, two_versions, b=9)

    assert answer.status_code == 404


def test_one_duel_runs_per_bot_at_a_time(two_versions: Bot, owner_api: APIClient) -> None:
    start(owner_api, two_versions)

    answer = start(owner_api, two_versions)

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "duel_running"


def test_a_version_that_wins_three_games_in_four_and_draws_the_fourth_is_found_better(
    two_versions: Bot, owner: User, owner_api: APIClient
) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=2, version_b=1)

    duel = play_out(duel, itertools.cycle([1.0, 0.5, 1.0, 1.0]))

    assert (duel.status, duel.decision) == ("decided", "better")
    shown = owner_api.get(f"/api/bots/{two_versions.pk}/duel/{duel.pk}").json()["duel"]
    assert shown["games"] == shown["wins"] + shown["draws"] + shown["losses"] < 200
    assert shown["sprt"]["llr_better"] >= shown["sprt"]["upper_bound"]
    assert shown["elo_difference"]["low"] > 0
    # What was still queued at the decision is cancelled, not played.
    open_games = Battle.objects.filter(duel_game__duel=duel, status__in=Battle.OPEN_STATUSES)
    assert not open_games.exists()


def test_evenly_matched_versions_stop_at_the_cap(two_versions: Bot, owner: User) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=2, version_b=1, max_games=8)

    duel = play_out(duel, itertools.cycle([1.0, 0.0]))

    assert (duel.decision, duel.wins + duel.losses, duel.games_scheduled) == ("inconclusive", 8, 8)


def test_a_game_finished_twice_counts_once(two_versions: Bot, owner: User) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=2, version_b=1)
    battle = Battle.objects.filter(duel_game__duel=duel).order_by("pk").first()
    assert battle is not None

    finish(battle, 1.0)
    battle_outcome_record(battle=battle, seats=list(battle.seats.all()))

    duel.refresh_from_db()
    assert (duel.wins, duel.draws, duel.losses) == (1, 0, 0)


def test_a_game_lost_to_the_platform_is_not_counted_and_the_duel_goes_on(
    two_versions: Bot, owner: User
) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=2, version_b=1, max_games=4)
    battles = list(Battle.objects.filter(duel_game__duel=duel).order_by("pk"))

    Battle.objects.filter(pk=battles[0].pk).update(status=Battle.Status.FAILED)
    battle_abandon_record(battle=battles[0])
    duel = play_out(duel, itertools.cycle([1.0, 0.0]))

    assert (duel.decision, duel.wins + duel.losses) == ("inconclusive", 3)


def test_the_owner_lists_the_bots_duels(
    two_versions: Bot, owner: User, owner_api: APIClient
) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=1, version_b=2)

    shown = owner_api.get(f"/api/bots/{two_versions.pk}/duels").json()["duels"]

    assert [(d["id"], d["a"], d["b"]) for d in shown] == [(duel.pk, 1, 2)]


def test_a_duel_game_that_expired_in_the_queue_is_replaced_at_the_next_tick(
    two_versions: Bot, owner: User
) -> None:
    duel = duel_create(bot=two_versions, user=owner, version_a=2, version_b=1, max_games=6)
    expired, partner = Battle.objects.filter(duel_game__duel=duel).order_by("pk")[:2]
    Battle.objects.filter(pk=expired.pk).update(status=Battle.Status.EXPIRED)

    ladder_tick()
    finish(partner, 1.0)

    duel.refresh_from_db()
    assert DuelGame.objects.get(battle=expired).counted
    assert (duel.wins, duel.games_scheduled) == (1, 6)  # a third pair replaced the broken one
