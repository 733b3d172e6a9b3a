"""The public ratings API: /api/leaderboard and, under /api/bots/<id>/, stats, rating-history
and head-to-head."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from battles.models import Battle
from bots.models import Bot
from bots.services import bot_set_active
from stats.services import leaderboard_refresh_ranks
from tests.stats.ladder import record_finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(owner_bot: Bot, opponent_bot: Bot) -> None:
    """Owner's v2 beats the opponent twice on the ladder; a requested draw; ranks refreshed."""
    record_finished(owner_bot, opponent_bot, winner=0)
    record_finished(opponent_bot, owner_bot, winner=1, faults=("crashed", "ok"))
    record_finished(
        owner_bot, opponent_bot, winner=None, reason=Battle.Reason.REQUESTED, rated=False
    )
    leaderboard_refresh_ranks()


@pytest.mark.usefixtures("played")
def test_the_leaderboard_lists_bots_by_conservative_score_with_rank_intervals(
    anonymous_api: APIClient, owner_bot: Bot
) -> None:
    answer = anonymous_api.get("/api/leaderboard")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 50, 0)
    first, second = body["entries"]
    assert (first["rank"], first["bot"]) == (
        1,
        {"id": owner_bot.pk, "name": "pacman", "owner": "owner"},
    )
    assert first["conservative_score"] == pytest.approx(first["mu"] - 3 * first["sigma"])
    assert first["conservative_score"] > second["conservative_score"]
    assert first["rank_interval"]["confidence"] == 0.9
    assert 1 <= first["rank_interval"]["low"] <= first["rank_interval"]["high"] <= 2
    assert (first["battles"], first["win_rate"], first["active_version"]) == (3, 2 / 3, 2)
    assert first["elo"] > 1200 > second["elo"]
    assert first["last_battle_at"] is not None
    assert "code" not in str(body)


@pytest.mark.usefixtures("played")
def test_the_leaderboard_pages_and_refuses_bad_limits(anonymous_api: APIClient) -> None:
    page = anonymous_api.get("/api/leaderboard?limit=1&offset=1").json()
    assert [entry["rank"] for entry in page["entries"]] == [2]
    assert page["count"] == 2

    answer = anonymous_api.get("/api/leaderboard?limit=0")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_limit"


@pytest.mark.usefixtures("played")
def test_a_bots_stats_are_per_version_with_faults_ratings_history_and_timing(
    anonymous_api: APIClient, opponent_bot: Bot
) -> None:
    answer = anonymous_api.get(f"/api/bots/{opponent_bot.pk}/stats")

    assert answer.status_code == 200
    body = answer.json()
    assert body["active_version"] == 1
    [version] = body["versions"]
    assert (version["battles"], version["wins"], version["draws"], version["losses"]) == (
        3,
        0,
        1,
        2,
    )
    assert version["faults"] == {"timeout": 0, "crashed": 1, "invalid": 0}
    assert version["rating"]["rated_battles"] == 2
    assert version["rating"]["elo"] < 1200
    assert [point["result"] for point in version["history"]] == ["loss", "loss"]
    timing = version["timing"]
    assert (timing["clock"], timing["p50_ms"], timing["p95_ms"], timing["max_ms"]) == (
        "cpu",
        3.0,
        8.0,
        25.0,
    )
    assert timing["turn_limit_ms"] == 50
    assert timing["p95_share"] == pytest.approx(8 / 50)


def test_a_bot_that_never_played_has_its_starting_rating_and_no_record(
    anonymous_api: APIClient, owner_bot: Bot
) -> None:
    body = anonymous_api.get(f"/api/bots/{owner_bot.pk}/stats").json()

    assert [v["version_number"] for v in body["versions"]] == [2, 1]
    rating = body["versions"][0]["rating"]  # from its activation: the defaults, uncertain
    assert (rating["mu"], rating["sigma"], rating["elo"]) == (25.0, 25 / 3, 1200.0)
    assert body["versions"][0]["timing"] is None
    assert body["versions"][0]["battles"] == 0


