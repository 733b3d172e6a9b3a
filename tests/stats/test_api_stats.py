"""GET /api/stats/<agent_name>: an agent's record, as the storage seed has it."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from battles.models import Battle
from battles.services import battle_create, battle_play, seat_spec_for
from bots.models import Bot
from stats.selectors import get_agent_stats
from stats.services import record_agent_stats

pytestmark = pytest.mark.usefixtures("unsafe_sandbox")


def play_one(*seats: Any) -> None:
    battle = battle_create(
        seats=(seats[0], seats[1]), reason=Battle.Reason.REQUESTED, seed=4, enqueue=False
    )
    battle_play(battle_id=battle.pk)


def test_a_stored_bots_stats_are_read_by_owner_slash_name(
    anonymous_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    play_one(seat_spec_for(bot=owner_bot), seat_spec_for(bot=opponent_bot))
    play_one(seat_spec_for(bot=opponent_bot), seat_spec_for(bot=owner_bot))

    answer = anonymous_api.get("/api/stats/opponent/ghost")

    assert answer.status_code == 200
    body = answer.json()
    assert body["agent_name"] == "opponent/ghost"
    assert (body["wins"], body["losses"], body["draws"], body["total_battles"]) == (0, 2, 0, 2)
    assert body["win_rate"] == 0.0
    assert body["faults"] == {"timeout": 0, "crashed": 2, "invalid": 0}
    assert body["last_battle_at"] is not None
    assert anonymous_api.get("/api/stats/owner/pacman").json()["win_rate"] == 1.0


def test_a_house_bot_has_stats_too(anonymous_api: APIClient, owner_bot: Bot) -> None:
    play_one(seat_spec_for(house="greedy"), seat_spec_for(bot=owner_bot))

    body = anonymous_api.get("/api/stats/house:greedy").json()

    assert body["agent_name"] == "house:greedy"
    assert body["total_battles"] == 1
    assert body["wins"] + body["losses"] + body["draws"] == 1


@pytest.mark.parametrize("name", ["nobody/nothing", "house:nobody", "owner", "a/b/c"])
def test_an_unknown_agent_is_404_in_the_envelope(anonymous_api: APIClient, name: str) -> None:
    answer = anonymous_api.get(f"/api/stats/{name}")

    assert answer.status_code == 404
    assert "code" in answer.json()["error"]


def test_the_seeds_record_and_get_calls_count_wins_and_losses(db: None) -> None:
    record_agent_stats("alice/bot", True)
    record_agent_stats("alice/bot", False)
    record_agent_stats("alice/bot", True)
    record_agent_stats("alice/bot", None)

    stats = get_agent_stats("alice/bot")

    assert (stats.wins, stats.losses, stats.draws, stats.total_battles) == (2, 1, 1, 4)
    assert stats.win_rate == 0.5