@pytest.mark.usefixtures("played")
def test_the_rating_history_is_newest_first_and_limited(
    anonymous_api: APIClient, owner_bot: Bot
) -> None:
    body = anonymous_api.get(f"/api/bots/{owner_bot.pk}/rating-history").json()

    assert body["bot"]["name"] == "pacman"
    assert [point["result"] for point in body["history"]] == ["win", "win"]
    newest, oldest = body["history"]
    assert newest["sigma"] < oldest["sigma"]
    assert newest["version_number"] == 2
    assert (
        len(anonymous_api.get(f"/api/bots/{owner_bot.pk}/rating-history?limit=1").json()["history"])
        == 1
    )


@pytest.mark.usefixtures("played")
def test_head_to_head_counts_from_the_first_bots_side_per_version(
    anonymous_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    body = anonymous_api.get(f"/api/bots/{owner_bot.pk}/head-to-head/{opponent_bot.pk}").json()

    assert (body["wins"], body["losses"], body["draws"]) == (2, 0, 1)
    assert body["versions"] == [
        {"version_number": 2, "opponent_version_number": 1, "wins": 2, "losses": 0, "draws": 1}
    ]
    assert [battle["result"] for battle in body["recent"]] == ["draw", "win", "win"]
    assert body["recent"][0]["reason"] == "requested"
    reverse = anonymous_api.get(f"/api/bots/{opponent_bot.pk}/head-to-head/{owner_bot.pk}").json()
    assert (reverse["wins"], reverse["losses"], reverse["draws"]) == (0, 2, 1)


def test_head_to_head_of_two_versions_of_one_bot_counts_each_battle_once(
    anonymous_api: APIClient, owner_bot: Bot
) -> None:
    older = owner_bot.versions.get(version_number=1)
    record_finished(owner_bot, older, winner=0, reason=Battle.Reason.DUEL, rated=False)

    body = anonymous_api.get(f"/api/bots/{owner_bot.pk}/head-to-head/{owner_bot.pk}").json()

    assert (body["wins"], body["losses"], body["draws"]) == (1, 0, 0)
    assert body["versions"][0]["opponent_version_number"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/bots/999999/stats",
        "/api/bots/999999/rating-history",
        "/api/bots/999999/head-to-head/1",
    ],
)
def test_an_unknown_bot_is_404_in_the_envelope(anonymous_api: APIClient, path: str) -> None:
    answer = anonymous_api.get(path)

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_the_public_reads_show_no_code_or_stderr(
    anonymous_api: APIClient, owner_bot: Bot, opponent_bot: Bot
) -> None:
    record_finished(owner_bot, opponent_bot, winner=0)
    texts = [
        anonymous_api.get(path).content.decode()
        for path in (
            f"/api/bots/{owner_bot.pk}/stats",
            f"/api/bots/{owner_bot.pk}/head-to-head/{opponent_bot.pk}",
            "/api/leaderboard",
        )
    ]

    for text in texts:
        assert "stderr" not in text
        assert "readline" not in text  # a line of the bots' code


@pytest.mark.usefixtures("played")
def test_a_deactivated_bot_leaves_the_leaderboard_and_comes_back(
    anonymous_api: APIClient, opponent_bot: Bot
) -> None:
    bot_set_active(bot=opponent_bot, is_active=False)
    body = anonymous_api.get("/api/leaderboard").json()
    assert [entry["bot"]["name"] for entry in body["entries"]] == ["pacman"]
    assert body["count"] == 1

    bot_set_active(bot=opponent_bot, is_active=True)
    assert anonymous_api.get("/api/leaderboard").json()["count"] == 2


@pytest.mark.usefixtures("played")
def test_a_bots_stats_and_history_take_a_bounded_number_of_queries(
    anonymous_api: APIClient, owner_bot: Bot, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        record_finished(owner_bot, owner_bot.versions.get(version_number=1), winner=0)

    with django_assert_max_num_queries(12):  # per version: history and timing; no N+1
        assert anonymous_api.get(f"/api/bots/{owner_bot.pk}/stats").status_code == 200
    with django_assert_max_num_queries(4):
        assert anonymous_api.get(f"/api/bots/{owner_bot.pk}/rating-history").status_code == 200
